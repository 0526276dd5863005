/**
 * Search in a PDF's text, page by page: the text items pdf.js extracts are joined into one string per
 * page; a match is a range in that string, mapped back to the items (and the characters inside them) it
 * covers, so the viewer can draw highlights over the rendered page. Case-insensitive.
 */

export interface TextRun {
  str: string;
  hasEOL?: boolean;
}

export interface PageText {
  /** Lower-cased text of the page, the items joined (a space after an item that ends a line). */
  folded: string;
  /** The same text as the page spells it (same length and offsets as `folded`): what a highlight quotes. */
  text: string;
  /** Where each item sits in `folded`. */
  spans: { item: number; start: number; end: number }[];
}

export interface SearchMatch {
  /** 1-based page number. */
  page: number;
  start: number;
  end: number;
}

export interface ItemRange {
  item: number;
  /** Character offsets inside the item's string. */
  from: number;
  to: number;
}

function fold(text: string): string {
  // Lower-casing that keeps the length, so offsets in the folded text are offsets in the original.
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}

const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;

/**
 * A word the line end hyphenated ("Verwal-" then "tung" on the next line) is joined for searching, as the
 * document index joins it: the hyphen and the line break are left out of the folded text.
 */
function endsHyphenated(run: TextRun, next: TextRun | undefined): boolean {
  const s = run.str;
  return (
    run.hasEOL === true &&
    s.length > 1 &&
    s.endsWith('-') &&
    LETTER.test(s.charAt(s.length - 2)) &&
    next !== undefined &&
    LOWER.test(next.str.charAt(0))
  );
}

export function pageTextOf(runs: readonly TextRun[]): PageText {
  let text = '';
  const spans: PageText['spans'] = [];
  runs.forEach((run, item) => {
    const start = text.length;
    if (endsHyphenated(run, runs[item + 1])) {
      text += run.str.slice(0, -1);
      spans.push({ item, start, end: text.length });
      return;
    }
    text += run.str;
    spans.push({ item, start, end: text.length });
    if (run.hasEOL) text += ' ';
  });
  return { folded: fold(text), text, spans };
}

/** Where character `offset` of item `item` sits in the page text (the end of the item when past it). */
export function pageOffsetOf(text: PageText, item: number, offset: number): number | undefined {
  const span = text.spans.find((s) => s.item === item);
  if (!span) return undefined;
  return span.start + Math.max(0, Math.min(offset, span.end - span.start));
}

/** Every (non-overlapping) occurrence of query on one page. */
export function findInPage(text: PageText, query: string, page: number): SearchMatch[] {
  const needle = fold(query.trim());
  if (!needle) return [];
  const found: SearchMatch[] = [];
  let from = 0;
  for (;;) {
    const at = text.folded.indexOf(needle, from);
    if (at < 0) return found;
    found.push({ page, start: at, end: at + needle.length });
    from = at + needle.length;
  }
}

/** The parts of the page's items a match covers. */
export function itemRangesOf(text: PageText, match: Pick<SearchMatch, 'start' | 'end'>): ItemRange[] {
  const ranges: ItemRange[] = [];
  for (const span of text.spans) {
    if (span.end <= match.start || span.start >= match.end) continue;
    ranges.push({
      item: span.item,
      from: Math.max(match.start, span.start) - span.start,
      to: Math.min(match.end, span.end) - span.start,
    });
  }
  return ranges;
}
