import { describe, expect, test } from 'vitest';
import { ListPageSchema, MailListItemSchema } from '../../electron/contract/mail-sync';
import { boundedText, ELLIPSIS, MAIL_TEXT_LIMITS, shownLine } from '../../electron/contract/shown-text';
import { type MessageRow, toListItems } from '../../electron/services/mail/mail-rows';
import { decideHeaders } from '../../electron/services/mail/message-headers';

const MB = 1024 * 1024;

function row(over: Partial<MessageRow> & { id: number }): MessageRow {
  return {
    folder: 'INBOX',
    uid: over.id,
    subject: `Nachricht ${over.id}`,
    from_name: 'Ratsbüro',
    from_address: 'ratsbuero@stadt.example',
    date: Date.UTC(2026, 2, over.id),
    size: 1200,
    seen: 0,
    flagged: 0,
    answered: 0,
    forwarded: 0,
    has_attachments: 0,
    preview: 'Guten Tag',
    ...over,
  };
}

function recordingLog() {
  const lines: string[] = [];
  return { lines, warn: (code: string, detail?: string) => lines.push(`${code} ${detail ?? ''}`) };
}

describe('bounded text (issue #10 item 3)', () => {
  test('a text over its bound is cut with an ellipsis, never inside a surrogate pair; one within stays whole', () => {
    expect(boundedText('Haushalt', 20)).toBe('Haushalt');
    expect(boundedText('Haushaltsplan 2027', 10)).toBe(`Haushalts${ELLIPSIS}`);
    const emoji = `${'a'.repeat(8)}😀😀`;
    const cut = boundedText(emoji, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}${ELLIPSIS}`);
  });

  test('a one-line field: a megabyte becomes its bound with an ellipsis, line breaks a space, bidi controls gone', () => {
    const huge = shownLine('Einladung '.repeat(MB / 10), MAIL_TEXT_LIMITS.subject);
    expect(huge.length).toBe(MAIL_TEXT_LIMITS.subject);
    expect(huge.endsWith(ELLIPSIS)).toBe(true);
    expect(shownLine('Sitzung\r\n\tam Montag', 100)).toBe('Sitzung am Montag');
    expect(shownLine('Protokoll (\u202Efdp.exe)\u2066x\u2069', 100)).toBe('Protokoll (fdp.exe)x');
    // A megabyte of nothing visible still says that something was cut.
    expect(shownLine(`x${'\u202E'.repeat(MB)}`, 100)).toBe(`x${ELLIPSIS}`);
  });

  test('the header decision bounds a megabyte subject and sender name where the sync stores them', () => {
    const head = Buffer.from(
      `From: "${'Müller '.repeat(MB / 7)}" <mueller@stadt.example>\r\nSubject: ${'Tagesordnung '.repeat(MB / 13)}\r\n`,
    );
    const started = process.hrtime.bigint();
    const h = decideHeaders(head);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(h.subject.length).toBe(MAIL_TEXT_LIMITS.subject);
    expect(h.subject.endsWith(ELLIPSIS)).toBe(true);
    expect(h.from[0]?.address).toBe('mueller@stadt.example');
    expect(h.from[0]!.name.length).toBeLessThanOrEqual(MAIL_TEXT_LIMITS.name);
  });
});

describe('one item never fails a list (issue #10 item 3)', () => {
  test('rows stored unbounded (before the sync bounded them) are listed bounded and fit the contract', () => {
    const log = recordingLog();
    const items = toListItems(
      [
        row({ id: 1 }),
        row({ id: 2, subject: 'S'.repeat(MB), from_name: 'N'.repeat(MB), preview: 'P'.repeat(MB) }),
        row({ id: 3 }),
      ],
      log,
    );
    expect(items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(items[1]!.subject).toHaveLength(MAIL_TEXT_LIMITS.subject);
    expect(ListPageSchema.safeParse({ folder: 'INBOX', total: 3, offset: 0, items }).success).toBe(true);
    expect(log.lines).toEqual([]);
  });

  test('an entry that cannot be shown is listed degraded and logged; its neighbours stay as they are', () => {
    const log = recordingLog();
    const broken = row({ id: 2, subject: Buffer.from('kein Text') as unknown as string });
    const unusable = row({ id: 3, uid: 1.5 });
    const items = toListItems([row({ id: 1 }), broken, unusable, row({ id: 4 })], log);
    expect(items.map((i) => [i.id, i.degraded ?? false])).toEqual([
      [1, false],
      [2, true],
      [4, false],
    ]);
    expect(items.every((i) => MailListItemSchema.safeParse(i).success)).toBe(true);
    expect(items[0]!.subject).toBe('Nachricht 1');
    expect(log.lines).toEqual(['mail.list-item-degraded message 2', 'mail.list-item-dropped message 3']);
  });
});
