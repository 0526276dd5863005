import { describe, expect, it } from 'vitest';
import { DraftInputSchema } from '../../electron/contract/compose';
import {
  forwardSubject,
  quoteText,
  replyReferences,
  replySubject,
  startReply,
} from '../../electron/services/mail/compose-reply';
import type { ParsedMessage } from '../../electron/services/mail/message-parser';
import { parseMessage } from '../../electron/services/mail/message-parser';
import { buildOutboundMessage, withoutBcc } from '../../electron/services/mail/outbound-message';

function original(overrides: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    subject: 'Sitzung des Bauausschusses',
    from: [{ name: 'Kämmerei', address: 'kaemmerei@stadt.example' }],
    to: [
      { name: 'Anna Schöne', address: 'Anna@Stadt.example' },
      { name: 'Bernd Berg', address: 'bernd@stadt.example' },
    ],
    cc: [
      { name: 'Fraktion', address: 'fraktion@stadt.example' },
      { name: '', address: 'kaemmerei@stadt.example' },
    ],
    replyTo: [],
    date: '2026-03-02T08:15:00.000Z',
    messageId: '<orig-3@stadt.example>',
    inReplyTo: '<orig-2@stadt.example>',
    references: ['<orig-1@stadt.example>', '<orig-2@stadt.example>'],
    text: 'Guten Tag,\n\ndie Sitzung beginnt um 18 Uhr.\n> früher zitiert\n',
    html: null,
    attachments: [
      { partId: '2', filename: 'Tagesordnung.pdf', mimeType: 'application/pdf', size: 1234, contentId: null },
    ],
    ...overrides,
  };
}

const me = ['anna@stadt.example'];

describe('subject prefixes', () => {
  it('adds exactly one "AW:" whatever reply prefixes were there', () => {
    expect(replySubject('Haushalt')).toBe('AW: Haushalt');
    expect(replySubject('AW: Haushalt')).toBe('AW: Haushalt');
    expect(replySubject('Re: AW: RE: Aw: Haushalt')).toBe('AW: Haushalt');
    expect(replySubject('Antw: Re[2]: Haushalt')).toBe('AW: Haushalt');
    expect(replySubject('AW: WG: Haushalt')).toBe('AW: WG: Haushalt');
    expect(replySubject('Haushalt', 'en')).toBe('Re: Haushalt');
    expect(replySubject('')).toBe('AW:');
  });

  it('adds exactly one "WG:" whatever forward prefixes were there', () => {
    expect(forwardSubject('Haushalt')).toBe('WG: Haushalt');
    expect(forwardSubject('WG: Fwd: FW: Haushalt')).toBe('WG: Haushalt');
    expect(forwardSubject('AW: Haushalt')).toBe('WG: AW: Haushalt');
    expect(forwardSubject('Haushalt', 'en')).toBe('Fwd: Haushalt');
  });
});

describe('threading headers', () => {
  it('references keep the chain and end with the original Message-ID', () => {
    expect(replyReferences(original())).toEqual([
      '<orig-1@stadt.example>',
      '<orig-2@stadt.example>',
      '<orig-3@stadt.example>',
    ]);
  });

  it('a very long chain keeps the root and the newest references', () => {
    const refs = Array.from({ length: 100 }, (_, i) => `<r${i}@x>`);
    const out = replyReferences(original({ references: refs }));
    expect(out).toHaveLength(30);
    expect(out[0]).toBe('<r0@x>');
    expect(out.at(-1)).toBe('<orig-3@stadt.example>');
  });
});

describe('startReply', () => {
  it('reply goes to the sender, quotes the text, sets In-Reply-To and References', () => {
    const d = startReply(original(), 'reply', { me });
    expect(d.to).toEqual([{ name: 'Kämmerei', address: 'kaemmerei@stadt.example' }]);
    expect(d.cc).toEqual([]);
    expect(d.subject).toBe('AW: Sitzung des Bauausschusses');
    expect(d.inReplyTo).toBe('<orig-3@stadt.example>');
    expect(d.references.at(-1)).toBe('<orig-3@stadt.example>');
    expect(d.text).toContain('Am 02.03.2026, 09:15 schrieb Kämmerei <kaemmerei@stadt.example>:');
    expect(d.text).toContain('> die Sitzung beginnt um 18 Uhr.');
    expect(d.text).toContain('>> früher zitiert');
    expect(d.attachments).toEqual([]);
    expect(DraftInputSchema.safeParse(d).success).toBe(true);
  });

  it('reply honours Reply-To', () => {
    const d = startReply(original({ replyTo: [{ name: 'Büro', address: 'buero@stadt.example' }] }), 'reply', { me });
    expect(d.to.map((a) => a.address)).toEqual(['buero@stadt.example']);
  });

  it('reply-all adds the other recipients once, never the account itself (case-insensitive)', () => {
    const d = startReply(original(), 'replyAll', { me });
    expect(d.to.map((a) => a.address)).toEqual(['kaemmerei@stadt.example']);
    expect(d.cc.map((a) => a.address)).toEqual(['bernd@stadt.example', 'fraktion@stadt.example']);
  });

  it("answering one's own sent message goes to its recipients", () => {
    const sent = original({
      from: [{ name: 'Anna', address: 'anna@stadt.example' }],
      to: [{ name: '', address: 'bernd@stadt.example' }],
      cc: [],
    });
    expect(startReply(sent, 'reply', { me }).to.map((a) => a.address)).toEqual(['bernd@stadt.example']);
  });

  it('skips addresses that are not valid', () => {
    const d = startReply(original({ from: [{ name: 'kaputt', address: 'not an address' }], replyTo: [] }), 'reply', {
      me,
    });
    expect(d.to).toEqual([]);
  });

  it('forward has no recipients, a WG: subject, the original header block and its attachments', () => {
    const d = startReply(original(), 'forward', { me, source: { folder: 'INBOX', uid: 42 } });
    expect(d.to).toEqual([]);
    expect(d.subject).toBe('WG: Sitzung des Bauausschusses');
    expect(d.inReplyTo).toBeNull();
    expect(d.text).toContain('-------- Weitergeleitete Nachricht --------');
    expect(d.text).toContain('Von: Kämmerei <kaemmerei@stadt.example>');
    expect(d.text).toContain('die Sitzung beginnt um 18 Uhr.');
    expect(d.attachments).toEqual([
      { kind: 'messagePart', folder: 'INBOX', uid: 42, partId: '2', filename: 'Tagesordnung.pdf' },
    ]);
    expect(DraftInputSchema.safeParse(d).success).toBe(true);
  });

  it('quoteText prefixes every line', () => {
    expect(quoteText('a\r\n\r\n> b\n')).toBe('> a\n>\n>> b');
  });
});

describe('building the outgoing message', () => {
  it('a reply round-trips through the parser with its threading headers and umlauts', async () => {
    const d = startReply(original(), 'replyAll', { me });
    const built = await buildOutboundMessage({
      from: { name: 'Anna Schöne', address: 'anna@stadt.example' },
      ...d,
      bcc: [{ name: '', address: 'ablage@stadt.example' }],
      attachments: [],
    });
    expect(built.envelope.to).toEqual([
      'kaemmerei@stadt.example',
      'bernd@stadt.example',
      'fraktion@stadt.example',
      'ablage@stadt.example',
    ]);
    const parsed = await parseMessage(built.raw);
    expect(parsed.subject).toBe('AW: Sitzung des Bauausschusses');
    expect(parsed.inReplyTo).toBe('<orig-3@stadt.example>');
    expect(parsed.references).toEqual(['<orig-1@stadt.example>', '<orig-2@stadt.example>', '<orig-3@stadt.example>']);
    expect(parsed.messageId).toBe(built.messageId);
    expect(parsed.text).toContain('> die Sitzung beginnt um 18 Uhr.');
    expect(built.raw.toString()).toMatch(/^Bcc: ablage@stadt\.example\r$/m);
    const submitted = withoutBcc(built.raw);
    expect(submitted.toString()).not.toMatch(/^Bcc:/im);
    expect((await parseMessage(submitted)).messageId).toBe(built.messageId);
  });

  it('refuses a message without any recipient', async () => {
    await expect(
      buildOutboundMessage({
        from: { name: '', address: 'anna@stadt.example' },
        to: [],
        cc: [],
        bcc: [],
        subject: 's',
        text: 't',
        html: null,
        inReplyTo: null,
        references: [],
        attachments: [],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('withoutBcc removes a folded Bcc header and nothing else', () => {
    const raw = Buffer.from('From: a@x\r\nBcc: b@x,\r\n c@x\r\nSubject: s\r\n\r\nBcc: im Text bleibt\r\n');
    expect(withoutBcc(raw).toString()).toBe('From: a@x\r\nSubject: s\r\n\r\nBcc: im Text bleibt\r\n');
  });
});
