import { Readable } from 'node:stream';
import { MailParser } from 'mailparser';
import type {
  AddressObject,
  AttachmentStream,
  EmailAddress,
  HeaderLines,
  Headers,
  MailParserOptions,
  MessageText,
} from 'mailparser';
import { RatsdeskError } from '../../contract/errors';
import { safeFileName } from '../../contract/file-name';

export interface ParsedAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  /** IMAP-style part number ('1.2'); '1' for a message that is a single non-multipart attachment. */
  partId: string;
  /** Sanitized: no path separators, no control characters, never empty. */
  filename: string;
  mimeType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Content-ID without angle brackets, to resolve `cid:` links. */
  contentId: string | null;
}

export interface ParsedMessage {
  subject: string;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  /** Reply-To addresses; [] when the header is absent. */
  replyTo?: ParsedAddress[];
  /** ISO 8601; null when the message carries no usable date. */
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Set when the message could not be parsed completely: headers are as far as readable, text is ''. */
  parseError?: string;
}

export interface ExtractedAttachment {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** Longest header block we accept per MIME part (a 1 MB header still parses). */
const MAX_HEAD_SIZE = 4 * 1024 * 1024;
/** Header-derived strings are cut to what the UI and the contract accept. */
const MAX_SUBJECT = 10_000;
const MAX_ADDRESS_FIELD = 1000;
const MAX_ADDRESSES = 1000;
const MAX_REFERENCES = 500;
const MAX_MESSAGE_ID = 1000;
/** HTML longer than this is not converted to text (html-to-text is slow on huge input). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;
/** The raw message is fed to the parser in slices so a 50 MB message never becomes one big string. */
const WRITE_CHUNK = 256 * 1024;

const parserOptions: MailParserOptions = {
  checksumAlgo: false,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
  maxHeadSize: MAX_HEAD_SIZE,
};

/**
 * Parses one raw RFC 5322 message. Never throws: a message that cannot be parsed yields its headers as far
 * as they are readable, `parseError` set and `text` ''. Attachment contents are streamed and counted,
 * never held in memory.
 */
export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  try {
    return await parseStreaming(withUtf8Headers(raw));
  } catch (err) {
    return fallbackParse(raw, describe(err));
  }
}

/**
 * Decodes one attachment of a raw message by its part id (as `parseMessage` reported it). Only that
 * attachment's bytes are collected. Throws RatsdeskError MAIL_PART_NOT_FOUND or MAIL_UNPARSEABLE.
 */
export async function extractAttachment(raw: Buffer, partId: string): Promise<ExtractedAttachment> {
  let found: ExtractedAttachment | null = null;
  try {
    await runParser(raw, {
      onAttachment: async (att, id) => {
        if (id !== partId || found) {
          await drain(att.content);
          return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of att.content as AsyncIterable<Buffer>) chunks.push(chunk);
        const joined = Buffer.concat(chunks);
        found = {
          filename: sanitizeFilename(att.filename, att.contentType),
          mimeType: normalizeMime(att.contentType),
          bytes: new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength),
        };
      },
    });
  } catch (err) {
    if (!found) throw new RatsdeskError('MAIL_UNPARSEABLE', describe(err).slice(0, 200), { cause: err });
  }
  if (!found) throw new RatsdeskError('MAIL_PART_NOT_FOUND', `part ${partId.slice(0, 50)}`);
  return found;
}

/**
 * An attachment's file name, safe to show and to save (the one sanitizer of contract/file-name.ts): a MIME
 * file name that carries a path keeps its last segment; nothing left means "attachment" with the type's extension.
 */
export function sanitizeFilename(name: string | undefined | null, mimeType?: string): string {
  return safeFileName(name, { paths: 'last-segment', fallback: `attachment${defaultExtension(mimeType)}` });
}

// ---------------------------------------------------------------------------------------------------------

interface ParserHooks {
  onHeaders?: (headers: Headers) => void;
  onHeaderLines?: (lines: HeaderLines) => void;
  onAttachment: (att: AttachmentStream, partId: string) => Promise<void>;
  onText?: (text: MessageText) => void;
}

function runParser(raw: Buffer, hooks: ParserHooks): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      source.destroy();
      if (err) {
        parser.destroy();
        reject(err instanceof Error ? err : new Error(String(err)));
      } else resolve();
    };
    const parser = new MailParser(parserOptions);
    const source = Readable.from(slices(raw), { objectMode: false });
    parser.on('headers', (h: Headers) => hooks.onHeaders?.(h));
    parser.on('headerLines', (l: HeaderLines) => hooks.onHeaderLines?.(l));
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        hooks.onText?.(data);
        return;
      }
      const att = data;
      hooks
        .onAttachment(att, att.partId ?? '1')
        .catch((err: unknown) => finish(err))
        .finally(() => {
          if (att.release) att.release();
        });
    });
    parser.once('end', () => finish());
    parser.once('error', (err: unknown) => finish(err));
    source.once('error', (err: unknown) => finish(err));
    source.pipe(parser);
  });
}

function* slices(raw: Buffer): Generator<Buffer> {
  for (let i = 0; i < raw.length; i += WRITE_CHUNK) yield raw.subarray(i, Math.min(raw.length, i + WRITE_CHUNK));
}

async function drain(stream: Readable): Promise<number> {
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) size += chunk.length;
  return size;
}

async function parseStreaming(raw: Buffer): Promise<ParsedMessage> {
  let headers: Headers | null = null;
  let headerLines: HeaderLines | null = null;
  let text: MessageText | null = null;
  const attachments: ParsedAttachment[] = [];
  try {
    await runParser(raw, {
      onHeaders: (h) => {
        // Only the top-level headers (the first event) describe the message.
        if (!headers) headers = h;
      },
      onHeaderLines: (l) => {
        if (!headerLines) headerLines = l;
      },
      onAttachment: async (att, partId) => {
        const size = await drain(att.content);
        attachments.push({
          partId,
          filename: sanitizeFilename(att.filename, att.contentType),
          mimeType: normalizeMime(att.contentType),
          size,
          contentId: att.cid ? truncate(att.cid, MAX_MESSAGE_ID) : null,
        });
      },
      onText: (t) => {
        text = t;
      },
    });
  } catch (err) {
    if (headers && headerLines) return { ...fromHeaders(headers, headerLines), parseError: describe(err) };
    return fallbackParse(raw, describe(err));
  }
  if (!headers || !headerLines) return fallbackParse(raw, 'no headers found');
  const result = fromHeaders(headers, headerLines);
  const t = text as MessageText | null;
  result.text = t?.text ?? '';
  result.html = typeof t?.html === 'string' && t.html !== '' ? t.html : null;
  result.attachments = attachments;
  return result;
}

/** Headers only: the header block (cut at the first blank line) parsed alone, else read line by line. */
async function fallbackParse(raw: Buffer, parseError: string): Promise<ParsedMessage> {
  const head = headerBlock(raw);
  try {
    let headers: Headers | null = null;
    let headerLines: HeaderLines | null = null;
    await runParser(Buffer.concat([head, Buffer.from('\r\n\r\n')]), {
      onHeaders: (h) => {
        if (!headers) headers = h;
      },
      onHeaderLines: (l) => {
        if (!headerLines) headerLines = l;
      },
      onAttachment: async (att) => {
        await drain(att.content);
      },
    });
    if (headers && headerLines) return { ...fromHeaders(headers, headerLines), parseError };
  } catch {
    // fall through to the line reader
  }
  return { ...fromRawHeaderText(head.toString('latin1')), parseError };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/**
 * Raw 8-bit header bytes are read as UTF-8 by the parser. A header block that is not valid UTF-8 was written
 * in a legacy charset (in practice Windows-1252/Latin-1): transcode the top-level header block so names and
 * subjects keep their umlauts. The body is left untouched.
 */
function withUtf8Headers(raw: Buffer): Buffer {
  const head = headerBlock(raw);
  if (!head.some((b) => b >= 0x80)) return raw;
  if (isUtf8(head)) return raw;
  // Line by line: a message may mix UTF-8 lines (added by one server) with Latin-1 lines (from another).
  const lines: Buffer[] = [];
  let start = 0;
  while (start < head.length) {
    const nl = head.indexOf(0x0a, start);
    const end = nl < 0 ? head.length : nl + 1;
    const line = head.subarray(start, end);
    lines.push(isUtf8(line) ? line : Buffer.from(windows1252.decode(line), 'utf8'));
    start = end;
  }
  return Buffer.concat([...lines, raw.subarray(head.length)]);
}

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function headerBlock(raw: Buffer): Buffer {
  const limit = Math.min(raw.length, MAX_HEAD_SIZE);
  const window = raw.subarray(0, limit);
  const crlf = window.indexOf('\r\n\r\n');
  const lf = window.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length > 0 ? window.subarray(0, Math.min(...ends)) : window;
}

function emptyMessage(): ParsedMessage {
  return {
    subject: '',
    from: [],
    to: [],
    cc: [],
    date: null,
    messageId: null,
    inReplyTo: null,
    references: [],
    text: '',
    html: null,
    attachments: [],
  };
}

function fromHeaders(headers: Headers, headerLines: HeaderLines): ParsedMessage {
  const m = emptyMessage();
  const subject = headers.get('subject');
  m.subject = typeof subject === 'string' ? truncate(subject.replace(/[\r\n]+/g, ' '), MAX_SUBJECT) : '';
  m.from = addresses(headers.get('from'));
  m.to = addresses(headers.get('to'));
  m.cc = addresses(headers.get('cc'));
  m.replyTo = addresses(headers.get('reply-to'));
  m.date = dateFrom(headerLines);
  const messageId = headers.get('message-id');
  m.messageId =
    typeof messageId === 'string' && messageId.trim() !== '' ? truncate(messageId.trim(), MAX_MESSAGE_ID) : null;
  const inReplyTo = headers.get('in-reply-to');
  m.inReplyTo = firstMessageId(typeof inReplyTo === 'string' ? inReplyTo : null);
  const refs = headers.get('references');
  m.references = messageIds(Array.isArray(refs) ? refs.join(' ') : typeof refs === 'string' ? refs : '');
  return m;
}

function addresses(value: unknown): ParsedAddress[] {
  const objects: AddressObject[] = Array.isArray(value)
    ? (value as AddressObject[])
    : value && typeof value === 'object' && 'value' in value
      ? [value as AddressObject]
      : [];
  const out: ParsedAddress[] = [];
  const visit = (a: EmailAddress): void => {
    if (out.length >= MAX_ADDRESSES) return;
    if (a.group) {
      a.group.forEach(visit);
      return;
    }
    if (!a.address && !a.name) return;
    out.push({
      name: truncate(a.name ?? '', MAX_ADDRESS_FIELD),
      address: truncate(a.address ?? '', MAX_ADDRESS_FIELD),
    });
  };
  for (const obj of objects) (obj.value ?? []).forEach(visit);
  return out;
}

function dateFrom(headerLines: HeaderLines): string | null {
  const line = headerLines.find((l) => l.key === 'date');
  if (!line) return null;
  const value = line.line
    .slice(line.line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
  return isoDate(value);
}

/** "Tue, 3 Mar 2026 10:00:00 +0100 (CET)" without its trailing comment; by index, not by a backtracking regex. */
function withoutTrailingComment(value: string): string {
  const trimmed = value.trimEnd();
  if (!trimmed.endsWith(')')) return trimmed;
  const open = trimmed.lastIndexOf('(');
  return open < 0 ? trimmed : trimmed.slice(0, open).trimEnd();
}

function isoDate(value: string): string | null {
  if (value === '' || value.length > 200) return null;
  const d = new Date(withoutTrailingComment(value));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function messageIds(value: string): string[] {
  const ids = value.match(/<[^<>\s]+>/g) ?? [];
  return ids.slice(-MAX_REFERENCES).map((id) => truncate(id, MAX_MESSAGE_ID));
}

function firstMessageId(value: string | null): string | null {
  if (!value) return null;
  const ids = messageIds(value);
  if (ids[0]) return ids[0];
  const trimmed = value.trim();
  return trimmed === '' ? null : truncate(trimmed, MAX_MESSAGE_ID);
}

/** Last resort: unfold the raw header text and pick the fields without decoding. */
function fromRawHeaderText(head: string): ParsedMessage {
  const m = emptyMessage();
  const fields = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  m.subject = truncate(fields.get('subject') ?? '', MAX_SUBJECT);
  const plainAddresses = (v: string | undefined): ParsedAddress[] =>
    // Tokens between separators that hold an "@" inside (split, not a backtracking match).
    (v?.split(/[\s<>,;"]+/).filter((t) => t.indexOf('@', 1) > 0 && t.indexOf('@', 1) < t.length - 1) ?? [])
      .slice(0, MAX_ADDRESSES)
      .map((address) => ({ name: '', address: truncate(address, MAX_ADDRESS_FIELD) }));
  m.from = plainAddresses(fields.get('from'));
  m.to = plainAddresses(fields.get('to'));
  m.cc = plainAddresses(fields.get('cc'));
  m.date = isoDate(fields.get('date') ?? '');
  m.messageId = firstMessageId(fields.get('message-id') ?? null);
  m.inReplyTo = firstMessageId(fields.get('in-reply-to') ?? null);
  m.references = messageIds(fields.get('references') ?? '');
  return m;
}

function normalizeMime(contentType: string | undefined): string {
  const t = (contentType ?? '').trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : 'application/octet-stream';
}

function defaultExtension(mimeType: string | undefined): string {
  switch (normalizeMime(mimeType)) {
    case 'application/pdf':
      return '.pdf';
    case 'text/plain':
      return '.txt';
    case 'text/html':
      return '.html';
    case 'image/png':
      return '.png';
    case 'image/jpeg':
      return '.jpg';
    case 'message/rfc822':
      return '.eml';
    default:
      return '.bin';
  }
}

function truncate(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return truncate(msg || 'unparseable message', 300);
}
