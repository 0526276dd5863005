import { loadPdfJs } from '../../electron/services/documents/pdf-text-extraction';

/** What pdf.js reads from a PDF: its page count, and per asked page its text, rotation and size. */
export interface PdfPagesRead {
  numPages: number;
  pages: Record<number, { text: string; rotate: number; view: number[]; index: number }>;
}

/**
 * Opens `bytes` with pdf.js (the viewer's reader, its Node build) and reads pages `numbers` (1-based; pages past
 * the end are left out): the text, the rotation and the media box (both may be inherited through /Parent), and the
 * page's index as pdf.js's page-index lookup finds it (through /Parent, as links and outlines do).
 */
export async function readPdfPages(bytes: Uint8Array, numbers: readonly number[]): Promise<PdfPagesRead> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useWasm: false, verbosity: 0 });
  try {
    const doc = await task.promise;
    const pages: PdfPagesRead['pages'] = {};
    for (const n of numbers) {
      if (n > doc.numPages) continue;
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
      pages[n] = {
        text,
        rotate: page.rotate,
        view: [...page.view],
        index: page.ref ? await doc.getPageIndex(page.ref) : -1,
      };
    }
    return { numPages: doc.numPages, pages };
  } finally {
    await task.destroy();
  }
}

/** `bytes` with `update` appended, as the viewer reads a document with its page-tree update. */
export function withUpdate(bytes: Uint8Array, update: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength + update.byteLength);
  out.set(bytes, 0);
  out.set(update, bytes.byteLength);
  return out;
}
