/**
 * Text from mail that the app shows on one line — subjects, display names, addresses, previews — bounded and
 * cleaned the same way where it is stored (the sync), where it is read (the repositories) and on its way out
 * (the contract's output schemas). It lives in the contract because all three need the same rule.
 *
 * Why (issue #10 item 3, issue #19 item 5):
 * - Any sender can write a Subject of a megabyte. Stored whole, it made the list page that holds it fail the
 *   output schema, and the whole inbox showed "0 Nachrichten". Every such field is cut to its bound with an
 *   ellipsis ("…") so the person sees that something was cut; the original stays in the stored source.
 * - Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what follows them: "Protokoll
 *   (\u202EFDP.exe)" reads as "Protokoll (exe.PDF)". They are removed; everything else (letters of every
 *   script, emoji joiners) stays. The renderer also isolates every such string (`<bdi>`), so even a
 *   right-to-left name cannot pull the text around it.
 * - Control characters (a folded header's line breaks, tabs) become one space: these fields are one line.
 *
 * Single passes only: these strings come from hostile mail (issue #10 item 2).
 */
import { z } from 'zod';

/** The bounds of mail text fields that cross the contract (characters, UTF-16 code units). */
export const MAIL_TEXT_LIMITS = {
  subject: 1000,
  name: 1000,
  address: 1000,
  messageId: 2000,
  preview: 400,
  folder: 1000,
} as const;

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_RUN = /[\p{Cc}\u2028\u2029]+/gu;
export const ELLIPSIS = '\u2026';

/** Without bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069). */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * `text` when it fits `max` characters, else its first `max - 1` characters (never half a surrogate pair) and
 * an ellipsis, so the result has at most `max` characters and shows that it was cut.
 */
export function boundedText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * One line of untrusted text for the screen: control characters and line breaks become a space, bidi
 * controls go, the ends are trimmed, and the result is bounded (with an ellipsis). Only a bounded prefix of a
 * huge input is looked at, so a megabyte costs what a few kilobytes do.
 */
export function shownLine(text: string, max: number): string {
  const windowSize = max * 4 + 64;
  const cut = text.length > windowSize;
  const line = withoutBidiControls(cut ? text.slice(0, windowSize) : text)
    .replace(CONTROL_RUN, ' ')
    .trim();
  if (cut && line.length < max) return line + ELLIPSIS;
  return boundedText(line, max);
}

/**
 * An output schema field for a shown line: at most `max` characters (the services bound it where they store
 * and read it, and a list degrades the one item that would not fit), and no bidi control reaches the screen.
 */
export function shownLineSchema(max: number) {
  return z.string().max(max).transform(withoutBidiControls);
}
