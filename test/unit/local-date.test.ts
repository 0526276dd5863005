import { describe, expect, test } from 'vitest';
import { formatLocalDate, parseLocalDate } from '../../renderer/src/ui/local-date';

describe('date fields in the UI language (no mm/dd/yyyy inside the German UI)', () => {
  test('German: shown and typed as TT.MM.JJJJ', () => {
    expect(formatLocalDate('2026-11-29', 'de')).toBe('29.11.2026');
    expect(parseLocalDate('29.11.2026', 'de')).toBe('2026-11-29');
    expect(parseLocalDate('1.2.26', 'de')).toBe('2026-02-01');
    expect(parseLocalDate(' 03.04.2026 ', 'de')).toBe('2026-04-03');
  });
  test('English (British and US order follow the language tag)', () => {
    expect(formatLocalDate('2026-11-29', 'en-GB')).toBe('29/11/2026');
    expect(parseLocalDate('29/11/2026', 'en-GB')).toBe('2026-11-29');
    expect(formatLocalDate('2026-11-29', 'en-US')).toBe('11/29/2026');
    expect(parseLocalDate('11/29/2026', 'en-US')).toBe('2026-11-29');
  });
  test('not a date: refused', () => {
    for (const bad of ['31.02.2026', '29.13.2026', '0.1.2026', '29.11', '', 'gestern', '1.1.1.2026', '12.12.123456'])
      expect(parseLocalDate(bad, 'de'), bad).toBeUndefined();
    expect(formatLocalDate('29.11.2026', 'de')).toBe('');
  });
});
