/**
 * Dates typed and shown in the UI language's own order and separators (29.11.2026 in German), stored as
 * ISO yyyy-mm-dd. A native <input type=date> follows the browser's locale instead of the UI's: inside a
 * German UI it may read mm/dd/yyyy.
 */

import { dateTimeFormat } from '../i18n/date-time-format';

type Part = 'day' | 'month' | 'year';

/** Worked out once per language: the date fields ask on every render. */
const patterns = new Map<string, { order: Part[]; separator: string }>();

/** The order of day, month and year and the separator the language writes between them. */
export function datePattern(language: string): { order: Part[]; separator: string } {
  const known = patterns.get(language);
  if (known) return { order: [...known.order], separator: known.separator };
  const parts = dateTimeFormat(language, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(
    new Date(2026, 10, 29),
  );
  const order = parts.map((p) => p.type).filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '.';
  patterns.set(language, { order, separator });
  return { order: [...order], separator };
}

/** yyyy-mm-dd → the language's short date ("29.11.2026"); '' for '' or anything unreadable. */
export function formatLocalDate(iso: string, language: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const { order, separator } = datePattern(language);
  const values: Record<Part, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  return order.map((p) => values[p]).join(separator);
}

/**
 * What a person typed, in the language's order, → yyyy-mm-dd. Any non-digit separates; two-digit years
 * are 20xx. Undefined when it is not a real calendar date (31.02.2026) or not three numbers.
 */
export function parseLocalDate(text: string, language: string): string | undefined {
  const numbers = text.trim().split(/\D+/).filter(Boolean);
  if (numbers.length !== 3 || numbers.some((n) => n.length > 4)) return undefined;
  const { order } = datePattern(language);
  const value: Partial<Record<Part, number>> = {};
  order.forEach((p, i) => (value[p] = Number(numbers[i])));
  let { year = 0 } = value;
  const { month = 0, day = 0 } = value;
  if (numbers[order.indexOf('year')]!.length <= 2) year += 2000;
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
