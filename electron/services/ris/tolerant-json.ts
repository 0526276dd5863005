import { RatsdeskError } from '../../contract/errors';

/**
 * Escape raw control characters (U+0000–U+001F) that appear inside JSON strings. Some RIS servers
 * emit tabs and line breaks from their database unescaped, which strict JSON forbids. Whitespace
 * between tokens is left alone.
 */
export function escapeControlCharsInStrings(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // skip the escaped character
      } else if (c === 0x22) {
        inString = false;
      } else if (c < 0x20) {
        out += text.slice(last, i) + `\\u${c.toString(16).padStart(4, '0')}`;
        last = i + 1;
      }
    } else if (c === 0x22) {
      inString = true;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Parse a RIS response as JSON, tolerating unescaped control characters; RIS_INVALID_JSON otherwise. */
export function parseTolerantJson(body: Buffer | string, where: string): unknown {
  const text = (typeof body === 'string' ? body : body.toString('utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(escapeControlCharsInStrings(text));
    } catch (err) {
      throw new RatsdeskError('RIS_INVALID_JSON', where.slice(0, 300), { cause: err });
    }
  }
}
