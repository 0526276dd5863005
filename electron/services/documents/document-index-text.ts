import { foldGerman } from '../search/german-folding';

/**
 * What the index holds of one page: the page's text with compatibility forms spelled out (the ligatures ﬁ,
 * ﬂ, ﬀ of typeset PDFs become fi, fl, ff; NFKC), folded as every index of the vault folds (foldGerman), and
 * the words a line break hyphenated ("Verwal-" / "tung") once more joined ("Verwaltung"), so both the parts
 * and the whole word are found. The stored page text stays as pdf.js read it (snippets show it).
 */
export function pageIndexText(text: string): string {
  const compat = text.normalize('NFKC');
  const joined = hyphenatedWords(compat);
  return foldGerman(joined.length > 0 ? `${compat}\n${joined.join(' ')}` : compat);
}

const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;

/** The last word of a line (letters only), or ''. */
function lastWord(line: string): string {
  let start = line.length;
  while (start > 0 && LETTER.test(line.charAt(start - 1))) start--;
  return line.slice(start);
}

/** The first word of a line (letters only), or ''. */
function firstWord(line: string): string {
  let end = 0;
  while (end < line.length && LETTER.test(line.charAt(end))) end++;
  return line.slice(0, end);
}

/**
 * Words split by a hyphen at the end of a line and continued in lower case on the next ("Bürger-" /
 * "beteiligung" → "Bürgerbeteiligung"). Compounds split before "und" ("Haupt-" / "und Finanz…") are joined
 * too; the index keeps the parts as well, so nothing is lost. A linear walk over the lines (no regular
 * expression that could backtrack over a hostile page).
 */
export function hyphenatedWords(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i + 1 < lines.length && out.length < 10_000; i++) {
    const line = (lines[i] ?? '').trimEnd();
    if (!line.endsWith('-')) continue;
    const head = lastWord(line.slice(0, -1));
    const next = (lines[i + 1] ?? '').trimStart();
    if (head.length === 0 || !LOWER.test(next.charAt(0))) continue;
    out.push(head + firstWord(next));
  }
  return out;
}

/** Letters and digits in a text (a page without them has no text layer: a scan). */
export function countWordCharacters(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}]/gu)) n++;
  return n;
}
