import { Readable } from 'node:stream';
import { MailParser } from 'mailparser';
import type { AttachmentStream, MailParserOptions, MessageText } from 'mailparser';
import { RatsdeskError } from '../../contract/errors';
import { safeFileName } from '../../contract/file-name';
import {
  decideHeaders,
  headerBlockOf,
  headerText,
  isUtf8,
  MAX_HEAD_SIZE,
  type MessageHeaders,
} from './message-headers';

export type { ParsedAddress } from './message-headers';

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

/** A parsed message: its headers as decided by message-headers.ts (the same decision the sync stored), its body. */
export interface ParsedMessage extends MessageHeaders {
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Set when the message could not be parsed completely: headers are as far as readable, text is ''. */
  parseError?: string;
  /**
   * The MIME structure yielded no body although the message has one (a multipart without a usable boundary,
   * attached messages nested too deep): `text` is the raw body as it arrived, shown with a notice.
   */
  malformed?: boolean;
}

export interface ExtractedAttachment {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

const MAX_CONTENT_ID = 1000;
/** The raw body shown for a malformed message is cut here (like the source the reader shows). */
const MAX_RAW_BODY = 256 * 1024;
/** The name of a calendar part that has none (issue #19 item 9): an invitation, in the app's first language. */
/** Every calendar part Ratsdesk names (an unnamed one received) or writes (an iMIP answer) is called this (#19 item 9). */
export const CALENDAR_FILENAME = 'einladung.ics';
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
  const headers = decideHeaders(headerBlockOf(raw));
  try {
    return { ...headers, ...(await parseBody(withUtf8Headers(raw))) };
  } catch (err) {
    return { ...headers, text: '', html: null, attachments: [], parseError: describe(err) };
  }
}

/**
 * Decodes one attachment of a raw message by its part id (as `parseMessage` reported it). Only that
 * attachment's bytes are collected. Throws RatsdeskError MAIL_PART_NOT_FOUND or MAIL_UNPARSEABLE.
 */
export async function extractAttachment(raw: Buffer, partId: string): Promise<ExtractedAttachment> {
  const found = (await extractAttachments(raw, new Set([partId]))).get(partId);
  if (!found) throw new RatsdeskError('MAIL_PART_NOT_FOUND', `part ${partId.slice(0, 50)}`);
  return found;
}

/**
 * Decodes the attachments named by `partIds` in one pass; a part larger than `maxBytes` is left out (its bytes
 * are counted, never held). Throws MAIL_UNPARSEABLE only when the parser failed before any part was found.
 */
export async function extractAttachments(
  raw: Buffer,
  partIds: ReadonlySet<string>,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Map<string, ExtractedAttachment>> {
  const found = new Map<string, ExtractedAttachment>();
  try {
    await runParser(raw, {
      onAttachment: async (att, id) => {
        if (!partIds.has(id) || found.has(id)) {
          await drain(att.content);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of att.content as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        }
        if (size > maxBytes) return;
        const joined = Buffer.concat(chunks);
        found.set(id, {
          filename: attachmentName(att),
          mimeType: attachmentType(att),
          bytes: new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength),
        });
      },
    });
  } catch (err) {
    if (found.size === 0) throw new RatsdeskError('MAIL_UNPARSEABLE', describe(err).slice(0, 200), { cause: err });
  }
  return found;
}

/**
 * An attachment's file name, safe to show and to save (the one sanitizer of contract/file-name.ts): a MIME
 * file name that carries a path keeps its last segment; nothing left means "attachment" with the type's
 * extension, and a calendar part without a name is "einladung.ics".
 */
export function sanitizeFilename(name: string | undefined | null, mimeType?: string): string {
  const fallback = isCalendar(mimeType) ? CALENDAR_FILENAME : `attachment${defaultExtension(mimeType)}`;
  return safeFileName(name, { paths: 'last-segment', fallback });
}

function isCalendar(mimeType: string | undefined): boolean {
  const t = normalizeMime(mimeType);
  return t === 'text/calendar' || t === 'application/ics';
}

/** A part's type as the app names it: iCalendar always as text/calendar (what calendar programs act on). */
function attachmentType(att: AttachmentStream): string {
  return isCalendar(att.contentType) ? 'text/calendar' : normalizeMime(att.contentType);
}

function attachmentName(att: AttachmentStream): string {
  return sanitizeFilename(att.filename, att.contentType);
}

// ---------------------------------------------------------------------------------------------------------

interface ParserHooks {
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
    // A message that is one attachment (a PDF alone, a calendar part alone) ends the parser before its
    // handler has read the content: the end waits for every handler (else its attachment went missing).
    const handlers: Promise<void>[] = [];
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        hooks.onText?.(data);
        return;
      }
      const att = data;
      handlers.push(
        hooks
          .onAttachment(att, att.partId ?? '1')
          .catch((err: unknown) => finish(err))
          .finally(() => {
            if (att.release) att.release();
          }),
      );
    });
    parser.once('end', () => void Promise.all(handlers).then(() => finish()));
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

/** The body of a message: text, HTML and attachments (counted, never held); the headers are decided elsewhere. */
async function parseBody(raw: Buffer): Promise<Pick<ParsedMessage, 'text' | 'html' | 'attachments' | 'malformed'>> {
  let text: MessageText | null = null;
  const attachments: ParsedAttachment[] = [];
  await runParser(raw, {
    onAttachment: async (att, partId) => {
      const size = await drain(att.content);
      attachments.push({
        partId,
        filename: attachmentName(att),
        mimeType: attachmentType(att),
        size,
        contentId: att.cid ? truncate(att.cid, MAX_CONTENT_ID) : null,
      });
    },
    onText: (t) => {
      text = t;
    },
  });
  const t = text as MessageText | null;
  const body = {
    text: t?.text ?? '',
    html: typeof t?.html === 'string' && t.html !== '' ? t.html : null,
    attachments: attachments.sort((a, b) => comparePartIds(a.partId, b.partId)),
  };
  if (body.text !== '' || body.html !== null || body.attachments.length > 0) return body;
  // Nothing came out of the MIME structure (issue #19 item 1): show the body as it arrived, like Thunderbird.
  const rawBody = rawBodyText(raw);
  return rawBody.trim() === '' ? body : { ...body, text: rawBody, malformed: true };
}

/** "1.10" after "1.9": attachment handlers finish in any order, the list keeps the message's order. */
function comparePartIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** The bytes after the top-level header block, as text (UTF-8, else Windows-1252), at most 256 KB. */
function rawBodyText(raw: Buffer): string {
  const head = headerBlockOf(raw);
  let start = head.length;
  // past the empty line that ends the header block
  while (start < raw.length && (raw[start] === 0x0d || raw[start] === 0x0a) && start < head.length + 4) start++;
  const body = raw.subarray(start, Math.min(raw.length, start + MAX_RAW_BODY));
  return isUtf8(body) ? body.toString('utf8') : headerText(body);
}

/**
 * Raw 8-bit header bytes are read as UTF-8 by the parser. A header block that is not valid UTF-8 was written
 * in a legacy charset (in practice Windows-1252/Latin-1): transcode the top-level header block so names and
 * subjects keep their umlauts. The body is left untouched.
 */
function withUtf8Headers(raw: Buffer): Buffer {
  const head = headerBlockOf(raw);
  if (!head.some((b) => b >= 0x80) || isUtf8(head)) return raw;
  return Buffer.concat([Buffer.from(headerText(head), 'utf8'), raw.subarray(head.length)]);
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
    case 'text/calendar':
    case 'application/ics':
      return '.ics';
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
