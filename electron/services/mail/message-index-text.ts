import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset';
import libqp from 'libqp';
import { parseMessage } from './message-parser';

/**
 * Body text for the search index, fast. The full parser (message-parser.ts) costs several milliseconds
 * per message, too much for an initial sync of tens of thousands; the index needs only the text/plain
 * parts. This walks the MIME tree by boundaries with libmime (headers, charsets) and libqp, and gives
 * up (returns null) on anything unusual, which then goes through the full parser. The reader never uses
 * this text: it parses the stored source with the full parser.
 */

const MAX_DEPTH = 8;
const MAX_PARTS = 64;
const MAX_TEXT = 200_000;

interface Walk {
  texts: string[];
  parts: number;
  /** An HTML-only body (no text/plain alternative): left to the full parser. */
  needsFull: boolean;
}

function headerEnd(buf: Buffer, from: number, to: number): { end: number; bodyStart: number } | null {
  const crlf = buf.indexOf('\r\n\r\n', from);
  if (crlf >= 0 && crlf < to) return { end: crlf, bodyStart: crlf + 4 };
  const lf = buf.indexOf('\n\n', from);
  if (lf >= 0 && lf < to) return { end: lf, bodyStart: lf + 2 };
  return null;
}

function headerValue(head: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im');
  const m = re.exec(head);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

function walk(buf: Buffer, start: number, end: number, depth: number, state: Walk): boolean {
  if (depth > MAX_DEPTH || ++state.parts > MAX_PARTS) return false;
  const h = headerEnd(buf, start, end);
  // A part without a header block: the whole range is body with default type text/plain.
  const head = h ? buf.toString('latin1', start, h.end) : '';
  const bodyStart = h ? h.bodyStart : start;
  const ct = libmime.parseHeaderValue(headerValue(head, 'content-type') ?? 'text/plain');
  const type = ct.value.toLowerCase();
  const disposition = (headerValue(head, 'content-disposition') ?? '').toLowerCase();

  if (type.startsWith('multipart/')) {
    const boundary = ct.params.boundary;
    if (!boundary) return false;
    const delimiter = Buffer.from(`--${boundary}`, 'latin1');
    const positions: number[] = [];
    for (
      let at = buf.indexOf(delimiter, bodyStart);
      at >= 0 && at < end;
      at = buf.indexOf(delimiter, at + delimiter.length)
    ) {
      // a delimiter is only one at the start of a line
      if (at === bodyStart || buf[at - 1] === 0x0a) positions.push(at);
    }
    if (positions.length === 0) return false;
    const alternative = type === 'multipart/alternative';
    const before = state.texts.length;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const afterDelimiter = p + delimiter.length;
      if (buf[afterDelimiter] === 0x2d && buf[afterDelimiter + 1] === 0x2d) break; // closing --boundary--
      const lineEnd = buf.indexOf('\n', afterDelimiter);
      if (lineEnd < 0) return false;
      const partStart = lineEnd + 1;
      let partEnd = i + 1 < positions.length ? positions[i + 1]! : end;
      // the CRLF before the next delimiter belongs to the delimiter
      if (buf[partEnd - 1] === 0x0a) partEnd--;
      if (buf[partEnd - 1] === 0x0d) partEnd--;
      if (!walk(buf, partStart, Math.max(partStart, partEnd), depth + 1, state)) return false;
      if (alternative && state.texts.length > before) break; // the first text alternative is enough
    }
    return true;
  }

  if (/^attachment/.test(disposition)) return true;
  if (type === 'text/html') {
    state.needsFull = true;
    return true;
  }
  if (type !== 'text/plain') return true;

  const cte = (headerValue(head, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const raw = buf.subarray(bodyStart, end);
  let decoded: Buffer;
  if (cte === 'base64') decoded = Buffer.from(raw.toString('latin1'), 'base64');
  else if (cte === 'quoted-printable') decoded = libqp.decode(raw.toString('latin1'));
  else if (cte === '7bit' || cte === '8bit' || cte === 'binary') decoded = raw;
  else return false;
  const charset = (ct.params.charset ?? 'utf-8').toLowerCase();
  let text =
    charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii'
      ? decoded.toString('utf8')
      : charset === 'iso-8859-1' || charset === 'latin1'
        ? decoded.toString('latin1')
        : decodeCharset(decoded, charset);
  if ((ct.params.format ?? '').toLowerCase() === 'flowed')
    text = libmime.decodeFlowed(text, (ct.params.delsp ?? '').toLowerCase() === 'yes');
  state.texts.push(text);
  return true;
}

/** Text of the text/plain parts, or null when this message needs the full parser. */
export function fastIndexText(raw: Buffer): string | null {
  const state: Walk = { texts: [], parts: 0, needsFull: false };
  try {
    if (!walk(raw, 0, raw.length, 0, state)) return null;
  } catch {
    return null;
  }
  if (state.needsFull && state.texts.length === 0) return null;
  const text = state.texts.join('\n');
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/** Fast path first, the full parser for everything it declines. */
export async function indexText(raw: Buffer): Promise<string> {
  const fast = fastIndexText(raw);
  if (fast !== null) return fast;
  return (await parseMessage(raw)).text;
}
