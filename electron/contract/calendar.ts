import { z } from 'zod';
import { call, event } from './define';
import { ErrorInfoSchema } from './errors';

/**
 * Calendar: meeting invitations in mail (iTIP over iMIP) and the export of council meetings as .ics.
 * Times are ISO 8601 instants with offset; the renderer shows them in the person's zone.
 */

const MessageIdSchema = z.number().int().positive();
const InstantSchema = z.string().max(40);
const TextsSchema = z.object({ de: z.string().max(2000), en: z.string().max(2000) });

export const PartstatSchema = z.enum(['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED']);
export type Partstat = z.infer<typeof PartstatSchema>;

/** Zusagen, Vorläufig, Absagen. */
export const ReplyAnswerSchema = z.enum(['ACCEPTED', 'TENTATIVE', 'DECLINED']);
export type ReplyAnswerValue = z.infer<typeof ReplyAnswerSchema>;

const PersonSchema = z.object({ email: z.string().max(320), name: z.string().max(200) });

export const InvitationAttendeeSchema = PersonSchema.extend({
  partstat: PartstatSchema,
  role: z.string().max(40),
});

export const TimeSpanSchema = z.object({ start: InstantSchema, end: InstantSchema, allDay: z.boolean() });

export const EventChangeSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('time'), before: TimeSpanSchema, after: TimeSpanSchema }),
  z.object({ field: z.literal('recurrence'), before: TextsSchema.nullable(), after: TextsSchema.nullable() }),
  z.object({
    field: z.enum(['location', 'summary', 'description']),
    before: z.string().max(20_000),
    after: z.string().max(20_000),
  }),
  z.object({ field: z.literal('status'), before: z.string().max(40).nullable(), after: z.string().max(40).nullable() }),
]);
export type EventChangeView = z.infer<typeof EventChangeSchema>;

export const CalendarNoticeSchema = z.object({
  code: z.enum([
    'TIMEZONE_BROKEN',
    'TIMEZONE_UNKNOWN',
    'RECURRENCE_UNREADABLE',
    'RECURRENCE_LIMITED',
    'EVENTS_LIMITED',
    'ATTENDEES_LIMITED',
    'EVENT_UNREADABLE',
  ]),
  detail: z.string().max(300),
});

/** What the invitation card above a mail shows. */
export const InvitationSchema = z.object({
  /** The mail's calendar part (text/calendar, or an .ics attachment). */
  partId: z.string().max(100),
  method: z.enum(['REQUEST', 'REPLY', 'CANCEL', 'COUNTER', 'PUBLISH', 'OTHER']),
  uid: z.string().max(1000),
  recurrenceId: InstantSchema.nullable(),
  sequence: z.number().int().nonnegative(),
  summary: z.string().max(20_000),
  location: z.string().max(20_000),
  description: z.string().max(20_000),
  start: InstantSchema,
  end: InstantSchema,
  allDay: z.boolean(),
  /** The organizer's zone (IANA, also for Windows names), shown when it differs from the person's. */
  timeZone: z.string().max(200).nullable(),
  recurrence: TextsSchema.nullable(),
  organizer: PersonSchema.nullable(),
  attendees: z.array(InvitationAttendeeSchema).max(1000),
  /** The person organised this event (REPLY and COUNTER concern them). */
  iAmOrganizer: z.boolean(),
  /** The person's answer as far as Ratsdesk knows it (their last REPLY, else the invitation's PARTSTAT). */
  myAnswer: PartstatSchema.nullable(),
  /** How this message relates to the version in the local calendar. */
  verdict: z.enum(['new', 'newer', 'same', 'older']),
  /** What an updated REQUEST changed against the version in the local calendar. */
  changes: z.array(EventChangeSchema).max(10),
  cancelled: z.boolean(),
  /** COUNTER: the time an attendee proposes, beside the current one. */
  counter: z
    .object({ from: PersonSchema.nullable(), proposed: TimeSpanSchema, current: TimeSpanSchema.nullable() })
    .nullable(),
  /** REPLY: the answers it brought (applied to the event the person organised). */
  answers: z.array(
    z.object({
      email: z.string().max(320),
      name: z.string().max(200),
      before: PartstatSchema.nullable(),
      after: PartstatSchema,
    }),
  ),
  /** COMMENT of a REPLY or COUNTER. */
  comment: z.string().max(20_000),
  /** The event is in the local calendar. */
  inCalendar: z.boolean(),
  notices: z.array(CalendarNoticeSchema).max(20),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export const RespondInputSchema = z.object({
  id: MessageIdSchema,
  answer: ReplyAnswerSchema,
  comment: z.string().max(2000).optional(),
  /** The language of the REPLY's subject and text (the UI's); default German. */
  language: z.enum(['de', 'en']).optional(),
});

const TitleSchema = z.string().max(2000);

/** One date of the Termine view: a council meeting of the person's bodies, or an event of the local calendar. */
export const CalendarDateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('meeting'),
    /** The OParl id: the agenda is one click away (ris.meeting). */
    id: z.string().max(4000),
    title: TitleSchema,
    /** An instant with offset; an all-day meeting's local midnight without offset. */
    start: InstantSchema,
    end: InstantSchema.nullable(),
    allDay: z.boolean(),
    location: TitleSchema,
    cancelled: z.boolean(),
    /** Names of the bodies holding it. */
    bodies: z.array(z.string().max(500)).max(50),
    /** Whether its agenda and files are in the vault for offline reading. */
    offline: z.enum(['none', 'partial', 'complete']),
  }),
  z.object({
    kind: z.literal('event'),
    /** One occurrence: UID, instance and start. */
    id: z.string().max(3000),
    uid: z.string().max(1000),
    title: TitleSchema,
    start: InstantSchema,
    end: InstantSchema,
    allDay: z.boolean(),
    location: TitleSchema,
    cancelled: z.boolean(),
    /** The person's answer (accepted invitations), null for imported events. */
    myAnswer: PartstatSchema.nullable(),
    source: z.enum(['invitation', 'import']),
    /** The organizer's name or address, '' when none. */
    organizer: z.string().max(400),
  }),
]);
export type CalendarDate = z.infer<typeof CalendarDateSchema>;

export const CalendarDatesInputSchema = z.object({
  from: InstantSchema,
  to: InstantSchema,
  /** The person's bodies ("Meine Gremien", all when none is chosen) or every body of the council system. */
  bodies: z.enum(['mine', 'all']),
});
export type CalendarDatesInput = z.infer<typeof CalendarDatesInputSchema>;

export const CalendarDatesResultSchema = z.object({
  dates: z.array(CalendarDateSchema).max(5000),
  /** Why council meetings are missing (no council system, its data unreadable); the local dates still come. */
  council: ErrorInfoSchema.nullable(),
});
export type CalendarDatesResult = z.infer<typeof CalendarDatesResultSchema>;

/** A meeting of the person's bodies begins soon (the host shows a desktop notification). */
export const MeetingReminderSchema = z.object({
  meetingId: z.string().max(4000),
  title: TitleSchema,
  start: InstantSchema,
  location: TitleSchema,
  minutes: z.number().int().nonnegative().max(1440),
});
export type MeetingReminderInfo = z.infer<typeof MeetingReminderSchema>;

export const calendar = {
  /** The invitation in a stored mail, or null when it carries none. Applies CANCEL, REPLY and newer versions to the local calendar. */
  invitation: call(z.object({ id: MessageIdSchema }), InvitationSchema.nullable()),
  /**
   * Answers a REQUEST: a REPLY to the organizer through the outbox (offline too). The same answer to the same
   * version is sent once (`queued` false on a repeat); an accepted or tentative event goes into the local calendar.
   */
  respond: call(RespondInputSchema, z.object({ queued: z.boolean() })),
  /** Imports the events of an .ics attachment into the local calendar. */
  importAttachment: call(
    z.object({ id: MessageIdSchema, partId: z.string().min(1).max(100) }),
    z.object({ imported: z.number().int().nonnegative() }),
  ),
  /** The Termine view: meetings of the person's bodies (or all bodies) and local events in [from, to), by start. */
  dates: call(CalendarDatesInputSchema, CalendarDatesResultSchema),
  /** Before a meeting of the person's bodies, as far ahead as the setting meetingReminderMinutes says. */
  meetingReminder: event(MeetingReminderSchema),
};
