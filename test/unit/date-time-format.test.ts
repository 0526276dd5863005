import { describe, expect, test } from 'vitest';
import { dateTimeFormat, localeOf } from '../../renderer/src/i18n/date-time-format';
import { formatMeetingTime, formatRisDate, formatRisDateTime } from '../../renderer/src/features/ris/ris-format';
import { datePattern } from '../../renderer/src/ui/local-date';

const at = new Date(2026, 1, 3, 17, 0);

describe('kept date formatters (the message list and council pages format many dates at start)', () => {
  test('one formatter per language and options, built once', () => {
    const a = dateTimeFormat('de', { day: '2-digit', month: '2-digit', year: 'numeric' });
    expect(dateTimeFormat('de', { day: '2-digit', month: '2-digit', year: 'numeric' })).toBe(a);
    expect(dateTimeFormat('en', { day: '2-digit', month: '2-digit', year: 'numeric' })).not.toBe(a);
    expect(dateTimeFormat('de', { weekday: 'long' })).not.toBe(a);
  });

  test("council dates read as toLocale… wrote them in the UI language's locale (de-DE, en-GB)", () => {
    for (const language of ['de', 'en']) {
      expect(formatRisDate(at.toISOString(), language)).toBe(
        at.toLocaleDateString(localeOf(language), { day: '2-digit', month: '2-digit', year: 'numeric' }),
      );
      expect(formatRisDateTime(at.toISOString(), language)).toBe(
        at.toLocaleString(localeOf(language), {
          weekday: 'short',
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }),
      );
    }
    expect(formatRisDate(at.toISOString(), 'de')).toBe('03.02.2026');
    expect(formatMeetingTime(at.toISOString(), new Date(2026, 1, 3, 19, 30).toISOString(), 'de')).toBe(
      `${formatRisDateTime(at.toISOString(), 'de')} – 19:30`,
    );
  });

  test('a date pattern handed out cannot change the kept one', () => {
    const first = datePattern('de');
    first.order.reverse();
    expect(datePattern('de')).toEqual({ order: ['day', 'month', 'year'], separator: '.' });
  });
});
