import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { RatsdeskError } from '../../contract/errors';
import { imipComposerFields, type ImipCalendarPart } from '../calendar/imip-message';

export interface OutboundAddress {
  name: string;
  address: string;
}

export interface OutboundAttachment {
  filename: string;
  mimeType: string;
  content: Uint8Array;
}

/** A message ready to be built: addresses, text and attachment bytes already resolved. */
export interface OutboundDraft {
  from: OutboundAddress;
  to: OutboundAddress[];
  cc: OutboundAddress[];
  bcc: OutboundAddress[];
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  attachments: OutboundAttachment[];
  /** An iTIP object (a REPLY to an invitation) sent as RFC 6047 says: text/calendar beside the text. */
  calendar?: ImipCalendarPart;
  /** Fixed by the caller for a reproducible build (drafts); generated when absent. */
  messageId?: string;
  date?: Date;
}

export interface OutboundMessage {
  messageId: string;
  subject: string;
  /** The full message including its Bcc header: what goes into the Sent folder. */
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/** A fresh Message-ID on the sender's domain. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'ratsdesk.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/** Builds the RFC 5322 message once; the same bytes are submitted (without Bcc) and stored in Sent. */
export async function buildOutboundMessage(
  draft: OutboundDraft,
  options: { allowNoRecipients?: boolean } = {},
): Promise<OutboundMessage> {
  const recipients = [...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address);
  if (recipients.length === 0 && !options.allowNoRecipients) throw new RatsdeskError('INVALID_INPUT', 'no recipients');
  const messageId = draft.messageId ?? newMessageId(draft.from.address);
  const composer = new MailComposer({
    from: draft.from,
    to: draft.to.length > 0 ? draft.to : undefined,
    cc: draft.cc.length > 0 ? draft.cc : undefined,
    bcc: draft.bcc.length > 0 ? draft.bcc : undefined,
    subject: draft.subject,
    text: draft.text,
    html: draft.html ?? undefined,
    inReplyTo: draft.inReplyTo ?? undefined,
    references: draft.references.length > 0 ? draft.references : undefined,
    messageId,
    date: draft.date ?? new Date(),
    attachments: draft.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.mimeType,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })),
    ...(draft.calendar ? imipComposerFields(draft.calendar) : {}),
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
    xMailer: false,
  });
  const node = composer.compile();
  node.keepBcc = true;
  const raw = await new Promise<Buffer>((resolve, reject) =>
    node.build((err: Error | null, message: Buffer) => (err ? reject(err) : resolve(message))),
  );
  return { messageId, subject: draft.subject, raw, envelope: { from: draft.from.address, to: recipients } };
}

/** The message as submitted over SMTP: the top-level Bcc header removed, everything else byte for byte. */
export function withoutBcc(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : raw.length;
  const head = raw.subarray(0, end).toString('latin1');
  const lines = head.split(/(?<=\n)/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && line.trim() !== '') {
      if (!dropping) kept.push(line);
      continue;
    }
    dropping = /^bcc\s*:/i.test(line);
    if (!dropping) kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(end)]);
}
