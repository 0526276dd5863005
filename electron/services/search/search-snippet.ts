import { foldForComparison, queryTerms } from './german-folding';

/** A piece of text around a search hit, and the words that matched (as the text spells them). */
export interface Snippet {
  /** Whitespace collapsed, "…" where the text goes on. */
  text: string;
  /** Distinct words of the text that a query term starts (for highlighting in a viewer). */
  words: string[];
}

const WORD = /[\p{L}\p{N}]/u;
const MAX_WORDS = 20;

/** The query's terms as the comparison folds them (case, diacritics, ß, ligatures). */
export function comparableTerms(query: string): string[] {
  return queryTerms(query)
    .map((t) => [...t].map(foldForComparison).join(''))
    .filter((t) => t.length > 0);
}

const LOWER = /\p{Ll}/u;

/**
 * `text` without the hyphen and line break of words a line end split ("Verwal-\ntung" → "Verwaltung", as the
 * index joins them), and for each of its characters the index in `text` it came from.
 */
function joinHyphenated(text: string): { plain: string; at: number[] } {
  let plain = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (
      text[i] === '-' &&
      text[i + 1] === '\n' &&
      i > 0 &&
      WORD.test(text.charAt(i - 1)) &&
      LOWER.test(text.charAt(i + 2))
    ) {
      i++;
      continue;
    }
    plain += text[i];
    at.push(i);
  }
  return { plain, at };
}

/**
 * Finds where the query's terms start words of `text`, as the index matched them (prefixes, folded alike,
 * hyphenated words joined), and cuts the text around the first hit. Linear in the text: every character is
 * folded once.
 */
export function snippetAround(text: string, terms: readonly string[], radius = 90): Snippet {
  const { plain, at: plainAt } = joinHyphenated(text);
  // The folded text, and for each of its characters the index in `plain` it came from.
  let folded = '';
  const from: number[] = [];
  let i = 0;
  for (const ch of plain) {
    const f = foldForComparison(ch);
    for (let k = 0; k < f.length; k++) from.push(i);
    folded += f;
    i += ch.length;
  }
  let first = -1;
  const words = new Set<string>();
  for (const term of terms) {
    let at = folded.indexOf(term);
    while (at >= 0 && words.size < MAX_WORDS) {
      if (at === 0 || !WORD.test(folded.charAt(at - 1))) {
        const start = from[at] ?? 0;
        const inText = plainAt[start] ?? 0;
        if (first < 0 || inText < first) first = inText;
        let end = start;
        while (end < plain.length && WORD.test(plain.charAt(end))) end++;
        words.add(plain.slice(start, end));
      }
      at = folded.indexOf(term, at + term.length);
    }
  }
  const center = Math.max(0, first);
  let start = Math.max(0, center - Math.floor(radius / 3));
  let end = Math.min(text.length, start + radius * 2);
  // Whole words at the edges.
  while (start > 0 && WORD.test(text.charAt(start - 1)) && center - start < radius) start--;
  while (end < text.length && WORD.test(text.charAt(end)) && end - center < radius * 2) end++;
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return {
    text: `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`,
    words: [...words],
  };
}
