import { describe, expect, test } from 'vitest';
import { extractPdfText } from '../../electron/services/documents/pdf-text-extraction';
import { anchorAt, reanchor, type TextAnchor } from '../../electron/contract/text-anchor';
import { makeGermanPdf } from '../support/german-test-pdf';

/** The text of a real PDF as the app reads it (pdf.js), page by page. */
async function pagesOf(lines: string[][]): Promise<string[]> {
  return (await extractPdfText(await makeGermanPdf(lines.map((l) => ({ lines: l }))))).pages;
}

/** The anchor of `quote` on `page` (its first occurrence, or the `nth`). */
function anchorOf(pages: string[], page: number, quote: string, nth = 0): TextAnchor {
  const text = pages[page - 1] ?? '';
  let at = text.indexOf(quote);
  for (let i = 0; i < nth; i++) at = text.indexOf(quote, at + 1);
  if (at < 0) throw new Error(`"${quote}" is not on page ${page}`);
  return anchorAt(pages, page, at, at + quote.length);
}

const VERSION_1 = [
  [
    'Beschlussvorlage 2026/041: Radverkehr in der Innenstadt',
    'Die Verwaltung schlägt vor, den Radweg an der Hauptstraße zu verbreitern.',
    'Die Kosten betragen 240.000 Euro und werden aus dem Teilplan 54 gedeckt.',
  ],
  [
    'Begründung',
    'Der Ausschuss hat am 12. März beraten. Der Ausschuss empfiehlt die Annahme.',
    'Die Bürgerbeteiligung beginnt im Mai und dauert sechs Wochen.',
  ],
];

/** The revised paper: a new first page (everything moves by a page), one sentence removed, the rest kept. */
const VERSION_2 = [
  ['Änderungsvermerk: Fassung vom 3. April', 'Ersetzt die Fassung vom 20. März.'],
  [
    'Beschlussvorlage 2026/041: Radverkehr in der Innenstadt',
    'Die Verwaltung schlägt vor, den Radweg an der Hauptstraße zu verbreitern.',
  ],
  [
    'Begründung',
    'Der Ausschuss hat am 12. März beraten. Der Ausschuss empfiehlt die Annahme.',
    'Die Bürgerbeteiligung beginnt im Mai und dauert sechs Wochen.',
  ],
];

describe('notes anchored by page, position and quote re-attach to a revised PDF (text read by pdf.js)', () => {
  test('moved quotes are found on their new page; the removed sentence is orphaned, never silently moved', async () => {
    const v1 = await pagesOf(VERSION_1);
    const v2 = await pagesOf(VERSION_2);
    const radweg = anchorOf(v1, 1, 'den Radweg an der Hauptstraße zu verbreitern');
    const kosten = anchorOf(v1, 1, 'Die Kosten betragen 240.000 Euro');
    const beteiligung = anchorOf(v1, 2, 'Bürgerbeteiligung beginnt im Mai');
    // "Der Ausschuss" twice on one page: the second one, told apart by its surroundings.
    const second = anchorOf(v1, 2, 'Der Ausschuss', 1);
    expect(second.suffix.startsWith(' empfiehlt')).toBe(true);

    // The same text: every anchor where it was.
    for (const a of [radweg, kosten, beteiligung, second])
      expect(reanchor(a, v1)).toEqual({ state: 'anchored', page: a.page, start: a.start, end: a.end, moved: false });

    const moved = reanchor(radweg, v2);
    expect(moved).toMatchObject({ state: 'anchored', page: 2, moved: true });
    if (moved.state === 'anchored') expect(v2[1]?.slice(moved.start, moved.end)).toBe(radweg.exact);

    const later = reanchor(beteiligung, v2);
    expect(later).toMatchObject({ state: 'anchored', page: 3 });
    if (later.state === 'anchored') expect(v2[2]?.slice(later.start, later.end)).toBe(beteiligung.exact);

    const ausschuss = reanchor(second, v2);
    expect(ausschuss).toMatchObject({ state: 'anchored', page: 3 });
    if (ausschuss.state === 'anchored') expect(v2[2]?.slice(ausschuss.end, ausschuss.end + 10)).toBe(' empfiehlt');

    expect(reanchor(kosten, v2)).toEqual({ state: 'orphaned' });
  });

  test('a quote broken over lines differently still matches; an empty or absurd quote is bounded', () => {
    const before = ['Die Bürger-\nbeteiligung  beginnt\nim Mai.'];
    const after = ['Vorwort.\nDie Bürger- beteiligung beginnt im\nMai.'];
    const a = anchorAt(before, 1, 4, before[0]!.length - 1);
    const found = reanchor(a, after);
    expect(found).toMatchObject({ state: 'anchored', page: 1, moved: true });
    if (found.state === 'anchored')
      expect(after[0]?.slice(found.start, found.end)).toBe('Bürger- beteiligung beginnt im\nMai');

    expect(reanchor({ ...a, exact: ' \n ' }, after)).toEqual({ state: 'orphaned' });
    // A page of 200,000 'a' and a quote of 'a's: 200 occurrences weighed at most, the nearest one wins.
    const huge = ['a'.repeat(200_000)];
    expect(reanchor(anchorAt(huge, 1, 100, 140), huge)).toMatchObject({ state: 'anchored', start: 100, end: 140 });
    expect(anchorAt(huge, 1, 0, 100_000).exact.length).toBe(4_000);
  });
});
