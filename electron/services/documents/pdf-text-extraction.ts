import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The text of a PDF, page by page, as pdf.js reads it. */
export interface PdfText {
  /** Text of each page in order: pdf.js's text items joined, a line feed after each item that ends a line. */
  pages: string[];
  /** Pages not read because the document has more than the limit. */
  pagesSkipped: number;
}

export interface PdfTextLimits {
  /** Pages read at most (the rest are counted in pagesSkipped). */
  maxPages: number;
  /** Characters kept per page (a page that claims more is cut). */
  maxPageChars: number;
}

export const DEFAULT_PDF_TEXT_LIMITS: PdfTextLimits = { maxPages: 5_000, maxPageChars: 200_000 };

interface TextItemLike {
  str?: unknown;
  hasEOL?: unknown;
}

/**
 * Where pdf.js's data files are (the standard fonts' metrics and CMaps), found from this module: it runs as
 * an ES module (the worker bundle, benchmarks, tests), never inside the CommonJS main bundle. Undefined where
 * no pdfjs-dist folder is reachable (the packaged worker bundle): text extraction works without them, only
 * PDFs that rely on non-embedded fonts or CJK CMaps lose some characters.
 */
function pdfjsDataUrls(): { standardFontDataUrl?: string; cMapUrl?: string } {
  let folder: string;
  try {
    folder = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  } catch {
    return {};
  }
  return {
    standardFontDataUrl: `${pathToFileURL(join(folder, 'standard_fonts')).href}/`,
    cMapUrl: `${pathToFileURL(join(folder, 'cmaps')).href}/`,
  };
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loading: Promise<PdfJs> | undefined;

/**
 * pdf.js for Node (its "legacy" build), with its worker code loaded into this thread: the caller is a
 * worker thread already (document-worker.ts), so pdf.js's own fake worker runs here instead of spawning one.
 */
export function loadPdfJs(): Promise<PdfJs> {
  return (loading ??= (async () => {
    const worker: unknown = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })());
}

/** Joins a page's text items: the text of one page as a person would copy it. */
export function joinTextItems(items: readonly unknown[], maxChars: number): string {
  let out = '';
  for (const raw of items) {
    const item = raw as TextItemLike;
    if (typeof item.str !== 'string') continue; // marked-content markers
    out += item.str;
    if (item.hasEOL === true) out += '\n';
    if (out.length >= maxChars) return out.slice(0, maxChars);
  }
  return out;
}

/**
 * Extracts the text of every page with pdf.js (text only: no rendering, no images decoded, no fonts
 * loaded into a page, no scripts, no XFA). Takes ownership of `bytes` (pdf.js may detach its buffer).
 */
export async function extractPdfText(
  bytes: Uint8Array,
  limits: PdfTextLimits = DEFAULT_PDF_TEXT_LIMITS,
): Promise<PdfText> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    useWasm: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
    // Metrics of the standard 14 fonts and CMaps, read from node_modules (never fetched).
    ...pdfjsDataUrls(),
    cMapPacked: true,
  });
  try {
    const doc = await task.promise;
    const count = Math.min(doc.numPages, limits.maxPages);
    const pages: string[] = [];
    for (let n = 1; n <= count; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(joinTextItems(content.items, limits.maxPageChars));
      page.cleanup();
    }
    return { pages, pagesSkipped: doc.numPages - count };
  } finally {
    await task.destroy();
  }
}
