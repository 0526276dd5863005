import type { AccountSettings } from '../../contract/account';
import type {
  CalendarDate,
  CalendarDatesInput,
  CalendarDatesResult,
  Invitation,
  ReplyAnswerValue,
} from '../../contract/calendar';
import { errorInfoOf, RatsdeskError } from '../../contract/errors';
import type { ComposeService } from '../mail/compose-service';
import { senderAddress } from '../mail/compose-service';
import { extractAttachment, type ParsedMessage } from '../mail/message-parser';
import type { MessageSources } from '../mail/message-sources';
import type { MeetingDate } from '../ris/ris-query-repository';
import type { VaultDoor } from '../vault/vault-db';
import type { CalendarEvent, CalendarLanguage, CalendarReading } from './calendar-reading';
import { CalendarRepository, type LocalEvent } from './calendar-repository';
import { localOccurrences } from './local-occurrences';
import { replyMail } from './imip-message';
import { invitationEvent, invitationView, type StoredEvent } from './invitation-view';
import { buildItipReply } from './itip-reply';
import { buildMeetingCalendar, type ExportableMeeting, nextMeetingSequence } from './meeting-export';
import { readCalendar } from './read-calendar';

/** What the calendar needs of the signed-in account's mail (MailAccountSession). */
export interface CalendarMailAccess {
  settings: AccountSettings;
  sources: Pick<MessageSources, 'parsedMessage' | 'requireSource'>;
  compose: Pick<ComposeService, 'queueOnce'>;
}

/** A council meeting as the calendar shows and exports it (RisService.meetingsBetween). */
export type CouncilMeeting = MeetingDate;

/** The council data the calendar reads (RisService). */
export interface CouncilMeetings {
  meetingsBetween(from: Date, to: Date, bodies: 'mine' | 'all'): Promise<CouncilMeeting[]>;
  meetingById(id: string): Promise<CouncilMeeting | null>;
}

export interface CalendarServiceOptions {
  vault: () => Promise<VaultDoor>;
  mail: () => Promise<CalendarMailAccess>;
  council: () => Promise<CouncilMeetings>;
  /** The person's IANA zone; default the system's. */
  timeZone?: string;
  now?: () => Date;
}

/** A file of the meetings of the person's bodies, ready for the host's save dialog. */
export interface MeetingCalendarFile {
  fileName: string;
  ics: string;
  exported: number;
  /** Records the SEQUENCE of each exported meeting; the host calls it once the file is written. */
  commit(): void;
}

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics']);
/** An invitation is a few KB; a year of a council's meetings stays well under this. */
const MAX_PART_BYTES = 2_000_000;
/** "All meetings of my bodies": from this many days back (recent ones stay in the calendar people use). */
const EXPORT_PAST_DAYS = 30;
const EXPORT_FUTURE_DAYS = 3 * 366;
const MAX_DATES = 5000;

/** The calendar part of a mail: the text/calendar part first (what iMIP acts on), else an .ics attachment. */
export function calendarPartOf(parsed: Pick<ParsedMessage, 'attachments'>): string | null {
  const parts = parsed.attachments.filter(
    (a) => CALENDAR_TYPES.has(a.mimeType) || a.filename.toLowerCase().endsWith('.ics'),
  );
  const preferred = parts.find((a) => a.mimeType === 'text/calendar') ?? parts[0];
  return preferred?.partId ?? null;
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The `calendar` domain: invitations in mail (read, answered through the outbox, kept in the local calendar
 * in the vault), .ics imports, the dates of the Termine view (council meetings of the person's bodies beside
 * the accepted invitations) and the .ics export of meetings.
 */
export class CalendarService {
  private readonly now: () => Date;

  constructor(private readonly options: CalendarServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private async repository(): Promise<CalendarRepository> {
    return new CalendarRepository(await this.options.vault());
  }

  /** The addresses the person answers as: the account's sender address and its user name when that is one. */
  private myAddresses(settings: AccountSettings): string[] {
    const addresses = [senderAddress(settings)];
    if (settings.username.includes('@') && !addresses.some((a) => sameAddress(a, settings.username)))
      addresses.push(settings.username);
    return addresses;
  }

  private read(text: string, language: CalendarLanguage = 'de'): CalendarReading {
    return readCalendar(text, { ...(this.options.timeZone ? { timeZone: this.options.timeZone } : {}), language });
  }

  /** The iCalendar text of one part of a stored mail. */
  private async partText(mail: CalendarMailAccess, id: number, partId: string): Promise<string> {
    const raw = await mail.sources.requireSource(id);
    const part = await extractAttachment(raw, partId);
    if (part.bytes.byteLength > MAX_PART_BYTES)
      throw new RatsdeskError('CALENDAR_TOO_LARGE', `${part.bytes.byteLength} bytes`);
    return new TextDecoder('utf-8').decode(part.bytes);
  }

  /** The mail's calendar part as text, or null when it has none (or only its headers are here). */
  private async calendarText(mail: CalendarMailAccess, id: number): Promise<{ partId: string; text: string } | null> {
    const parsed = await mail.sources.parsedMessage(id);
    if (!parsed) return null;
    const partId = calendarPartOf(parsed);
    if (!partId) return null;
    return { partId, text: await this.partText(mail, id, partId) };
  }

  /**
   * The stored event an iTIP message is about. A CANCEL or REPLY for one instance of a series concerns the
   * series when that instance was never sent on its own; a REQUEST for one instance is its own event.
   */
  private storedFor(repository: CalendarRepository, event: CalendarEvent, method: string | null): LocalEvent | null {
    const exact = repository.event(event.uid, event.recurrenceId);
    if (exact || event.recurrenceId === null || method === 'REQUEST') return exact;
    return repository.event(event.uid, null);
  }

  private stored(repository: CalendarRepository, local: LocalEvent | null): StoredEvent | null {
    if (!local) return null;
    return {
      data: local.data,
      myAnswer: repository.lastAnswer(local.data.uid, local.data.recurrenceId) ?? local.myAnswer,
    };
  }

  /**
   * The invitation card of a mail (null when it carries no calendar part). Applies what the message does to
   * the local calendar: a newer REQUEST replaces the stored version, a CANCEL cancels it, a REPLY updates the
   * attendee's answer on an event the person organised; the person's own REQUEST (read from Sent) becomes
   * the organizer's copy that answers arrive on.
   */
  async invitation(id: number): Promise<Invitation | null> {
    const mail = await this.options.mail();
    const part = await this.calendarText(mail, id);
    if (!part) return null;
    const reading = this.read(part.text);
    const event = invitationEvent(reading);
    if (!event) return null;
    const repository = await this.repository();
    const local = this.storedFor(repository, event, reading.method);
    const result = invitationView(
      reading,
      part.partId,
      this.myAddresses(mail.settings),
      this.stored(repository, local),
    );
    if (!result) return null;
    const { view, effect } = result;
    if (local && effect.kind !== 'none') {
      const replacesText = effect.kind === 'replace' && view.method === 'REQUEST';
      repository.save({ ...local, data: effect.data, ics: replacesText ? part.text : local.ics });
    } else if (!local && view.method === 'REQUEST' && view.iAmOrganizer) {
      // The person's own invitation (read from Sent): their copy, on which the attendees' answers arrive.
      const { occurrences: _occurrences, ...data } = event;
      repository.save({ data, ics: part.text, myAnswer: 'ACCEPTED', source: 'invitation' });
      return { ...view, inCalendar: true };
    } else if (!local && view.method === 'REQUEST') {
      // Declined (so not in the calendar): the card still says what the person answered to this version.
      const answered = repository.lastAnswer(event.uid, event.recurrenceId, event.sequence);
      if (answered) return { ...view, myAnswer: answered };
    }
    return view;
  }

  /**
   * Answers the REQUEST in a mail: the REPLY goes to the organizer through the outbox (offline too), once per
   * answer and version; an accepted or tentative event is kept in the local calendar, a declined one leaves it.
   */
  async respond(
    id: number,
    answer: ReplyAnswerValue,
    comment?: string,
    language: CalendarLanguage = 'de',
  ): Promise<{ queued: boolean }> {
    const mail = await this.options.mail();
    const part = await this.calendarText(mail, id);
    if (!part) throw new RatsdeskError('CALENDAR_NOT_AN_INVITATION');
    const reading = this.read(part.text, language);
    const event = invitationEvent(reading);
    if (!event || reading.method !== 'REQUEST') throw new RatsdeskError('CALENDAR_NOT_AN_INVITATION');
    const myAddresses = this.myAddresses(mail.settings);
    if (event.organizer && myAddresses.some((a) => sameAddress(a, event.organizer!.email)))
      throw new RatsdeskError('CALENDAR_NOT_AN_INVITATION', 'the person organised this event');
    const me = senderAddress(mail.settings);
    const myName = event.attendees.find((a) => myAddresses.some((m) => sameAddress(m, a.email)))?.name ?? '';
    const reply = buildItipReply({
      requestText: part.text,
      uid: event.uid,
      recurrenceId: event.recurrenceId,
      myAddresses,
      myName,
      answer,
      comment: comment ?? null,
      now: this.now(),
    });
    const message = replyMail(reply, answer, { myName, comment: comment ?? null, language });
    const repository = await this.repository();
    const key = { uid: event.uid, recurrenceId: event.recurrenceId, sequence: event.sequence, answer };
    const queued = await mail.compose.queueOnce(
      { from: { name: myName, address: me }, to: message.to, subject: message.subject, text: message.text },
      message.calendar,
      (db) => repository.claimReply(db, key),
    );
    const { occurrences: _occurrences, ...data } = event;
    const attendees = data.attendees.map((a) =>
      myAddresses.some((m) => sameAddress(m, a.email)) ? { ...a, partstat: answer, rsvp: false } : a,
    );
    if (answer === 'DECLINED') repository.remove(event.uid, event.recurrenceId);
    else repository.save({ data: { ...data, attendees }, ics: part.text, myAnswer: answer, source: 'invitation' });
    return { queued: queued !== null };
  }

  /** Imports the events of an .ics attachment into the local calendar (an event already there is replaced). */
  async importAttachment(id: number, partId: string): Promise<{ imported: number }> {
    const mail = await this.options.mail();
    const text = await this.partText(mail, id, partId);
    const reading = this.read(text);
    const repository = await this.repository();
    repository.saveAll(
      reading.events.map(({ occurrences: _occurrences, ...data }) => ({
        data,
        ics: text,
        myAnswer: null,
        source: 'import',
      })),
    );
    return { imported: reading.events.length };
  }

  /**
   * The Termine view: meetings of the person's bodies (or of all bodies) and the local calendar's events that
   * have occurrences in [from, to), ordered by start. Without a council system (or with its data unreadable)
   * the local events still come, with the reason in `council`.
   */
  async dates(input: CalendarDatesInput): Promise<CalendarDatesResult> {
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (!(from.getTime() < to.getTime()) || to.getTime() - from.getTime() > 400 * 86_400_000)
      throw new RatsdeskError('INVALID_INPUT', 'range');
    const dates: CalendarDate[] = [];
    let council: CalendarDatesResult['council'] = null;
    try {
      const meetings = await (await this.options.council()).meetingsBetween(from, to, input.bodies);
      for (const m of meetings) {
        if (!m.start || m.start.length > 40) continue;
        const allDay = /^\d{4}-\d{2}-\d{2}$/.test(m.start);
        dates.push({
          kind: 'meeting',
          id: m.id,
          title: (m.name ?? m.organizations[0] ?? '').slice(0, 2000),
          start: allDay ? `${m.start}T00:00:00` : m.start,
          end: m.end && m.end.length <= 40 ? m.end : null,
          allDay,
          location: (m.location ?? '').slice(0, 2000),
          cancelled: m.cancelled,
          bodies: m.organizations.slice(0, 50).map((o) => o.slice(0, 500)),
          offline: m.offline,
        });
      }
    } catch (err) {
      council = errorInfoOf(err);
    }
    const repository = await this.repository();
    const candidates = repository.candidates(Math.floor(from.getTime() / 1000), Math.ceil(to.getTime() / 1000));
    for (const occurrence of localOccurrences(candidates, from, to, (text) => this.read(text))) dates.push(occurrence);
    dates.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    return { dates: dates.slice(0, MAX_DATES), council };
  }

  /**
   * One meeting, or all meetings of the person's bodies (from 30 days back), as an .ics file with SEQUENCE
   * raised for each meeting whose time, place or cancellation changed in the RIS since the last export.
   */
  async meetingCalendar(input: { meetingId?: string; language?: CalendarLanguage }): Promise<MeetingCalendarFile> {
    const council = await this.options.council();
    const now = this.now();
    let meetings: CouncilMeeting[];
    if (input.meetingId) {
      const one = await council.meetingById(input.meetingId);
      if (!one) throw new RatsdeskError('RIS_OBJECT_NOT_FOUND', input.meetingId.slice(0, 300));
      meetings = [one];
    } else {
      meetings = await council.meetingsBetween(
        new Date(now.getTime() - EXPORT_PAST_DAYS * 86_400_000),
        new Date(now.getTime() + EXPORT_FUTURE_DAYS * 86_400_000),
        'mine',
      );
    }
    const repository = await this.repository();
    const states = meetings.map((m) => ({
      oparlId: m.id,
      state: nextMeetingSequence(repository.meetingSequence(m.id), m),
    }));
    const exportable: ExportableMeeting[] = meetings.map((m, i) => ({
      oparlId: m.id,
      name: m.name,
      start: m.start,
      end: m.end,
      location: m.location,
      cancelled: m.cancelled,
      organizations: m.organizations,
      web: m.web,
      sequence: states[i]!.state.sequence,
    }));
    const language = input.language ?? 'de';
    const built = buildMeetingCalendar(exportable, { now, language });
    const single = input.meetingId ? meetings[0] : undefined;
    const fileName = single
      ? `${language === 'de' ? 'sitzung' : 'meeting'}-${(single.start ?? '').slice(0, 10) || 'termin'}.ics`
      : language === 'de'
        ? 'sitzungen.ics'
        : 'meetings.ics';
    return {
      fileName,
      ics: built.ics,
      exported: built.exported,
      commit: () => repository.saveMeetingSequences(states.filter((s, i) => !built.skipped.includes(meetings[i]!.id))),
    };
  }
}
