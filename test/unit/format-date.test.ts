import { describe, expect, test } from 'vitest';
import { formatListDate } from '../../renderer/src/features/mail/format-date';

// A Sunday afternoon; local time (the formatting is local, as the list shows it).
const now = new Date(2026, 10, 29, 15, 30);

describe('formatListDate: the message list date column in the UI language', () => {
  test('today: the time', () => {
    expect(formatListDate(new Date(2026, 10, 29, 14, 5).toISOString(), 'de', now)).toBe('14:05');
    expect(formatListDate(new Date(2026, 10, 29, 14, 5).toISOString(), 'en-GB', now)).toBe('14:05');
  });
  test('within the last six days: the weekday', () => {
    expect(formatListDate(new Date(2026, 10, 23, 9, 0).toISOString(), 'de', now)).toBe('Montag');
    expect(formatListDate(new Date(2026, 10, 28, 23, 59).toISOString(), 'de', now)).toBe('Samstag');
    expect(formatListDate(new Date(2026, 10, 28, 23, 59).toISOString(), 'en', now)).toBe('Saturday');
  });
  test('older, or in the future: the date, German as 22.11.2026', () => {
    expect(formatListDate(new Date(2026, 10, 22, 9, 0).toISOString(), 'de', now)).toBe('22.11.2026');
    expect(formatListDate(new Date(2026, 10, 30, 9, 0).toISOString(), 'de', now)).toBe('30.11.2026');
    expect(formatListDate(new Date(2026, 10, 22, 9, 0).toISOString(), 'en-US', now)).toBe('11/22/2026');
  });
  test('no date or a broken one: empty', () => {
    expect(formatListDate(null, 'de', now)).toBe('');
    expect(formatListDate('kein Datum', 'de', now)).toBe('');
  });
});
