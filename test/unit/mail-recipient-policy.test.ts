import { describe, expect, test } from 'vitest';
import { DraftInputSchema, type DraftInput } from '../../electron/contract/compose';
import { draftOrigins, originOfSource } from '../../electron/services/mail/attachment-origins';
import { checkRecipients, enforceRecipients, type RecipientRules } from '../../electron/services/mail/recipient-policy';

function draft(over: Partial<DraftInput> = {}): DraftInput {
  return DraftInputSchema.parse({ to: [{ address: 'kaemmerei@stadt.de' }], subject: 'Haushalt', ...over });
}

/** What the service decided about a draft's parts; here: a forward only when started as one. */
const plain = { forward: false };

const rules = (over: Partial<RecipientRules> = {}): RecipientRules => ({
  allowedDomains: ['stadt.de', 'rat.stadt.de', 'rathaus-münster.de'],
  outsideAction: 'warn',
  forwardingOutsideAllowed: true,
  ...over,
});

describe('recipient rules of the machine policy', () => {
  test('no list set: nothing is checked', () => {
    const d = draft({ to: [{ name: '', address: 'privat@gmail.com' }] });
    expect(checkRecipients(d, rules({ allowedDomains: null }), plain)).toEqual({
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
    expect(checkRecipients(d, rules(), plain).verdict).toBe('allow');
    const sub = draft({ to: [{ name: '', address: 'x@schule.stadt.de' }] });
    expect(checkRecipients(sub, rules(), plain)).toEqual({
      verdict: 'confirm',
      outside: ['x@schule.stadt.de'],
      reason: null,
    });
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
    expect(checkRecipients(d, rules(), plain)).toEqual({
      verdict: 'confirm',
      outside: ['presse@zeitung.example', 'ich@privat.example'],
      reason: null,
    });
    expect(() => enforceRecipients(d, rules(), plain, false)).toThrow(
      expect.objectContaining({ code: 'RECIPIENT_OUTSIDE_CONFIRM' }),
    );
    expect(() => enforceRecipients(d, rules(), plain, true)).not.toThrow();
    expect(() => enforceRecipients(d, rules({ outsideAction: 'block' }), plain, true)).toThrow(
      expect.objectContaining({ code: 'RECIPIENT_OUTSIDE_BLOCKED' }),
    );
    // An empty list (the safe value of a broken policy) makes every recipient outside.
    expect(checkRecipients(draft(), rules({ allowedDomains: [], outsideAction: 'block' }), plain).verdict).toBe(
      'block',
    );
  });

  test('a forward to outside recipients is refused when forwarding outside is forbidden, confirmed or not', () => {
    const outside = [{ name: '', address: 'ich@privat.example' }];
    const forbidden = rules({ forwardingOutsideAllowed: false });
    const forward = { forward: true };
    const started = draft({ to: outside, forwarded: true });
    expect(checkRecipients(started, forbidden, forward)).toMatchObject({ verdict: 'block', reason: 'forward' });
    expect(() => enforceRecipients(started, forbidden, forward, true)).toThrow(
      expect.objectContaining({ code: 'FORWARD_OUTSIDE_BLOCKED' }),
    );
    // Inside the city a forward is fine.
    expect(checkRecipients(draft({ forwarded: true }), forbidden, forward).verdict).toBe('allow');
  });
});

describe("where a draft's parts came from decides, not the renderer (issue #10 item 12)", () => {
  test('each stored source has its origin: mail attachment, council document, file from disk', () => {
    expect(originOfSource({ kind: 'message' })).toBe('mail');
    expect(originOfSource({ kind: 'url' })).toBe('council');
    expect(originOfSource({ kind: 'upload' })).toBe('disk');
  });

  test('a part from received mail makes a forward whatever the renderer flag says; the flag only adds', () => {
    expect(draftOrigins({ forwarded: false }, ['disk', 'mail'], true)).toEqual({ forward: true });
    expect(draftOrigins({ forwarded: false }, ['disk', 'council'], true)).toEqual({ forward: false });
    expect(draftOrigins({ forwarded: true }, [], true)).toEqual({ forward: true });
  });

  test('a council document is refused while export is forbidden; mail parts and files from disk are not', () => {
    expect(() => draftOrigins({ forwarded: false }, ['disk', 'council'], false)).toThrow(
      expect.objectContaining({ code: 'EXPORT_FORBIDDEN' }),
    );
    expect(draftOrigins({ forwarded: false }, ['disk', 'mail'], false)).toEqual({ forward: true });
  });
});
