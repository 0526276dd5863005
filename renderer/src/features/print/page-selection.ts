/** At most this many pages go into one print job (each is drawn as an image first). */
export const MAX_PRINT_PAGES = 500;

/**
 * "1-3, 5, 8-" → [1, 2, 3, 5, 8, …, last]: the pages a person chose, in order, each once. Undefined when
 * the text is not a page selection or names a page the document does not have.
 */
export function parsePageSelection(text: string, numPages: number): number[] | undefined {
  const pages = new Set<number>();
  const parts = text.split(/[,;]/).map((p) => p.trim());
  if (parts.every((p) => p === '')) return undefined;
  for (const part of parts) {
    if (part === '') continue;
    const m = /^(\d{1,6})?\s*(?:([-–])\s*(\d{1,6})?)?$/.exec(part);
    if (!m || (m[1] === undefined && m[3] === undefined)) return undefined;
    const from = m[1] === undefined ? 1 : Number(m[1]);
    const to = m[2] === undefined ? from : m[3] === undefined ? numPages : Number(m[3]);
    if (from < 1 || to > numPages || from > to) return undefined;
    for (let p = from; p <= to; p++) {
      pages.add(p);
      if (pages.size > MAX_PRINT_PAGES) return undefined;
    }
  }
  return [...pages].sort((a, b) => a - b);
}

/** Every page of a document, as long as there are not more than MAX_PRINT_PAGES. */
export function allPages(numPages: number): number[] | undefined {
  if (numPages < 1 || numPages > MAX_PRINT_PAGES) return undefined;
  return Array.from({ length: numPages }, (_, i) => i + 1);
}
