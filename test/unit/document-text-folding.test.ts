import { describe, expect, test } from 'vitest';
import { hyphenatedWords, pageIndexText } from '../../electron/services/documents/document-index-text';
import { documentKindOf } from '../../electron/services/documents/document-kind';
import { comparableTerms, snippetAround } from '../../electron/services/search/search-snippet';
import { findInPage, pageTextOf } from '../../renderer/src/features/documents/pdf-text-search';

describe('document text: what the index holds and how a hit is found again', () => {
  test('the index text spells out ligatures, folds ß and adds words a line end hyphenated', () => {
    const indexed = pageIndexText('Die \uFB01nanzielle Förderung der Haupt-\nstraße und der Bürger-\nbeteiligung');
    expect(indexed).toContain('finanzielle');
    expect(indexed).toContain('Hauptstrasse');
    expect(indexed).toContain('Bürgerbeteiligung');
    // The parts stay too.
    expect(indexed).toContain('Bürger-');
  });

  test('only a lower-case continuation joins ("Haupt-" / "und" joins, "Rat-" / "Haus" does not)', () => {
    expect(hyphenatedWords('Haupt-\nund Finanzausschuss\nRat-\nHaus\nEnde -\nx')).toEqual(['Hauptund']);
  });

  test('a hostile page (one 200,000-letter word ending in a hyphen) costs linear time', () => {
    const page = `${'a'.repeat(200_000)}-\n${'b'.repeat(200_000)}`;
    expect(hyphenatedWords(page)[0]).toHaveLength(400_000);
  });

  test('a snippet is cut around the first word the query starts, folded like the index', () => {
    const text = `${'Vorrede '.repeat(40)}Die Verwaltung plant an der HAUPTSTRASSE einen Radweg.\nDie Bürger-\nbeteiligung folgt.`;
    const s = snippetAround(text, comparableTerms('hauptstraße radw'));
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text).toContain('HAUPTSTRASSE einen Radweg');
    expect(s.words).toEqual(['HAUPTSTRASSE', 'Radweg']);
    // A word joined over a line end is named whole (the viewer joins it alike).
    expect(snippetAround(text, comparableTerms('Bürgerbeteiligung')).words).toEqual(['Bürgerbeteiligung']);
    // Prefixes start words only: "weg" is not in "Radweg".
    expect(snippetAround(text, comparableTerms('weg')).words).toEqual([]);
  });

  test('the viewer finds a hyphenated word whole and highlights both of its parts', () => {
    const text = pageTextOf([
      { str: 'Die Bürger-', hasEOL: true },
      { str: 'beteiligung beginnt.', hasEOL: false },
    ]);
    const [hit] = findInPage(text, 'Bürgerbeteiligung', 1);
    expect(hit).toBeDefined();
    // A compound split before an upper-case word keeps its hyphen.
    expect(findInPage(pageTextOf([{ str: 'Haupt-', hasEOL: true }, { str: 'Ausschuss' }]), 'haupt-', 1)).toHaveLength(
      1,
    );
  });

  test('the kind of a document comes from its MIME type, else from its name', () => {
    expect(documentKindOf('x.bin', 'application/pdf')).toBe('pdf');
    expect(documentKindOf('Vorlage.PDF', 'application/octet-stream')).toBe('pdf');
    expect(documentKindOf('Tabelle.xlsx', 'application/octet-stream')).toBe('xlsx');
    expect(documentKindOf('a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'docx',
    );
    expect(documentKindOf('liste.csv', 'text/csv; charset=utf-8')).toBe('csv');
    expect(documentKindOf('bild.png', 'image/png')).toBe('other');
  });
});
