/**
 * One Intl.DateTimeFormat per language and options, kept: `date.toLocaleDateString(language, options)` builds
 * a new formatter (locale data, patterns) on every call — about a millisecond each, which the message list
 * paid per row (63 rows on a tall screen at start-up). A kept formatter formats the same string in microseconds.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The kept formatter for `language` and `options` (built on first use; languages and option sets are few). */
export function dateTimeFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    formats.set(key, format);
  }
  return format;
}
