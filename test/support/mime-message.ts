import libmime from 'libmime';

export interface MimeAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface MimeMessage {
  /** "Name <address>" or an address; non-ASCII names are encoded as MIME words. */
  from: string;
  to: string;
  subject: string;
  date: Date;
  /** Without the angle brackets. */
  messageId: string;
  text?: string;
  html?: string;
  attachments?: MimeAttachment[];
}

const CRLF = '\r\n';

/** One header line: non-ASCII words as MIME encoded-words (libmime), folded at 76 characters. */
function header(name: string, value: string): string {
  return libmime.foldLines(`${name}: ${libmime.encodeWords(value, 'B')}`, 76);
}

function base64Lines(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{76}/g, `$&${CRLF}`).trimEnd();
}

/** The body part: text, HTML, or both as multipart/alternative; 8-bit UTF-8 like most mail programs send. */
function bodyPart(m: MimeMessage, boundary: string): string[] {
  const part = (type: string, content: string) => [
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: 8bit',
    '',
    content,
  ];
  if (m.html === undefined) return part('text/plain', m.text ?? '');
  if (m.text === undefined) return part('text/html', m.html);
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}-alt"`,
    '',
    `--${boundary}-alt`,
    ...part('text/plain', m.text),
    `--${boundary}-alt`,
    ...part('text/html', m.html),
    `--${boundary}-alt--`,
  ];
}

/**
 * A complete RFC 5322 message with CRLF line ends, as a mail server stores it: the tests' one way to build
 * raw mail (seeding Dovecot, appending over IMAP). Header words and parameters are encoded by libmime;
 * attachments go base64 into multipart/mixed.
 */
export function buildMimeMessage(m: MimeMessage): string {
  const boundary = `ratsdesk-${m.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  const head = [
    header('From', m.from),
    header('To', m.to),
    header('Subject', m.subject),
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${m.messageId}>`,
    'MIME-Version: 1.0',
  ];
  const attachments = m.attachments ?? [];
  if (attachments.length === 0) return [...head, ...bodyPart(m, boundary), ''].join(CRLF);
  return [
    ...head,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...bodyPart(m, boundary),
    ...attachments.flatMap((a) => [
      `--${boundary}`,
      `Content-Type: ${libmime.buildHeaderValue({ value: a.contentType, params: { name: a.filename } })}`,
      `Content-Disposition: ${libmime.buildHeaderValue({ value: 'attachment', params: { filename: a.filename } })}`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(a.content),
    ]),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}
