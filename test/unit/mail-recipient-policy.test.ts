import { describe, expect, test } from 'vitest';
import { DraftInputSchema, type DraftInput } from '../../electron/contract/compose';
import { checkRecipients, enforceRecipients, type RecipientRules } from '../../electron/services/mail/recipient-policy';

function draft(over: Partial<DraftInput> = {}): DraftInput {
  return DraftInputSchema.parse({ to: [{ address: 'kaemmerei@stadt.de' }], subject: 'Haushalt', ...over });
}

const rules = (over: Partial<RecipientRules> = {}): RecipientRules => ({
  allowedDomains: ['stadt.de', 'rat.stadt.de', 'rathaus-münster.de'],
  outsideAction: 'warn',
  forwardingOutsideAllowed: true,
  ...over,
});

describe('recipient rules of the machine policy', () => {
  test('no list set: nothing is checked', () => {
    const d = draft({ to: [{ name: '', address: 'privat@gmail.com' }] });
    expect(checkRecipients(d, rules({ allowedDomains: null }))).toEqual({
      verdict: 'allow',
      outside: [],
      reason: null,
    });
  });

  test('listed domains pass, case-insensitive and in their punycode form; subdomains only when listed', () => {
    const d = draft({
      to: [{ name: '', address: 'Buero@STADT.DE' }],
      cc: [{ name: '', address: 'info@xn--rathaus-mnster-osb.de' }],
      bcc: [{ name: '', address: 'fraktion@rat.stadt.de' }],
    });
    expect(checkRecipients(d, rules()).verdict).toBe('allow');
    const sub = draft({ to: [{ name: '', address: 'x@schule.stadt.de' }] });
    expect(checkRecipients(sub, rules())).toEqual({ verdict: 'confirm', outside: ['x@schule.stadt.de'], reason: null });
  });

  test('outside recipients in to, cc and bcc are named once each; warn asks, block refuses', () => {
    const d = draft({
      to: [{ name: '', address: 'a@stadt.de' }],
      cc: [{ name: '', address: 'presse@zeitung.example' }],
      bcc: [
        { name: '', address: 'ich@privat.example' },
        { name: '', address: 'presse@zeitung.example' },
      ],
    });
    expect(checkRecipients(d, rules())).toEqual({
      verdict: 'confirm',
      outside: ['presse@zeitung.example', 'ich@privat.example'],
      reason: null,
    });
    expect(() => enforceRecipients(d, rules(), false)).toThrow(
      expect.objectContaining({ code: 'RECIPIENT_OUTSIDE_CONFIRM' }),
    );
    expect(() => enforceRecipients(d, rules(), true)).not.toThrow();
    expect(() => enforceRecipients(d, rules({ outsideAction: 'block' }), true)).toThrow(
      expect.objectContaining({ code: 'RECIPIENT_OUTSIDE_BLOCKED' }),
    );
    // An empty list (the safe value of a broken policy) makes every recipient outside.
    expect(checkRecipients(draft(), rules({ allowedDomains: [], outsideAction: 'block' })).verdict).toBe('block');
  });

  test('a forward to outside recipients is refused when forwarding outside is forbidden, confirmed or not', () => {
    const outside = [{ name: '', address: 'ich@privat.example' }];
    const forbidden = rules({ forwardingOutsideAllowed: false });
    const started = draft({ to: outside, forwarded: true });
    expect(checkRecipients(started, forbidden)).toMatchObject({ verdict: 'block', reason: 'forward' });
    expect(() => enforceRecipients(started, forbidden, true)).toThrow(
      expect.objectContaining({ code: 'FORWARD_OUTSIDE_BLOCKED' }),
    );
    // Parts of a received message attached count as forwarding even without the flag.
    const carrying = draft({
      to: outside,
      attachments: [{ kind: 'messagePart', folder: 'INBOX', uid: 7, partId: '2' }],
    });
    expect(checkRecipients(carrying, forbidden).reason).toBe('forward');
    // Inside the city a forward is fine.
    expect(checkRecipients(draft({ forwarded: true }), forbidden).verdict).toBe('allow');
  });
});
