import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvitationSchema } from '../../electron/contract/calendar';
import { invitationView, type StoredEvent } from '../../electron/services/calendar/invitation-view';
import { readCalendar } from '../../electron/services/calendar/read-calendar';

const fixture = (name: string) =>
  readCalendar(readFileSync(join(__dirname, '..', 'fixtures', 'calendar', name), 'utf8'), {
    timeZone: 'Europe/Berlin',
  });
const anna = ['anna@stadt.example'];

function stored(name: string, myAnswer: StoredEvent['myAnswer'] = null): StoredEvent {
  const { occurrences: _occurrences, ...data } = fixture(name).events[0]!;
  return { data, myAnswer };
}

describe('the invitation card’s content', () => {
  it('shows a new REQUEST with its recurrence, organizer, attendees and the person’s open answer', () => {
    const result = invitationView(fixture('outlook-request.ics'), '2', anna, null)!;
    expect(InvitationSchema.parse(result.view)).toEqual(result.view);
    expect(result.effect).toEqual({ kind: 'none' });
    expect(result.view).toMatchObject({
      method: 'REQUEST',
      summary: 'Abstimmung Haushalt 2027',
      start: '2026-03-17T10:00:00+01:00',
      timeZone: 'Europe/Berlin',
      recurrence: { de: 'jeden zweiten Dienstag bis 30.06.2027, außer 14.04.' },
      organizer: { email: 'kaemmerei@stadt.example', name: 'Kämmerei Musterstadt' },
      iAmOrganizer: false,
      myAnswer: 'NEEDS-ACTION',
      verdict: 'new',
      inCalendar: false,
      cancelled: false,
    });
    expect(result.view.attendees.map((a) => a.partstat)).toEqual(['NEEDS-ACTION', 'NEEDS-ACTION']);
  });

  it('an updated REQUEST of an accepted event replaces it and says what changed', () => {
    const result = invitationView(fixture('outlook-update.ics'), '2', anna, stored('outlook-request.ics', 'ACCEPTED'))!;
    expect(result.view.verdict).toBe('newer');
    expect(result.view.changes.map((c) => c.field)).toEqual(['time', 'location', 'description']);
    expect(result.view.myAnswer).toBe('ACCEPTED');
    expect(result.effect.kind).toBe('replace');
    expect(result.effect.kind === 'replace' && result.effect.data.sequence).toBe(1);
  });

  it('an older REQUEST changes nothing', () => {
    const result = invitationView(fixture('outlook-request.ics'), '2', anna, stored('outlook-update.ics', 'ACCEPTED'))!;
    expect(result.view.verdict).toBe('older');
    expect(result.effect).toEqual({ kind: 'none' });
  });

  it('a CANCEL of one instance excludes it from the stored series', () => {
    const result = invitationView(fixture('outlook-cancel.ics'), '2', anna, stored('outlook-update.ics', 'ACCEPTED'))!;
    expect(result.view.cancelled).toBe(true);
    expect(result.effect.kind === 'replace' && result.effect.data.exdates).toEqual([
      '2026-04-14T14:00:00+02:00',
      '2026-04-28T14:00:00+02:00',
    ]);
  });

  it('a REPLY updates the attendee’s answer on an event the person organised', () => {
    const result = invitationView(
      fixture('thunderbird-reply.ics'),
      '2',
      ['clara@fraktion.example'],
      stored('thunderbird-request.ics'),
    )!;
    expect(result.view.method).toBe('REPLY');
    expect(result.view.iAmOrganizer).toBe(true);
    expect(result.view.answers).toEqual([
      { email: 'dieter@fraktion.example', name: 'Dieter Ünal', before: 'TENTATIVE', after: 'DECLINED' },
    ]);
    expect(result.view.attendees.find((a) => a.email === 'dieter@fraktion.example')?.partstat).toBe('DECLINED');
    expect(result.view.comment).toBe('Im März bin ich im Urlaub.');
    expect(result.effect.kind).toBe('answers');
  });

  it('a REPLY read again after it was applied still shows the answer, and changes nothing more', () => {
    const first = invitationView(
      fixture('thunderbird-reply.ics'),
      '2',
      ['clara@fraktion.example'],
      stored('thunderbird-request.ics'),
    )!;
    if (first.effect.kind !== 'answers') throw new Error('expected answers');
    const again = invitationView(fixture('thunderbird-reply.ics'), '2', ['clara@fraktion.example'], {
      data: first.effect.data,
      myAnswer: null,
    })!;
    expect(again.effect.kind).toBe('none');
    expect(again.view.answers).toEqual([
      { email: 'dieter@fraktion.example', name: 'Dieter Ünal', before: 'DECLINED', after: 'DECLINED' },
    ]);
  });

  it('a COUNTER shows the proposed time beside the current one', () => {
    const result = invitationView(
      fixture('outlook-counter.ics'),
      '2',
      ['kaemmerei@stadt.example'],
      stored('outlook-update.ics'),
    )!;
    expect(result.view.counter).toEqual({
      from: { email: 'juergen.gross@stadt.example', name: 'Groß, Jürgen' },
      proposed: { start: '2026-03-17T16:00:00+01:00', end: '2026-03-17T17:30:00+01:00', allDay: false },
      current: { start: '2026-03-17T14:00:00+01:00', end: '2026-03-17T15:30:00+01:00', allDay: false },
    });
    expect(result.effect).toEqual({ kind: 'none' });
  });

  it('carries the reader’s notices (a broken time zone) to the card', () => {
    const result = invitationView(fixture('broken-vtimezone.ics'), '3', anna, null)!;
    expect(result.view.notices.map((n) => n.code)).toEqual(['TIMEZONE_BROKEN']);
  });
});
