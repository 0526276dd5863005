/**
 * Display-name spoofing (issue #19 item 4): `"ratsbuero@stadt.example" <attacker@evil.example>` showed in the
 * list as "ratsbuero@stadt.example". A display name is whatever the sender wrote; an address inside it that is
 * not the sender's real address says something the message cannot back. Such a sender is shown with its real
 * address and a warning mark (as Thunderbird does).
 *
 * NFKC first, so a full-width "＠" or other compatibility forms count as what they look like. One split over a
 * character class: linear on any input.
 */
const SEPARATORS = /[\s<>()[\]"'`,;:]+/u;

/** By index: a /\.+$/ regex is quadratic on a long run of dots. */
function withoutTrailingDots(token: string): string {
  let end = token.length;
  while (end > 0 && token[end - 1] === '.') end--;
  return token.slice(0, end);
}

/** Does the display name carry an address other than `address` (compared without case)? */
export function nameNamesOtherAddress(name: string, address: string): boolean {
  if (!name.includes('@') && !name.includes('\uFF20') && !name.includes('\uFE6B')) return false;
  const real = address.trim().toLowerCase();
  for (const token of name.normalize('NFKC').split(SEPARATORS)) {
    const at = token.indexOf('@');
    // An address has something on both sides of its "@" ("@" alone or "Team @ Rathaus" is not one).
    if (at <= 0 || at === token.length - 1) continue;
    if (withoutTrailingDots(token).toLowerCase() !== real) return true;
  }
  return false;
}
