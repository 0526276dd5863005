import type { SendInput } from '../../electron/contract/compose';

/** A compose.send input with nothing in it but what a test names (addresses as plain strings). */
export function sendInput(fields: {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  smime?: { sign: boolean; encrypt: boolean };
}): SendInput {
  const list = (a: string[] = []) => a.map((address) => ({ name: '', address }));
  return {
    to: list(fields.to),
    cc: list(fields.cc),
    bcc: [],
    subject: fields.subject,
    text: fields.text,
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
    forwarded: false,
    confirmOutsideRecipients: false,
    ...(fields.smime ? { smime: fields.smime } : {}),
  };
}

/** A plain-text message to one recipient, nothing else set: what a test or a bench sends to watch the send. */
export function plainSendInput(to: string, subject: string, text: string): SendInput {
  return sendInput({ to: [to], subject, text });
}
