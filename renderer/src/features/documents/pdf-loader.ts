import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, PDFWorker } from 'pdfjs-dist';
// The worker is served by the app itself ('self' in the CSP), never from a CDN or a blob of remote code.
import pdfWorkerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = pdfWorkerUrl;

export type { PDFDocumentProxy };

let sharedWorker: PDFWorker | undefined;

/**
 * One pdf.js worker for the app's lifetime: starting it (loading and compiling its 1.2 MB module) is
 * paid once, not on every document. Call early (when the Documents area shows) to have it ready.
 */
export function pdfWorker(): PDFWorker {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new PDFWorker();
  return sharedWorker;
}

export interface LoadedPdf {
  pdf: PDFDocumentProxy;
  /** Stops loading/parsing and frees the worker's copy (the shared worker keeps running). */
  destroy(): Promise<void>;
}

/**
 * Parses PDF bytes held in memory (nothing is written anywhere). pdf.js moves the buffer it gets to its
 * worker, so it gets a copy: the caller's bytes stay usable. Options fit the app's CSP: no eval, no
 * WebAssembly, no XFA, no scripting.
 */
export async function loadPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  const task = getDocument({
    data: bytes.slice(),
    worker: pdfWorker(),
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    stopAtErrors: false,
    // The standard-14 fonts' data ships with the app (renderer/vite.config.ts), relative to the page.
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).href,
  });
  const pdf = await task.promise;
  return { pdf, destroy: () => task.destroy() };
}
