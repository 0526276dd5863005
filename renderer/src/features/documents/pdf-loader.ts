import type { PDFDocumentProxy, PDFWorker } from 'pdfjs-dist';
import { DOCUMENT_RANGE_MAX_BYTES } from '../../../../electron/contract/documents';
// The worker is served by the app itself ('self' in the CSP), never from a CDN or a blob of remote code.
import pdfWorkerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

export type { PDFDocumentProxy };

type PdfJs = typeof import('pdfjs-dist');
let loadingPdfJs: Promise<PdfJs> | undefined;

/**
 * pdf.js itself (~390 KB, over a third of the renderer's script) is its own chunk, loaded when a PDF is first
 * needed: every start of the app parsed and ran it before, for a mail list that shows no PDF (#15 target 4).
 */
function pdfjs(): Promise<PdfJs> {
  loadingPdfJs ??= import('pdfjs-dist').then(
    (module) => {
      module.GlobalWorkerOptions.workerSrc = pdfWorkerUrl;
      return module;
    },
    (err: unknown) => {
      // A failed load (e.g. the chunk missing) is tried again by the next PDF, not remembered.
      loadingPdfJs = undefined;
      throw err;
    },
  );
  return loadingPdfJs;
}

/** pdf.js's RenderingCancelledException (a cancelled page render, no failure), known by its name. */
export function isRenderingCancelled(err: unknown): boolean {
  return err instanceof Error && err.name === 'RenderingCancelledException';
}

let sharedWorker: PDFWorker | undefined;

/**
 * One pdf.js worker for the app's lifetime: starting it (loading and compiling its 1.2 MB module) is
 * paid once, not on every document. Call early (when the Documents area shows) to have it ready.
 */
export async function pdfWorker(): Promise<PDFWorker> {
  const { PDFWorker } = await pdfjs();
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new PDFWorker();
  return sharedWorker;
}

export interface LoadedPdf {
  pdf: PDFDocumentProxy;
  /** Stops loading/parsing and frees the worker's copy (the shared worker keeps running). */
  destroy(): Promise<void>;
}

/** Options that fit the app's CSP: no eval, no WebAssembly, no XFA, no scripting. */
async function baseOptions() {
  return {
    worker: await pdfWorker(),
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    stopAtErrors: false,
    // The standard-14 fonts' data ships with the app (renderer/vite.config.ts), relative to the page.
    standardFontDataUrl: new URL('pdfjs/standard_fonts/', document.baseURI).href,
  };
}

/**
 * Parses PDF bytes held in memory (nothing is written anywhere). pdf.js moves the buffer it gets to its
 * worker, so it gets a copy: the caller's bytes stay usable.
 */
export async function loadPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  const { getDocument } = await pdfjs();
  const task = getDocument({ ...(await baseOptions()), data: bytes.slice() });
  const pdf = await task.promise;
  return { pdf, destroy: () => task.destroy() };
}

/** Bytes pdf.js asks for at a time: the vault's encrypted chunk size, so one request decrypts one chunk. */
export const PDF_RANGE_CHUNK_BYTES = 1024 * 1024;
/**
 * Ranges pdf.js may ask for before the document is open. A PDF whose page dictionaries sit next to each page's
 * content in a flat page tree (older producers, no object streams) makes pdf.js visit every one of them while
 * opening, one range after the other; past this many, reading the whole file at once is faster.
 */
const MAX_RANGES_BEFORE_OPEN = 8;

/** The whole file: the head, then the rest in pieces the contract allows. */
async function readWhole(
  head: Uint8Array,
  length: number,
  readRange: (begin: number, end: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const whole = new Uint8Array(length);
  whole.set(head, 0);
  for (let begin = head.byteLength; begin < length; begin += DOCUMENT_RANGE_MAX_BYTES) {
    const end = Math.min(length, begin + DOCUMENT_RANGE_MAX_BYTES);
    whole.set(await readRange(begin, end), begin);
  }
  return whole;
}

/** Bytes of the file already at hand, from `begin` on (the file's last chunk, sent with its head). */
export interface KnownBytes {
  begin: number;
  bytes: Uint8Array;
}

/** A range pdf.js asks for, cut from bytes at hand when they hold all of it. */
function cutFrom(known: KnownBytes | undefined, begin: number, end: number): Uint8Array | undefined {
  if (!known || begin < known.begin || end > known.begin + known.bytes.byteLength) return undefined;
  return known.bytes.slice(begin - known.begin, end - known.begin);
}

/**
 * Parses a PDF that is read by ranges (#15): pdf.js starts from `head` (the file's first bytes) and asks
 * `readRange` for what it needs — the trailer, the page tree, the objects of the page shown — and nothing else
 * (no pre-fetching, no streaming of the rest), so a 100 MB file shows its first page after a few MiB. A range
 * that `tail` holds (the trailer and cross-reference table, which pdf.js asks for right after the head) is
 * answered without a round trip. A head that holds the whole file is parsed as bytes; a file that needs many
 * ranges just to open is read whole.
 */
export async function loadPdfByRanges(
  head: Uint8Array,
  length: number,
  readRange: (begin: number, end: number) => Promise<Uint8Array>,
  tail?: KnownBytes,
): Promise<LoadedPdf> {
  if (head.byteLength >= length) return loadPdf(head);
  const { getDocument, PDFDataRangeTransport } = await pdfjs();
  const options = await baseOptions();
  // pdf.js moves the head to its worker: a copy, so the head stays for reading the file whole.
  const transport = new PDFDataRangeTransport(length, head.slice());
  // A destroyed loading task never settles its promise: giving up is raced against it.
  let giveUp: (why: { whole: true } | { error: unknown }) => void = () => undefined;
  const gaveUp = new Promise<{ whole: true } | { error: unknown }>((resolve) => (giveUp = resolve));
  let opened = false;
  let abandoned = false;
  let requests = 0;
  const abandon = (why: { whole: true } | { error: unknown }) => {
    if (abandoned) return;
    abandoned = true;
    giveUp(why);
    void task.destroy();
  };
  transport.requestDataRange = (begin: number, end: number) => {
    requests++;
    if (!opened && requests > MAX_RANGES_BEFORE_OPEN) {
      abandon({ whole: true });
      return;
    }
    // pdf.js files its reader for the range after asking: the answer comes after this returns, even from memory.
    const known = cutFrom(tail, begin, end);
    (known ? Promise.resolve(known) : readRange(begin, end)).then(
      (chunk) => {
        if (!abandoned) transport.onDataRange(begin, chunk);
      },
      // pdf.js would wait for the range for ever: end the task, so the page (or the load) fails visibly.
      (error: unknown) => abandon({ error }),
    );
  };
  const task = getDocument({
    ...options,
    range: transport,
    rangeChunkSize: PDF_RANGE_CHUNK_BYTES,
    disableAutoFetch: true,
    disableStream: true,
  });
  const outcome = await Promise.race([task.promise.then((pdf) => ({ pdf })), gaveUp]);
  if ('pdf' in outcome) {
    opened = true;
    return { pdf: outcome.pdf, destroy: () => task.destroy() };
  }
  if ('error' in outcome) throw outcome.error;
  return loadPdf(await readWhole(head, length, readRange));
}
