import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { PostfixServer } from '../servers/postfix';

/** A raw message as a mail program builds it (nodemailer's composer: iMIP `icalEvent`, attachments …). */
export function composeRaw(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  const node = new MailComposer(options).compile();
  return new Promise((ok, fail) => node.build((err, raw) => (err ? fail(err) : ok(raw))));
}

/**
 * Sends `raw` as `who` through the test Postfix (submission, STARTTLS, SMTP AUTH against Dovecot) to `to`,
 * as another mail program would; fails when Postfix rejects the recipient.
 */
export async function submitRaw(
  postfix: PostfixServer,
  caPem: string,
  who: { user: string; pass: string },
  to: string,
  raw: Buffer,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: postfix.submissionPort,
    secure: false,
    requireTLS: true,
    auth: { user: who.user, pass: who.pass },
    tls: { ca: [caPem] },
  });
  try {
    const sent = await transport.sendMail({ envelope: { from: postfix.addressOf(who.user), to: [to] }, raw });
    if (sent.rejected.length > 0) throw new Error(`Postfix rejected ${sent.rejected.join(', ')}`);
  } finally {
    transport.close();
  }
}
