import {
  ComposeAddressSchema,
  emptyDraft,
  type ComposeAddress,
  type DraftInput,
  type ReplyMode,
} from '../../contract/compose';
import type { ParsedAddress, ParsedMessage } from './message-parser';

export interface ReplyOptions {
  /** The account's own addresses (lower or mixed case); never answered to in reply-all. */
  me: readonly string[];
  /** Where the original lives, so a forward can reference its attachments. */
  source?: { folder: string; uid: number };
  /** 'de' (default): "AW:", "WG:", German quote lines; 'en': "Re:", "Fwd:". */
  locale?: 'de' | 'en';
  timeZone?: string;
}

/** Reply prefixes in the languages council staff meet: Re, AW (Antwort), Antw, SV, Ref, with "[2]" counters. */
// The subject is trimmed first, so no leading \s*; one \s* before the optional counter and one before the colon
// would trade spaces with each other (polynomial backtracking), so the counter carries its own.
const REPLY_PREFIX = /^(?:re|aw|antw|antwort|sv|ref|r)(?:\s*(?:\[\d+\]|\(\d+\)))?\s*:/i;
const FORWARD_PREFIX = /^(?:wg|fwd|fw|weitergeleitet|tr|vs)(?:\s*(?:\[\d+\]|\(\d+\)))?\s*:/i;
const MAX_REFERENCES = 30;

function stripPrefixes(subject: string, pattern: RegExp): string {
  let s = subject.trim();
  for (let i = 0; i < 20; i++) {
    const next = s.replace(pattern, '').trimStart();
    if (next === s) break;
    s = next;
  }
  return s;
}

/** "AW: Thema" for any number of existing reply prefixes in any common language. */
export function replySubject(subject: string, locale: 'de' | 'en' = 'de'): string {
  return `${locale === 'de' ? 'AW' : 'Re'}: ${stripPrefixes(subject, REPLY_PREFIX)}`.trimEnd();
}

/** "WG: Thema" for any number of existing forward prefixes. */
export function forwardSubject(subject: string, locale: 'de' | 'en' = 'de'): string {
  return `${locale === 'de' ? 'WG' : 'Fwd'}: ${stripPrefixes(subject, FORWARD_PREFIX)}`.trimEnd();
}

/** References of an answer: the original's references plus its Message-ID, the oldest first, bounded. */
export function replyReferences(original: ParsedMessage): string[] {
  const refs = [...original.references];
  if (original.messageId && !refs.includes(original.messageId)) refs.push(original.messageId);
  // Keep the thread root and the most recent ones (RFC 5322 3.6.4 allows trimming the middle).
  return refs.length > MAX_REFERENCES ? [refs[0]!, ...refs.slice(-(MAX_REFERENCES - 1))] : refs;
}

function validAddresses(list: readonly ParsedAddress[]): ComposeAddress[] {
  const out: ComposeAddress[] = [];
  for (const a of list) {
    const parsed = ComposeAddressSchema.safeParse({ name: a.name, address: a.address.trim() });
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function dedupe(list: ComposeAddress[], exclude: Set<string>): ComposeAddress[] {
  const seen = new Set(exclude);
  const out: ComposeAddress[] = [];
  for (const a of list) {
    const key = a.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

function formatAddress(a: ParsedAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

function formatDate(iso: string | null, locale: 'de' | 'en', timeZone: string): string {
  if (!iso) return locale === 'de' ? 'unbekanntem Datum' : 'an unknown date';
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** The original text, every line prefixed with "> " (quoted lines get ">" added without a space). */
export function quoteText(text: string): string {
  let body = text.replace(/\r\n/g, '\n');
  // Trailing newlines off by index: /\n+$/ would be quadratic on a body of many newlines.
  let end = body.length;
  while (end > 0 && body[end - 1] === '\n') end--;
  body = body.slice(0, end);
  return body
    .split('\n')
    .map((line) => (line.startsWith('>') ? `>${line}` : line === '' ? '>' : `> ${line}`))
    .join('\n');
}

/**
 * A prefilled draft answering or forwarding `original`: recipients, subject prefix, In-Reply-To and
 * References, and the quoted (reply) or included (forward) text. The person edits it before sending.
 */
export function startReply(original: ParsedMessage, mode: ReplyMode, options: ReplyOptions): DraftInput {
  const locale = options.locale ?? 'de';
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const me = new Set(options.me.map((a) => a.toLowerCase()));
  const sender = original.from[0];
  const draft: DraftInput = { ...emptyDraft(), forwarded: mode === 'forward' };

  if (mode === 'forward') {
    draft.subject = forwardSubject(original.subject, locale);
    draft.references = original.messageId ? [original.messageId] : [];
    const header =
      locale === 'de'
        ? [
            '-------- Weitergeleitete Nachricht --------',
            `Betreff: ${original.subject}`,
            `Datum: ${formatDate(original.date, locale, timeZone)}`,
            `Von: ${original.from.map(formatAddress).join(', ')}`,
            `An: ${original.to.map(formatAddress).join(', ')}`,
          ]
        : [
            '-------- Forwarded Message --------',
            `Subject: ${original.subject}`,
            `Date: ${formatDate(original.date, locale, timeZone)}`,
            `From: ${original.from.map(formatAddress).join(', ')}`,
            `To: ${original.to.map(formatAddress).join(', ')}`,
          ];
    if (original.cc.length > 0)
      header.push(`${locale === 'de' ? 'Kopie' : 'Cc'}: ${original.cc.map(formatAddress).join(', ')}`);
    draft.text = `\n\n${header.join('\n')}\n\n${original.text.replace(/\r\n/g, '\n')}`;
    if (options.source) {
      const { folder, uid } = options.source;
      draft.attachments = original.attachments.map((a) => ({
        kind: 'messagePart' as const,
        folder,
        uid,
        partId: a.partId,
        filename: a.filename,
      }));
    }
    return draft;
  }

  const fromMe = sender !== undefined && me.has(sender.address.toLowerCase());
  // Answering one's own sent message goes to its recipients again, as desktop clients do.
  const primary = fromMe
    ? original.to
    : original.replyTo && original.replyTo.length > 0
      ? original.replyTo
      : original.from;
  draft.to = dedupe(validAddresses(primary), fromMe ? new Set<string>() : me);
  if (mode === 'replyAll') {
    const already = new Set([...me, ...draft.to.map((a) => a.address.toLowerCase())]);
    const others = fromMe ? original.cc : [...original.to, ...original.cc];
    draft.cc = dedupe(validAddresses(others), already);
  }
  draft.subject = replySubject(original.subject, locale);
  draft.inReplyTo = original.messageId;
  draft.references = replyReferences(original);
  const who = sender ? formatAddress(sender) : locale === 'de' ? 'Unbekannt' : 'Unknown';
  const intro =
    locale === 'de'
      ? `Am ${formatDate(original.date, locale, timeZone)} schrieb ${who}:`
      : `On ${formatDate(original.date, locale, timeZone)}, ${who} wrote:`;
  draft.text = `\n\n${intro}\n${quoteText(original.text)}\n`;
  return draft;
}
