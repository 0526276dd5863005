/**
 * The one sanitizer for names that reach the screen or the disk: mail attachments, RIS files, cached and
 * exported documents, files saved with "Speichern unter" and files picked from disk. It lives in the contract
 * because both sides need it: the services before anything is written, the contract's output schemas before a
 * name reaches the renderer.
 *
 * Why each step (issue #10 item 11, issue #19 item 6):
 * - Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E/U+200F) and every other format
 *   character (Unicode category Cf) can make `Vorlage\u202Efdp.exe` look like "Vorlageexe.pdf": all go, as do
 *   control characters (Cc) and line/paragraph separators, which no file name needs.
 * - Path separators never survive (a name is never a path); Windows' forbidden characters and device names
 *   (CON, NUL, COM1, …) are replaced so the same name saves on every platform.
 * - Most file systems allow 255 bytes per name, not 255 characters: the limit is 255 UTF-8 bytes, cut on a
 *   character boundary, keeping the extension (a 200-character umlaut name is ~400 bytes and would fail).
 *
 * Every step is a single pass or a regular expression without nested or adjacent quantifiers: names come from
 * hostile mail and servers, and must cost linear time (issue #10 item 2).
 */
import { z } from 'zod';

/** Control, format, separator and lone-surrogate characters: never part of a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const PATH_SEPARATOR = /[/\\]/;
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(?:\.|$)/i;
/** Bytes per name on ext4, NTFS (in UTF-16 units, fewer than bytes), APFS, btrfs. */
export const MAX_FILE_NAME_BYTES = 255;
/** An extension longer than this is not kept whole when the name is cut. */
const MAX_EXTENSION_BYTES = 32;

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** The longest prefix of `text` (whole code points) that fits `maxBytes` UTF-8 bytes. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

function isTrimmed(ch: string | undefined): boolean {
  return ch === '.' || (ch !== undefined && ch.trim() === '');
}

/** Without leading and trailing dots and white space (a loop: a regex like /[\s.]+$/ is quadratic). */
function trimDotsAndSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmed(text[start])) start++;
  while (end > start && isTrimmed(text[end - 1])) end--;
  return text.slice(start, end);
}

/** Text for the screen: NFC, without control, format (bidi) and separator characters. */
export function withoutInvisibleCharacters(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '');
}

export interface SafeFileNameOptions {
  /** The name when nothing usable is left (default "document"). */
  fallback?: string;
  /**
   * 'last-segment': a MIME file name parameter that carries a path keeps only its last segment (RFC 2183 §2.3);
   * 'replace' (default): a title like "Vorlage 12/2026" keeps its words, the separators become "_".
   */
  paths?: 'last-segment' | 'replace';
}

/** A name safe to show, to offer in a save dialog and to write: never a path, never empty, ≤ 255 UTF-8 bytes. */
export function safeFileName(name: string | null | undefined, options: SafeFileNameOptions = {}): string {
  const fallback = options.fallback ?? 'document';
  let s = withoutInvisibleCharacters(name ?? '');
  if (options.paths === 'last-segment') {
    const segments = s.split(PATH_SEPARATOR).filter((seg) => trimDotsAndSpace(seg) !== '');
    s = segments[segments.length - 1] ?? '';
  } else {
    s = s.split(PATH_SEPARATOR).join('_');
  }
  s = trimDotsAndSpace(s.replace(WINDOWS_FORBIDDEN, '_'));
  if (WINDOWS_DEVICE.test(s)) s = `_${s}`;
  if (utf8Length(s) > MAX_FILE_NAME_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && utf8Length(s.slice(dot)) <= MAX_EXTENSION_BYTES ? s.slice(dot) : '';
    const stem = trimDotsAndSpace(cutToBytes(s.slice(0, s.length - ext.length), MAX_FILE_NAME_BYTES - utf8Length(ext)));
    s = stem === '' ? '' : stem + ext;
  }
  return s === '' ? fallback : s;
}

/** A name field of an output schema: what crosses to the renderer is shown without invisible characters. */
export function shownNameSchema(maxLength: number) {
  return z.string().max(maxLength).transform(withoutInvisibleCharacters);
}
