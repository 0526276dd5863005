import { describe, expect, test } from 'vitest';
import { rasterImageType, referencedContentIds, resolveInlineImages } from '../../electron/services/mail/inline-images';
import { decideHeaders, headerBlockOf } from '../../electron/services/mail/message-headers';
import { extractAttachment, parseMessage } from '../../electron/services/mail/message-parser';
import { nameNamesOtherAddress } from '../../electron/services/mail/misleading-sender-name';
import {
  bidiMail,
  brokenBoundaryMail,
  calendarMail,
  INLINE_LOGO,
  INLINE_SCAN,
  inlineImagesMail,
  nestedChainMail,
  spoofedNameMail,
  twoSubjectsMail,
} from '../support/reading-fidelity-mail';

const raw = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

describe('issue #19: what a person should see, decided in the services', () => {
  test('item 1: a multipart without a usable boundary shows its raw body, marked malformed — never nothing', async () => {
    for (const kind of ['missing', 'empty', 'unused'] as const) {
      const parsed = await parseMessage(raw(brokenBoundaryMail(kind)));
      expect(parsed.malformed, kind).toBe(true);
      expect(parsed.text).toContain('Die Niederschrift der Sitzung vom 2. März liegt im Ratsbüro aus.');
      expect(parsed.subject).toBe(`Niederschrift (Grenze ${kind})`);
    }
  });

  test('item 1: a message that is one part only (a chain of attached messages, a calendar) keeps that part', async () => {
    const chain = await parseMessage(raw(nestedChainMail(40)));
    expect(chain.attachments).toEqual([expect.objectContaining({ partId: '1', mimeType: 'message/rfc822' })]);
    const alone = await parseMessage(raw(calendarMail(true)));
    expect(alone.attachments).toEqual([
      expect.objectContaining({ partId: '1', filename: 'einladung.ics', mimeType: 'text/calendar' }),
    ]);
    // … and its bytes can be opened by that part id.
    const part = await extractAttachment(raw(calendarMail(true)), '1');
    expect(Buffer.from(part.bytes).toString()).toContain('BEGIN:VCALENDAR');
    // A well-formed message is not malformed; an empty one is empty, not malformed.
    expect((await parseMessage(raw(calendarMail()))).malformed).toBeUndefined();
    const empty = await parseMessage(Buffer.from('Subject: leer\r\nFrom: a@stadt.example\r\n\r\n\r\n'));
    expect([empty.text.trim(), empty.malformed, empty.attachments]).toEqual(['', undefined, []]);
  });

  test('item 2: cid: images resolve from the message itself, checked by their bytes; the rest stay attachments', async () => {
    const message = raw(inlineImagesMail());
    const parsed = await parseMessage(message);
    expect(referencedContentIds(parsed.html!)).toEqual(
      new Set([
        'logo@stadt.example',
        'scan%2B1@stadt.example',
        'scan+1@stadt.example',
        'zeichen@stadt.example',
        'kaputt@stadt.example',
      ]),
    );
    const inline = await resolveInlineImages(message, parsed.html!, parsed.attachments);
    expect(inline.images).toEqual([
      { contentId: 'logo@stadt.example', dataUrl: `data:image/png;base64,${INLINE_LOGO.toString('base64')}` },
      { contentId: 'scan+1@stadt.example', dataUrl: `data:image/png;base64,${INLINE_SCAN.toString('base64')}` },
    ]);
    const listed = parsed.attachments.filter((a) => !inline.inlinePartIds.has(a.partId)).map((a) => a.filename);
    // The SVG (could carry script), the fake PNG and the picture no cid: names are listed as attachments.
    expect(listed).toEqual(['zeichen.svg', 'kaputt.png', 'foto.png']);
    expect(rasterImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(rasterImageType(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(rasterImageType(Buffer.from('<svg/>'))).toBeNull();
  });

  test('item 3: one decision about the headers — the first Subject, 8-bit names read as Windows-1252', async () => {
    const message = twoSubjectsMail();
    const decided = decideHeaders(headerBlockOf(message));
    expect(decided.subject).toBe('Haushaltssatzung 2027');
    expect(decided.from).toEqual([{ name: 'Stadtkämmerei Müller', address: 'kaemmerei@stadt.example' }]);
    // The parser (reader, reply) reports exactly what the sync stores.
    const parsed = await parseMessage(message);
    expect({ subject: parsed.subject, from: parsed.from, to: parsed.to, date: parsed.date }).toEqual({
      subject: decided.subject,
      from: decided.from,
      to: decided.to,
      date: decided.date,
    });
    expect(parsed.text).toContain('Kämmerei');
  });

  test('item 3: address fields seen before (the sync remembers them) are decided the same, each message with its own copy', () => {
    const head = raw(
      [
        'From: =?UTF-8?B?SsO2cmcgS3LDvGdlcg==?= <joerg.krueger@stadt.example>',
        'To: Fraktion <fraktion@rat.example>, anna@rat.example',
        'To: =?UTF-8?Q?B=C3=BCro?= <buero@rat.example>',
        'Subject: Haushalt',
      ].join('\r\n'),
    );
    const expected = {
      from: [{ name: 'Jörg Krüger', address: 'joerg.krueger@stadt.example' }],
      to: [
        { name: 'Fraktion', address: 'fraktion@rat.example' },
        { name: '', address: 'anna@rat.example' },
        { name: 'Büro', address: 'buero@rat.example' },
      ],
    };
    const first = decideHeaders(head);
    expect({ from: first.from, to: first.to }).toEqual(expected);
    first.from[0]!.name = 'verändert';
    first.to.pop();
    const again = decideHeaders(head);
    expect({ from: again.from, to: again.to }).toEqual(expected);
    // The same addresses as one To field and as two are different inputs; both decide alike.
    const oneField = decideHeaders(
      raw('To: Fraktion <fraktion@rat.example>, anna@rat.example, =?UTF-8?Q?B=C3=BCro?= <buero@rat.example>'),
    );
    expect(oneField.to).toEqual(expected.to);
  });

  test("item 4: a display name holding another address than the sender's is misleading", () => {
    const from = decideHeaders(headerBlockOf(raw(spoofedNameMail()))).from[0]!;
    expect(from).toEqual({ name: 'ratsbuero@stadt.example', address: 'attacker@evil.example' });
    expect(nameNamesOtherAddress(from.name, from.address)).toBe(true);
    expect(nameNamesOtherAddress('Ratsbüro (ratsbuero＠stadt.example)', 'x@evil.example')).toBe(true);
    expect(nameNamesOtherAddress('anna@stadt.example', 'Anna@Stadt.Example')).toBe(false);
    expect(nameNamesOtherAddress('Anna Schöne', 'anna@stadt.example')).toBe(false);
    expect(nameNamesOtherAddress('Team @ Rathaus', 'team@stadt.example')).toBe(false);
  });

  test('item 5: bidi overrides leave subjects, names and file names', async () => {
    const parsed = await parseMessage(raw(bidiMail()));
    expect(parsed.subject).toBe('Protokoll (fdp.exe) Beschluss');
    expect(parsed.from[0]).toEqual({ name: 'Amt redlaw', address: 'amt@stadt.example' });
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['Vorlagefdp.exe']);
  });

  test('item 9: a calendar part without a name is einladung.ics, of type text/calendar', async () => {
    const parsed = await parseMessage(raw(calendarMail()));
    expect(parsed.text).toContain('Einladung zur Sitzung');
    expect(parsed.attachments).toEqual([
      expect.objectContaining({ filename: 'einladung.ics', mimeType: 'text/calendar' }),
    ]);
  });
});
