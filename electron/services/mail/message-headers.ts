import libmime from 'libmime';
import { parseAddressHeader, type EmailAddress } from 'mailparser';
import { boundedText, ELLIPSIS, MAIL_TEXT_LIMITS as LIMITS, shownLine } from '../../contract/shown-text';

export interface ParsedAddress {
  name: string;
  address: string;
}

/** The headers of a message as the app shows and answers them: decided once, at sync, from its raw header block. */
export interface MessageHeaders {
  subject: string;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  /** Reply-To addresses; [] when the header is absent. */
  replyTo: ParsedAddress[];
  /** ISO 8601; null when the message carries no usable date. */
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
}

/**
 * The header fields the decision reads: what the sync fetches (BODY.PEEK[HEADER.FIELDS]) for a message whose
 * body it does not store yet, so the headers-first download decides exactly as from the whole source.
 */
export const SHOWN_HEADERS = [
  'subject',
  'from',
  'to',
  'cc',
  'reply-to',
  'date',
  'message-id',
  'in-reply-to',
  'references',
] as const;

/** Longest header block looked at (a 1 MB header still counts). */
export const MAX_HEAD_SIZE = 4 * 1024 * 1024;
const MAX_ADDRESSES = 1000;
const MAX_REFERENCES = 500;
const MAX_MESSAGE_ID = 1000;
/**
 * Raw characters of a subject decoded at most (an encoded word is at most ~4× its text). Address fields are
 * parsed whole (the address may follow a megabyte of name; mailparser's parser is linear), their parts cut.
 */
const RAW_SUBJECT = LIMITS.subject * 8;
const RAW_IDS = 64 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/** The top-level header block of a raw message: up to its first empty line (CRLF or LF), at most 4 MB. */
export function headerBlockOf(raw: Buffer): Buffer {
  const window = raw.subarray(0, Math.min(raw.length, MAX_HEAD_SIZE));
  const ends = [window.indexOf('\r\n\r\n'), window.indexOf('\n\n')].filter((i) => i >= 0);
  return ends.length > 0 ? window.subarray(0, Math.min(...ends)) : window;
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Raw 8-bit header bytes as text: UTF-8 where a line is valid UTF-8, else Windows-1252 (what legacy mailers
 * write in practice) — line by line, since a message may mix lines added by different servers.
 */
export function headerText(head: Buffer): string {
  if (!head.some((b) => b >= 0x80) || isUtf8(head)) return head.toString('utf8');
  const lines: string[] = [];
  let start = 0;
  while (start < head.length) {
    const nl = head.indexOf(0x0a, start);
    const end = nl < 0 ? head.length : nl + 1;
    const line = head.subarray(start, end);
    lines.push(isUtf8(line) ? line.toString('utf8') : windows1252.decode(line));
    start = end;
  }
  return lines.join('');
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function parseAddresses(values: readonly string[]): ParsedAddress[] {
  const out: ParsedAddress[] = [];
  const visit = (a: EmailAddress): void => {
    if (out.length >= MAX_ADDRESSES) return;
    if (a.group) {
      a.group.forEach(visit);
      return;
    }
    if (!a.address && !a.name) return;
    out.push({ name: shownLine(a.name ?? '', LIMITS.name), address: shownLine(a.address ?? '', LIMITS.address) });
  };
  let parsed;
  try {
    parsed = parseAddressHeader([...values]);
  } catch {
    return [];
  }
  (parsed.value ?? []).forEach(visit);
  return out;
}

/** Address fields remembered (raw field → parsed), and the longest field remembered. */
const ADDRESS_MEMO_ENTRIES = 2_000;
const ADDRESS_MEMO_FIELD = 1_000;
const addressMemo = new Map<string, readonly ParsedAddress[]>();

/**
 * The parsed address fields of a message. The same From and To lines come again and again in a mailbox (the
 * person's own address, the same correspondents), and parsing them was about 6% of an initial sync's CPU: a
 * field seen before (exactly, as raw text) is answered from memory. The parse is a pure function of the text;
 * callers get their own copies.
 */
function addressList(values: readonly string[] | undefined): ParsedAddress[] {
  if (!values || values.length === 0) return [];
  // One field as itself, several (To, Cc) as a JSON list: no two different inputs share a key.
  const key = values.length === 1 ? `1${values[0]!}` : `n${JSON.stringify(values)}`;
  if (key.length > ADDRESS_MEMO_FIELD) return parseAddresses(values);
  let parsed = addressMemo.get(key);
  if (!parsed) {
    parsed = parseAddresses(values);
    if (addressMemo.size >= ADDRESS_MEMO_ENTRIES) addressMemo.clear();
    addressMemo.set(key, parsed);
  }
  return parsed.map((a) => ({ name: a.name, address: a.address }));
}

/**
 * Forgets the remembered address fields: they are names and addresses out of the person's mail, plaintext in
 * memory, so they go when the account's session ends (lock, sign-out, quit) like everything else read from the
 * vault. The mail account session (its owner) calls this when it is disposed.
 */
export function forgetParsedAddresses(): void {
  addressMemo.clear();
}

/** How many address fields are remembered (tests). */
export function rememberedAddressFields(): number {
  return addressMemo.size;
}

/** "Tue, 3 Mar 2026 10:00:00 +0100 (CET)" without its trailing comment; by index, not by a backtracking regex. */
function withoutTrailingComment(value: string): string {
  const trimmed = value.trimEnd();
  if (!trimmed.endsWith(')')) return trimmed;
  const open = trimmed.lastIndexOf('(');
  return open < 0 ? trimmed : trimmed.slice(0, open).trimEnd();
}

export function isoDate(value: string): string | null {
  if (value === '' || value.length > 200) return null;
  const d = new Date(withoutTrailingComment(value));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function messageIds(value: string): string[] {
  const ids = value.slice(0, RAW_IDS).match(/<[^<>\s]+>/g) ?? [];
  return ids.slice(-MAX_REFERENCES).map((id) => boundedText(id, MAX_MESSAGE_ID));
}

function firstMessageId(value: string | undefined): string | null {
  if (!value) return null;
  const ids = messageIds(value);
  if (ids[0]) return ids[0];
  const trimmed = value.trim();
  return trimmed === '' ? null : boundedText(trimmed, MAX_MESSAGE_ID);
}

/**
 * The one decision about a message's headers (issue #19 item 3), used by the sync (what the list and the
 * reading pane show) and by the parser (what a reply starts from): the server's envelope and the parser used
 * to disagree about a message with two Subject headers or raw 8-bit headers. Single-valued fields take their
 * first occurrence (the one mail servers and clients show), To and Cc all of theirs; encoded words are
 * decoded with libmime, addresses with mailparser's address parser (which refuses encoded words posing as
 * addresses); text is bounded and one line (contract/shown-text.ts). Never throws.
 */
export function decideHeaders(head: Buffer): MessageHeaders {
  let fields: Record<string, string[]>;
  try {
    fields = libmime.decodeHeaders(headerText(head), { skipPrototypeKeys: true });
  } catch {
    fields = {};
  }
  const first = (key: string): string | undefined => (Object.hasOwn(fields, key) ? fields[key]?.[0] : undefined);
  const all = (key: string): string[] | undefined => (Object.hasOwn(fields, key) ? fields[key] : undefined);
  const subject = first('subject') ?? '';
  // A huge subject is decoded only as far as it can be shown; the ellipsis says it was cut.
  const decodedSubject =
    subject.length > RAW_SUBJECT ? decodeWords(subject.slice(0, RAW_SUBJECT)) + ELLIPSIS : decodeWords(subject);
  return {
    subject: shownLine(decodedSubject, LIMITS.subject),
    from: addressList(first('from') === undefined ? undefined : [first('from')!]),
    to: addressList(all('to')),
    cc: addressList(all('cc')),
    replyTo: addressList(first('reply-to') === undefined ? undefined : [first('reply-to')!]),
    date: isoDate(first('date') ?? ''),
    messageId: firstMessageId(first('message-id')),
    inReplyTo: firstMessageId(first('in-reply-to')),
    references: messageIds((all('references') ?? []).join(' ')),
  };
}
