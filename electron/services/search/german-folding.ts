/**
 * German-friendly folding applied to indexed text and to queries alike: the one definition every search
 * index of the vault uses (mail, document text, notes). The FTS5 tokenizer (unicode61, remove_diacritics 2)
 * already folds ä→a, ö→o, ü→u, é→e and case; what it cannot do is expand ß (and capital ẞ) to ss, so
 * "Strasse" and "Straße" meet only when both sides pass through here.
 */
export function foldGerman(text: string): string {
  // NFC only when combining marks are present (rare; normalizing every body costs time on a big sync).
  const composed = /[\u0300-\u036f]/.test(text) ? text.normalize('NFC') : text;
  return composed.replace(/ß/g, 'ss').replace(/ẞ/g, 'SS');
}

/** The words of a query, folded; anything that is not a letter or digit separates words. */
export function queryTerms(query: string): string[] {
  return foldGerman(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
}

/**
 * One character as the index compares it: case folded, diacritics removed, ß as ss, ligatures (ﬁ, ﬂ) and
 * other compatibility forms spelled out (NFKD). Used where a hit has to be found again in the original text
 * (snippets, the words a viewer highlights), so it agrees with foldGerman plus the tokenizer.
 */
export function foldForComparison(ch: string): string {
  if (ch === 'ß' || ch === 'ẞ') return 'ss';
  return ch
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
