import type { SendInput } from '../../electron/contract/compose';

/** A plain-text message to one recipient, nothing else set: what a test or a bench sends to watch the send. */
export function plainSendInput(to: string, subject: string, text: string): SendInput {
  return {
    to: [{ name: '', address: to }],
    cc: [],
    bcc: [],
    subject,
    text,
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [],
    forwarded: false,
    confirmOutsideRecipients: false,
  };
}
