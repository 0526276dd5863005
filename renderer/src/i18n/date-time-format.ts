/**
 * One Intl.DateTimeFormat per language and options, kept: `date.toLocaleDateString(language, options)` builds
 * a new formatter (locale data, patterns) on every call — about a millisecond each, which the message list
 * paid per row (63 rows on a tall screen at start-up). A kept formatter formats the same string in microseconds.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The Intl locale of a UI language: 'de' → de-DE; 'en' → en-GB (day before month, 24-hour clock, as the
 * city's staff read English dates). A full tag ('en-US', 'de-AT') is taken as it is.
 */
export function localeOf(language: string): string {
  if (language === 'de') return 'de-DE';
  if (language === 'en') return 'en-GB';
  return language;
}

/** The kept formatter for the UI `language` and `options` (built on first use; languages and option sets are few). */
export function dateTimeFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), options);
    formats.set(key, format);
  }
  return format;
}
