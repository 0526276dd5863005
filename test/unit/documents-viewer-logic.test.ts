import { describe, expect, test } from 'vitest';
import { exportFileName } from '../../electron/services/documents/document-export';
import { highlightRects } from '../../renderer/src/features/documents/pdf-highlight-rects';
import { findInPage, itemRangesOf, pageTextOf } from '../../renderer/src/features/documents/pdf-text-search';
import { unwrapBytes, wrapBytes } from '../e2e/harness/bytes-transport';

describe('search in a PDF page', () => {
  const runs = [{ str: 'Haushaltssatzung der ' }, { str: 'Stadt', hasEOL: true }, { str: 'Beschluss: HAUSHALT' }];
  const text = pageTextOf(runs);

  test('finds every occurrence case-insensitively, across items', () => {
    const hits = findInPage(text, 'haushalt', 3);
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.page === 3)).toBe(true);
    expect(findInPage(text, 'der stadt', 1)).toHaveLength(1);
    expect(findInPage(text, '   ', 1)).toEqual([]);
    expect(findInPage(text, 'Rathaus', 1)).toEqual([]);
  });

  test('maps a match back to the item characters it covers', () => {
    const [hit] = findInPage(text, 'der stadt', 1);
    expect(hit && itemRangesOf(text, hit)).toEqual([
      { item: 0, from: 17, to: 21 },
      { item: 1, from: 0, to: 5 },
    ]);
  });

  test('highlight rectangles cover the matched part of an item, in viewport pixels', () => {
    const items = [{ str: 'abcdefghij', transform: [10, 0, 0, 10, 100, 700], width: 50, height: 10 }];
    // A viewport that flips y around a page height of 800 and scales by 2.
    const viewport = {
      convertToViewportRectangle: ([x1 = 0, y1 = 0, x2 = 0, y2 = 0]: number[]) => [
        x1 * 2,
        (800 - y1) * 2,
        x2 * 2,
        (800 - y2) * 2,
      ],
    };
    const [rect] = highlightRects(items, [{ item: 0, from: 2, to: 6 }], viewport);
    expect(rect?.left).toBeCloseTo(220);
    expect(rect?.width).toBeCloseTo(40);
    expect(rect?.height).toBeCloseTo(21);
  });
});

describe('"Save as…" file name', () => {
  test('never a path, never empty', () => {
    expect(exportFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(exportFileName('Vorlage 12/2026: Haushalt.pdf')).toBe('Vorlage 12_2026_ Haushalt.pdf');
    expect(exportFileName('...')).toBe('document');
    expect(exportFileName('a\u0000b')).toBe('ab');
  });
});

describe('harness byte transport', () => {
  test('Uint8Array survives a JSON round trip, nested, both ways', async () => {
    const value = {
      ok: true,
      value: { meta: { name: 'x' }, bytes: new Uint8Array([0, 1, 254, 255]), list: [new Uint8Array([7])] },
    };
    const json = JSON.parse(
      JSON.stringify(wrapBytes(value, (b) => ({ __ratsdeskBytes: Buffer.from(b).toString('base64') }))),
    ) as unknown;
    const back = await unwrapBytes(json, (w) =>
      '__ratsdeskBytes' in w ? new Uint8Array(Buffer.from(w.__ratsdeskBytes, 'base64')) : new Uint8Array(0),
    );
    expect(back).toEqual(value);
  });
});
