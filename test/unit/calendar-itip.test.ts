import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { imipComposerFields, replyMail } from '../../electron/services/calendar/imip-message';
import { CALENDAR_FILENAME } from '../../electron/services/mail/message-parser';
import {
  applyCancel,
  applyReply,
  changeSentences,
  compareVersions,
  counterProposal,
  describeChanges,
} from '../../electron/services/calendar/itip-changes';
import { buildItipReply, type ReplyAnswer } from '../../electron/services/calendar/itip-reply';
import { readCalendar } from '../../electron/services/calendar/read-calendar';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'calendar', name), 'utf8');
const berlin = { timeZone: 'Europe/Berlin' };
const now = new Date('2026-03-03T10:00:00Z');

function reply(answer: ReplyAnswer, extra: Partial<Parameters<typeof buildItipReply>[0]> = {}) {
  const requestText = fixture('outlook-request.ics');
  return buildItipReply({
    requestText,
    uid: readCalendar(requestText).events[0]!.uid,
    myAddresses: ['Anna@Stadt.example'],
    myName: 'Anna Schöne',
    answer,
    now,
    ...extra,
  });
}

describe('iTIP REPLY (RFC 5546 3.2.3)', () => {
  for (const answer of ['ACCEPTED', 'TENTATIVE', 'DECLINED'] as const) {
    it(`answers ${answer} with one ATTENDEE, the organizer, UID and SEQUENCE of the request`, () => {
      const built = reply(answer);
      const reading = readCalendar(built.ics, berlin);
      expect(reading.method).toBe('REPLY');
      expect(reading.events).toHaveLength(1);
      const event = reading.events[0]!;
      expect(event.uid).toBe(built.uid);
      expect(event.sequence).toBe(0);
      expect(event.organizer).toEqual({ email: 'kaemmerei@stadt.example', name: 'Kämmerei Musterstadt' });
      expect(event.attendees).toEqual([
        { email: 'anna@stadt.example', name: 'Anna Schöne', partstat: answer, role: 'REQ-PARTICIPANT', rsvp: false },
      ]);
      expect(event.stamp).toBe('2026-03-03T11:00:00+01:00');
      // informative times in UTC: no VTIMEZONE needed, same instants as the request
      expect(event.start).toBe('2026-03-17T10:00:00+01:00');
      expect(built.ics).toContain('DTSTART:20260317T090000Z');
      expect(built.ics).not.toContain('VTIMEZONE');
      expect(built.ics).not.toContain('RRULE');
      expect(built.ics).not.toContain('juergen');
      expect(built.organizer).toEqual({ email: 'kaemmerei@stadt.example', name: 'Kämmerei Musterstadt' });
    });
  }

  it('carries the comment escaped, and folds long lines at 75 octets', () => {
    const built = reply('TENTATIVE', { comment: 'Ich komme später; etwa 10:15, bitte\nohne mich beginnen.' });
    expect(built.ics).toContain('COMMENT:Ich komme später\\; etwa 10:15\\, bitte\\nohne mich beginnen.');
    expect(readCalendar(built.ics).events[0]!.comment).toBe('Ich komme später; etwa 10:15, bitte\nohne mich beginnen.');
    for (const line of built.ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(76);
  });

  it('answers as the person’s own address when invited through a list', () => {
    const built = reply('ACCEPTED', { myAddresses: ['fraktion-buero@stadt.example'], myName: 'Fraktionsbüro' });
    expect(readCalendar(built.ics).events[0]!.attendees).toEqual([
      {
        email: 'fraktion-buero@stadt.example',
        name: 'Fraktionsbüro',
        partstat: 'ACCEPTED',
        role: 'REQ-PARTICIPANT',
        rsvp: false,
      },
    ]);
  });

  it('answers one changed instance with its RECURRENCE-ID', () => {
    const requestText = fixture('google-request.ics');
    const built = buildItipReply({
      requestText,
      uid: '7kq3b1r2c4d5e6f7g8h9i0jklm@google.com',
      recurrenceId: '2026-03-19T08:30:00+01:00',
      myAddresses: ['anna@stadt.example'],
      myName: 'Anna',
      answer: 'DECLINED',
      now,
    });
    const event = readCalendar(built.ics, berlin).events[0]!;
    expect(event.recurrenceId).toBe('2026-03-19T08:30:00+01:00');
    expect(event.start).toBe('2026-03-20T07:30:00+01:00');
    expect(event.sequence).toBe(1);
  });

  it('refuses to answer what is not a REQUEST, or an event it does not contain', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return isRatsdeskError(err) ? err.code : String(err);
      }
      return 'no error';
    };
    expect(code(() => reply('ACCEPTED', { requestText: fixture('thunderbird-reply.ics') }))).toBe('INVALID_INPUT');
    expect(code(() => reply('ACCEPTED', { uid: 'nicht-da' }))).toBe('INVALID_INPUT');
    expect(code(() => reply('ACCEPTED', { requestText: 'kein Kalender' }))).toBe('CALENDAR_UNREADABLE');
  });
});

describe('iMIP message (RFC 6047)', () => {
  it('is text/plain and text/calendar;method=REPLY as alternatives, plus einladung.ics', async () => {
    const built = reply('ACCEPTED', { comment: 'Gern.' });
    const mail = replyMail(built, 'ACCEPTED', { myName: 'Anna Schöne', comment: 'Gern.', language: 'de' });
    expect(mail.to).toEqual([{ name: 'Kämmerei Musterstadt', address: 'kaemmerei@stadt.example' }]);
    expect(mail.subject).toBe('Zugesagt: Abstimmung Haushalt 2027');
    expect(mail.text).toBe(
      'Anna Schöne hat die Einladung zu „Abstimmung Haushalt 2027“ angenommen.\n\nKommentar: Gern.\n',
    );
    const raw = await new Promise<Buffer>((resolve, reject) =>
      new MailComposer({
        from: { name: 'Anna Schöne', address: 'anna@stadt.example' },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...imipComposerFields(mail.calendar),
      })
        .compile()
        .build((err, message) => (err ? reject(err) : resolve(message))),
    );
    const source = raw.toString('latin1');
    expect(source).toMatch(/Content-Type: multipart\/mixed/);
    expect(source).toMatch(/Content-Type: multipart\/alternative/);
    expect(source).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REPLY/);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toContain('angenommen');
    const attached = parsed.attachments.find((a) => a.filename === CALENDAR_FILENAME);
    expect(attached?.contentType).toBe('application/ics');
    const again = readCalendar(attached!.content.toString('utf8'));
    expect(again.method).toBe('REPLY');
    expect(again.events[0]!.attendees[0]!.partstat).toBe('ACCEPTED');
  });

  it('words the subject for each answer in German and English', () => {
    const built = reply('DECLINED');
    expect(replyMail(built, 'TENTATIVE', { myName: 'A', language: 'de' }).subject).toBe(
      'Vorläufig zugesagt: Abstimmung Haushalt 2027',
    );
    expect(replyMail(built, 'DECLINED', { myName: 'A', language: 'de' }).subject).toBe(
      'Abgesagt: Abstimmung Haushalt 2027',
    );
    expect(replyMail(built, 'ACCEPTED', { myName: 'A', language: 'en' }).subject).toBe(
      'Accepted: Abstimmung Haushalt 2027',
    );
    expect(replyMail(built, 'DECLINED', { myName: 'A', language: 'en' }).text).toBe(
      'A has declined the invitation to “Abstimmung Haushalt 2027”.\n',
    );
  });
});

describe('updates, cancellations, replies and counter proposals', () => {
  const original = readCalendar(fixture('outlook-request.ics'), berlin).events[0]!;
  const update = readCalendar(fixture('outlook-update.ics'), berlin).events[0]!;

  it('orders versions by SEQUENCE, then DTSTAMP', () => {
    expect(compareVersions(null, update)).toBe('new');
    expect(compareVersions(original, update)).toBe('newer');
    expect(compareVersions(update, original)).toBe('older');
    expect(compareVersions(original, original)).toBe('same');
    expect(compareVersions(original, { sequence: 0, stamp: '2026-03-04T00:00:00Z' })).toBe('newer');
  });

  it('says what an updated REQUEST changed: time and place', () => {
    const changes = describeChanges(original, update);
    expect(changes).toEqual([
      {
        field: 'time',
        before: { start: '2026-03-17T10:00:00+01:00', end: '2026-03-17T11:30:00+01:00', allDay: false },
        after: { start: '2026-03-17T14:00:00+01:00', end: '2026-03-17T15:30:00+01:00', allDay: false },
      },
      { field: 'location', before: 'Rathaus, Sitzungssaal 2', after: 'Rathaus, Ratssaal' },
      // the new version has no description
      { field: 'description', before: original.description, after: '' },
    ]);
    expect(changeSentences(changes, 'de', 'Europe/Berlin')).toEqual([
      'Neue Zeit: Di., 17.03.2026 14:00–15:30 (vorher Di., 17.03.2026 10:00–11:30)',
      'Neuer Ort: Rathaus, Ratssaal (vorher Rathaus, Sitzungssaal 2)',
      'Die Beschreibung wurde geändert',
    ]);
    expect(changeSentences(changes.slice(0, 1), 'en', 'Europe/London')).toEqual([
      'New time: Tue, 17/03/2026 13:00–14:30 (before Tue, 17/03/2026 09:00–10:30)',
    ]);
  });

  it('cancels one instance of a series (CANCEL with RECURRENCE-ID) as an exception', () => {
    const cancel = readCalendar(fixture('outlook-cancel.ics'), berlin);
    expect(cancel.method).toBe('CANCEL');
    const cancelled = applyCancel(update, cancel.events[0]!);
    expect(cancelled.status).toBe('CONFIRMED');
    expect(cancelled.exdates).toEqual(['2026-04-14T14:00:00+02:00', '2026-04-28T14:00:00+02:00']);
    expect(applyCancel(cancelled, cancel.events[0]!)).toBe(cancelled);
  });

  it('cancels the whole event when the CANCEL names no instance', () => {
    const whole = { ...readCalendar(fixture('outlook-cancel.ics'), berlin).events[0]!, recurrenceId: null };
    const cancelled = applyCancel(update, whole);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.sequence).toBe(2);
  });

  it('updates an attendee’s answer from a REPLY on the organizer’s copy', () => {
    const organizerCopy = readCalendar(fixture('thunderbird-request.ics'), berlin).events[0]!;
    const answer = readCalendar(fixture('thunderbird-reply.ics'), berlin).events[0]!;
    const outcome = applyReply(organizerCopy, answer);
    expect(outcome.answered).toEqual([
      { email: 'dieter@fraktion.example', name: 'Dieter Ünal', before: 'TENTATIVE', after: 'DECLINED' },
    ]);
    expect(outcome.attendees.map((a) => [a.email, a.partstat])).toEqual([
      ['clara@fraktion.example', 'ACCEPTED'],
      ['anna@stadt.example', 'NEEDS-ACTION'],
      ['dieter@fraktion.example', 'DECLINED'],
    ]);
    expect(outcome.outdated).toBe(false);
    expect(applyReply({ ...organizerCopy, sequence: 3 }, answer).outdated).toBe(true);
  });

  it('adds someone who answers without being on the list', () => {
    const organizerCopy = readCalendar(fixture('thunderbird-request.ics'), berlin).events[0]!;
    const answer = readCalendar(fixture('thunderbird-reply.ics').replaceAll('dieter@fraktion', 'gast@fraktion'), berlin)
      .events[0]!;
    const outcome = applyReply(organizerCopy, answer);
    expect(outcome.attendees).toHaveLength(4);
    expect(outcome.answered).toEqual([
      { email: 'gast@fraktion.example', name: 'Dieter Ünal', before: null, after: 'DECLINED' },
    ]);
  });

  it('shows a COUNTER with its proposed time beside the current one', () => {
    const counter = readCalendar(fixture('outlook-counter.ics'), berlin);
    expect(counter.method).toBe('COUNTER');
    expect(counterProposal(counter.events[0]!, update)).toEqual({
      from: { email: 'juergen.gross@stadt.example', name: 'Groß, Jürgen' },
      proposed: { start: '2026-03-17T16:00:00+01:00', end: '2026-03-17T17:30:00+01:00', allDay: false },
      location: 'Rathaus, Ratssaal',
      comment: 'Um 16 Uhr passt es mir besser.',
      current: { start: '2026-03-17T14:00:00+01:00', end: '2026-03-17T15:30:00+01:00', allDay: false },
    });
  });
});
