import { domainToASCII } from 'node:url';
import libmime from 'libmime';

/**
 * A mailto: URL (RFC 6068) as the compose window takes it. Addresses stay text: the compose form shows
 * them and names those it cannot send to (e.g. quoted local parts).
 */
export interface MailtoRequest {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  /** A Message-ID in angle brackets, when the URL answers a message (RFC 6068 §6.1). */
  inReplyTo: string | null;
  /** Header fields the URL carried that are never applied (lower-cased names, each once). */
  ignored: string[];
}

export type MailtoParse =
  { ok: true; value: MailtoRequest } | { ok: false; reason: 'not-mailto' | 'too-long' | 'malformed' };

/**
 * Longer URLs are refused: Windows passes the URL on a command line of at most 32,767 characters, and a
 * longer one is no mail a person wrote in a browser link.
 */
export const MAILTO_MAX_LENGTH = 64 * 1024;
const MAX_ADDRESSES = 500;
const MAX_SUBJECT = 2000;

/**
 * The header fields a mailto: URL may fill in. Everything else — `from`, `sender` and `reply-to` (a
 * forged sender), `attach`/`attachment` (other programs attached local files named by the URL),
 * `x-*`, … — is ignored and never reaches the draft (RFC 6068 §7: a user agent should apply only
 * header fields it knows to be safe).
 */
const APPLIED = new Set(['to', 'cc', 'bcc', 'subject', 'body', 'in-reply-to']);

class Malformed extends Error {}

const decoder = new TextDecoder('utf-8');

/** Percent-decoding of UTF-8 octets; `%` must be followed by two hex digits. '+' stays a plus (RFC 6068). */
function percentDecode(text: string): string {
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += decoder.decode(Uint8Array.from(bytes.splice(0)));
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Malformed();
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += ch;
    }
  }
  flush();
  return out;
}

/**
 * C0 and C1 controls except tab and line breaks, DEL, and the bidi overrides and isolates that disguise what
 * a text says (U+202A–U+202E, U+2066–U+2069).
 */
function isHidden(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

function withoutHidden(text: string): string {
  let out = '';
  for (const ch of text) if (!isHidden(ch.codePointAt(0)!)) out += ch;
  return out;
}

/** A subject is one line: line breaks and tabs become spaces (no header can be smuggled in). */
function cleanSubject(raw: string): string {
  let s = raw;
  if (s.includes('=?')) {
    try {
      s = libmime.decodeWords(s);
    } catch {
      // an undecodable encoded-word stays as written
    }
  }
  return withoutHidden(s.replace(/[\r\n\t]+/g, ' '))
    .trim()
    .slice(0, MAX_SUBJECT);
}

function cleanBody(raw: string): string {
  return withoutHidden(raw.replace(/\r\n?/g, '\n'));
}

/** One address as the compose form shows it: IDN domains in ASCII (punycode), controls removed. */
function cleanAddress(raw: string): string {
  const text = withoutHidden(raw.replace(/[\r\n\t]+/g, ' ')).trim();
  const at = text.lastIndexOf('@');
  if (at < 0 || /[<>]/.test(text)) return text;
  const domain = text.slice(at + 1);
  if (/^[\x21-\x7e]*$/.test(domain)) return text;
  const ascii = domainToASCII(domain);
  return ascii ? `${text.slice(0, at)}@${ascii}` : text;
}

function addresses(raw: string, into: string[]): void {
  // The separator is a literal comma; an encoded one (%2C) belongs to the address.
  for (const part of raw.split(',')) {
    const address = cleanAddress(percentDecode(part));
    if (!address) continue;
    if (into.length >= MAX_ADDRESSES) return;
    if (!into.some((a) => a.toLowerCase() === address.toLowerCase())) into.push(address);
  }
}

const MESSAGE_ID = /^<[^<>\s]{1,998}>$/;

/** Parses a mailto: URL; never throws. */
export function parseMailtoUrl(url: string): MailtoParse {
  if (!/^mailto:/i.test(url)) return { ok: false, reason: 'not-mailto' };
  if (url.length > MAILTO_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  const rest = url.slice('mailto:'.length);
  const q = rest.indexOf('?');
  const toPart = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  // A fragment is not part of a mailto: URL; a browser may still pass one along.
  const hfields = query.split('#')[0] ?? '';
  const value: MailtoRequest = { to: [], cc: [], bcc: [], subject: '', body: '', inReplyTo: null, ignored: [] };
  try {
    addresses(toPart, value.to);
    let subjectSeen = false;
    let bodySeen = false;
    for (const field of hfields.split('&')) {
      if (!field) continue;
      const eq = field.indexOf('=');
      const name = percentDecode(eq < 0 ? field : field.slice(0, eq))
        .trim()
        .toLowerCase();
      const raw = eq < 0 ? '' : field.slice(eq + 1);
      if (!APPLIED.has(name)) {
        const shown = withoutHidden(name).slice(0, 100);
        if (shown && value.ignored.length < 50 && !value.ignored.includes(shown)) value.ignored.push(shown);
        continue;
      }
      if (name === 'to' || name === 'cc' || name === 'bcc') addresses(raw, value[name]);
      else if (name === 'subject' && !subjectSeen) {
        subjectSeen = true;
        value.subject = cleanSubject(percentDecode(raw));
      } else if (name === 'body' && !bodySeen) {
        bodySeen = true;
        value.body = cleanBody(percentDecode(raw));
      } else if (name === 'in-reply-to' && value.inReplyTo === null) {
        const id = percentDecode(raw).trim();
        if (MESSAGE_ID.test(id)) value.inReplyTo = id;
      }
    }
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, reason: 'malformed' };
    throw err;
  }
  return { ok: true, value };
}

/** The mailto: URL among command-line arguments (Windows and Linux pass it there), if any. */
export function mailtoFromArgv(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((arg) => /^mailto:/i.test(arg));
}
