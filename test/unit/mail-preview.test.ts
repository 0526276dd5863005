import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewOf } from '../../electron/services/mail/mail-index-repository';

/** The preview as it was defined before it went word by word: the list shows the same text for every body. */
function collapsedPreview(text: string | null): string {
  if (!text) return '';
  return text.slice(0, 1_000).replace(/\s+/g, ' ').trim().slice(0, 200);
}

const spaces = fc.constantFrom(' ', '  ', '\t', '\r\n', '\n\n\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028');
const words = fc.oneof(
  fc.constantFrom('Haushalt', 'Bürger', 'Straße', '😀', 'a', '', 'x'.repeat(250)),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('previewOf', () => {
  it('gives the first words with single spaces, at most 200 characters', () => {
    expect(previewOf('  Guten\r\n\r\nTag,\t Frau  Müller \n')).toBe('Guten Tag, Frau Müller');
    expect(previewOf(null)).toBe('');
    expect(previewOf('')).toBe('');
    expect(previewOf(' \r\n\t ')).toBe('');
    expect(previewOf(`${'Wort '.repeat(100)}`)).toBe(`${'Wort '.repeat(40)}`.slice(0, 200));
    expect(previewOf('x'.repeat(5_000))).toBe('x'.repeat(200));
    // only the first 1,000 characters count, however much of them is whitespace
    expect(previewOf(`${' '.repeat(995)}Hallo Welt`)).toBe('Hallo');
  });

  it('agrees with collapsing the whitespace of the first 1,000 characters', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(words, spaces), { maxLength: 400 }), (parts) => {
        const text = parts.join('');
        expect(previewOf(text)).toBe(collapsedPreview(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
