import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatNumber,
  formatTime,
  formatWeekday,
  localeOf,
} from '../../renderer/src/i18n/locale-format';
import { resources } from '../../renderer/src/i18n/resources';

// Local time: the views show the person's own clock.
const when = new Date(2026, 10, 29, 14, 5);

describe('one formatter per kind, following the UI language (29.11.2026, 14:05; 1,2 MB)', () => {
  test('sizes: "1,2 MB" in German, "1.2 MB" in English; no size is empty', () => {
    expect(formatBytes(1_234_567, 'de')).toBe('1,2 MB');
    expect(formatBytes(1_234_567, 'en')).toBe('1.2 MB');
    expect(formatBytes(999, 'de')).toBe('999 B');
    expect(formatBytes(45_300, 'de')).toBe('45,3 KB');
    expect(formatBytes(123_456_789, 'de')).toBe('123 MB');
    expect(formatBytes(2_500_000_000, 'en')).toBe('2.5 GB');
    for (const none of [null, 0, -5, Number.NaN]) expect(formatBytes(none, 'de')).toBe('');
  });

  test('numbers and counts: 1.240 in German, 1,240 in English', () => {
    expect(formatNumber(1240, 'de')).toBe('1.240');
    expect(formatNumber(1240, 'en')).toBe('1,240');
    expect(formatNumber(50_000, 'de')).toBe('50.000');
  });

  test('dates: 29.11.2026 in German, 29/11/2026 in English (day first, as the city writes it)', () => {
    expect(formatDate(when, 'de')).toBe('29.11.2026');
    expect(formatDate(when.toISOString(), 'en')).toBe('29/11/2026');
    expect(formatDate(null, 'de')).toBe('');
    expect(formatDate('kein Datum', 'de')).toBe('');
  });

  test('times: 14:05 in both languages (24-hour clock)', () => {
    expect(formatTime(when, 'de')).toBe('14:05');
    expect(formatTime(when, 'en')).toBe('14:05');
    expect(formatTime(undefined, 'en')).toBe('');
  });

  test('date and time together', () => {
    expect(formatDateTime(when, 'de')).toBe('29.11.2026, 14:05');
    expect(formatDateTime(when, 'en')).toBe('29/11/2026, 14:05');
    expect(formatDateTime('', 'de')).toBe('');
  });

  test('weekdays', () => {
    expect(formatWeekday(when, 'de')).toBe('Sonntag');
    expect(formatWeekday(when, 'en')).toBe('Sunday');
    expect(formatWeekday(when, 'de', 'short')).toMatch(/^So\.?$/); // ICU versions differ on the dot
  });

  test('the UI languages map to their Intl locale; a full tag stays as it is', () => {
    expect(localeOf('de')).toBe('de-DE');
    expect(localeOf('en')).toBe('en-GB');
    expect(localeOf('en-US')).toBe('en-US');
  });

  test('counts inside the UI text are formatted too ("1.240 Nachrichten", "1,240 messages")', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { de: { translation: resources.de }, en: { translation: resources.en } },
      lng: 'de',
      interpolation: { escapeValue: false },
    });
    expect(i18n.t('mail.count', { count: 1240 })).toBe('1.240 Nachrichten');
    expect(i18n.t('mail.count', { count: 1240, lng: 'en' })).toBe('1,240 messages');
    expect(i18n.t('mail.count', { count: 1 })).toBe('1 Nachricht');
  });
});
