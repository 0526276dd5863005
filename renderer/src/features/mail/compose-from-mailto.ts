import type { z } from 'zod';
import type { ComposeIntentSchema } from '../../../../electron/contract/app';
import { emptyDraft } from '../../../../electron/contract/compose';
import { parseAddresses } from './compose-addresses';
import { useMail } from './mail-store';

/**
 * Opens the compose window filled in from a mailto: URL. The address fields show every address of the
 * URL as written (the form names those it cannot send to); a draft already being written is saved first.
 */
export async function composeFromMailto(intent: z.output<typeof ComposeIntentSchema>): Promise<void> {
  if (useMail.getState().compose) await useMail.getState().saveDraft();
  const fields = { to: intent.to.join(', '), cc: intent.cc.join(', '), bcc: intent.bcc.join(', ') };
  const draft = {
    ...emptyDraft(),
    to: parseAddresses(fields.to).valid,
    cc: parseAddresses(fields.cc).valid,
    bcc: parseAddresses(fields.bcc).valid,
    subject: intent.subject,
    text: intent.body,
    inReplyTo: intent.inReplyTo,
  };
  useMail.setState({ compose: { mode: 'new', draft, fields } });
}
