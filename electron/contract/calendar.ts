import { z } from 'zod';
import { call } from './define';

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
});

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
};
