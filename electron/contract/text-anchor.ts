/**
 * Where a note sits in a document's text, anchored so it survives a revised file: the page and position
 * (as W3C Web Annotation's TextPositionSelector) plus the quoted text with a little of its surroundings
 * (TextQuoteSelector). When the RIS publishes a new version of a paper, `reanchor` finds the quote again —
 * on another page, at another position — and tells a quote that is gone ("Text geändert") from one that moved.
 */
export interface TextAnchor {
  /** 1-based page of the quote when the note was made. */
  page: number;
  /** Start and end (exclusive) within that page's text. */
  start: number;
  end: number;
  /** The quoted text, and up to CONTEXT_CHARS before and after it on its page. */
  exact: string;
  prefix: string;
  suffix: string;
}

export type Reanchored =
  | { state: 'anchored'; page: number; start: number; end: number; moved: boolean }
  /** The quote is nowhere in the revised text: the note keeps its old quote and is shown as "Text geändert". */
  | { state: 'orphaned' };

/** Characters of context kept on each side of a quote. */
export const CONTEXT_CHARS = 32;
/** A quote longer than this is cut (a highlight is a passage, not a chapter). */
export const MAX_QUOTE_CHARS = 4_000;
/** Occurrences of a quote weighed per page at most: a very common word does not make re-anchoring slow. */
const MAX_OCCURRENCES_PER_PAGE = 200;

/** Text with runs of white space as one space, and where each character came from in the original. */
interface Collapsed {
  text: string;
  /** Original index of each character of `text`, plus the original length at the end. */
  origin: number[];
}

/**
 * Line breaks and spacing change between two renderings of the same sentence (pdf.js joins text items by
 * layout), so quotes are compared with white space collapsed.
 */
function collapse(text: string): Collapsed {
  let out = '';
  const origin: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      space = true;
      continue;
    }
    if (space && out.length > 0) {
      out += ' ';
      origin.push(i - 1);
    }
    space = false;
    out += ch;
    origin.push(i);
  }
  origin.push(text.length);
  return { text: out, origin };
}

const collapsedText = (text: string) => collapse(text).text;

/** The anchor of `page`'s characters `start`..`end` (exclusive) in a document's page texts. */
export function anchorAt(pages: readonly string[], page: number, start: number, end: number): TextAnchor {
  const text = pages[page - 1] ?? '';
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length, from + MAX_QUOTE_CHARS));
  return {
    page,
    start: from,
    end: to,
    exact: text.slice(from, to),
    prefix: text.slice(Math.max(0, from - CONTEXT_CHARS), from),
    suffix: text.slice(to, to + CONTEXT_CHARS),
  };
}

/** Length of the common end of `a` and `b`. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Length of the common start of `a` and `b`. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface Candidate {
  page: number;
  start: number;
  end: number;
  context: number;
  distance: number;
}

/**
 * Finds the anchor's quote in a document's (revised) page texts. Every occurrence of the quote is weighed by
 * how much of its recorded surroundings it still has; among equals the one nearest its old place wins (same
 * page first, then the nearest page, then the nearest position). No occurrence at all: orphaned.
 */
export function reanchor(anchor: TextAnchor, pages: readonly string[]): Reanchored {
  const exact = collapsedText(anchor.exact);
  if (!exact) return { state: 'orphaned' };
  const prefix = collapsedText(anchor.prefix);
  const suffix = collapsedText(anchor.suffix);
  let best: Candidate | undefined;
  for (let p = 1; p <= pages.length; p++) {
    const page = collapse(pages[p - 1] ?? '');
    let at = page.text.indexOf(exact);
    for (let seen = 0; at >= 0 && seen < MAX_OCCURRENCES_PER_PAGE; seen++) {
      const before = page.text.slice(Math.max(0, at - prefix.length - 1), at).trimEnd();
      const after = page.text.slice(at + exact.length, at + exact.length + suffix.length + 1).trimStart();
      const start = page.origin[at] ?? 0;
      const end = (page.origin[at + exact.length - 1] ?? start) + 1;
      const candidate: Candidate = {
        page: p,
        start,
        end,
        context: commonSuffix(before, prefix.trimEnd()) + commonPrefix(after, suffix.trimStart()),
        distance: Math.abs(p - anchor.page) * 1_000_000 + Math.abs(start - anchor.start),
      };
      if (
        !best ||
        candidate.context > best.context ||
        (candidate.context === best.context && candidate.distance < best.distance)
      )
        best = candidate;
      at = page.text.indexOf(exact, at + 1);
    }
  }
  if (!best) return { state: 'orphaned' };
  return {
    state: 'anchored',
    page: best.page,
    start: best.start,
    end: best.end,
    moved: best.page !== anchor.page || best.start !== anchor.start,
  };
}
