/**
 * Which messages the search index must open with S/MIME first: those whose top-level Content-Type is
 * `application/pkcs7-mime` (enveloped, auth-enveloped or opaque signed data), and `multipart/signed` ones
 * that carry such an entity (encrypted, then signed). Everything else goes to the plain index text at
 * the cost of one look at the header block, so the initial sync of ordinary mail stays as fast as it was.
 */

/** The header block is searched this far at most (a longer one is no S/MIME message we index). */
const HEADER_WINDOW = 64 * 1024;

function topContentType(raw: Buffer): string {
  const window = raw.subarray(0, Math.min(raw.length, HEADER_WINDOW));
  const crlf = window.indexOf('\r\n\r\n');
  const lf = window.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf >= 0 ? lf : window.length;
  const head = window.toString('latin1', 0, end).toLowerCase();
  // The field at the start of a line; its value up to the first parameter (continuation lines do not matter).
  const at = head.startsWith('content-type:') ? 0 : head.indexOf('\ncontent-type:');
  if (at < 0) return '';
  const start = head.indexOf(':', at) + 1;
  const semicolon = head.indexOf(';', start);
  const lineEnd = head.indexOf('\n', start);
  const stop = [semicolon, lineEnd].filter((i) => i >= 0);
  return head.slice(start, stop.length ? Math.min(...stop) : head.length).trim();
}

export function needsSmimeForIndex(raw: Buffer): boolean {
  const type = topContentType(raw);
  if (type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime') return true;
  if (type !== 'multipart/signed') return false;
  return raw.includes('application/pkcs7-mime') || raw.includes('application/x-pkcs7-mime');
}
