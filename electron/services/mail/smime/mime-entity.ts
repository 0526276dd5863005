import libmime from 'libmime';

/**
 * The few MIME facts S/MIME needs, taken from the exact bytes of a message. A detached signature
 * (multipart/signed) covers the first body part octet for octet, so that part must be cut out of the
 * raw source as it stands; the general parser (mailparser) normalizes too much for that. Header
 * values are parsed with libmime.
 */

export interface MimeEntity {
  /** The whole entity: header block and body. */
  raw: Buffer;
  /** The header block without the blank line that ends it ('' when there is none). */
  head: string;
  body: Buffer;
  /** Lower-case media type, e.g. 'multipart/signed'; 'text/plain' when absent. */
  type: string;
  params: Record<string, string>;
}

function headerEnd(buf: Buffer): { end: number; bodyStart: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return null;
}

/** Unfolded value of the first header of that name, or undefined. */
export function headerValue(head: string, name: string): string | undefined {
  const lower = name.toLowerCase() + ':';
  const lines = head.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.slice(0, lower.length).toLowerCase() !== lower) continue;
    let value = line.slice(lower.length);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) value += ' ' + lines[++i]!.trim();
    return value.trim();
  }
  return undefined;
}

export function parseEntity(raw: Buffer): MimeEntity {
  const h = headerEnd(raw);
  // A part that starts with the blank line has headers ''; one without any blank line is all header.
  const startsBlank = raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a);
  const head = startsBlank ? '' : h ? raw.toString('latin1', 0, h.end) : raw.toString('latin1');
  const body = startsBlank ? raw.subarray(raw[0] === 0x0d ? 2 : 1) : h ? raw.subarray(h.bodyStart) : Buffer.alloc(0);
  const ct = libmime.parseHeaderValue(headerValue(head, 'content-type') ?? 'text/plain');
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(ct.params as Record<string, unknown>)) {
    if (typeof v === 'string') params[k.toLowerCase()] = v;
  }
  return { raw, head, body, type: String(ct.value).toLowerCase().trim(), params };
}

/** The body with its Content-Transfer-Encoding undone (base64 and the identity encodings). */
export function decodedBody(entity: MimeEntity): Buffer {
  const cte = (headerValue(entity.head, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  if (cte === 'base64') return Buffer.from(entity.body.toString('latin1'), 'base64');
  return entity.body;
}

/**
 * The body parts of a multipart entity as exact byte ranges of the source (RFC 2046 §5.1.1: the
 * line break before a delimiter belongs to the delimiter). At most maxParts parts.
 */
export function multipartParts(entity: MimeEntity, maxParts: number): Buffer[] | null {
  const boundary = entity.params.boundary;
  if (!boundary) return null;
  const buf = entity.body;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let open = -1;
  for (let at = buf.indexOf(delimiter); at >= 0; at = buf.indexOf(delimiter, at + delimiter.length)) {
    if (at !== 0 && buf[at - 1] !== 0x0a) continue; // only at the start of a line
    if (open >= 0) {
      let end = at;
      if (buf[end - 1] === 0x0a) end--;
      if (buf[end - 1] === 0x0d) end--;
      parts.push(buf.subarray(open, Math.max(open, end)));
      if (parts.length > maxParts) return null;
    }
    const after = at + delimiter.length;
    if (buf[after] === 0x2d && buf[after + 1] === 0x2d) return parts; // the closing delimiter
    const lineEnd = buf.indexOf(0x0a, after);
    if (lineEnd < 0) return parts;
    open = lineEnd + 1;
  }
  return parts;
}
