import type { CalendarLanguage } from './calendar-reading';
import { CALENDAR_FILENAME } from '../mail/message-parser';
import type { ItipReply, ReplyAnswer } from './itip-reply';

/** An iTIP object to send by mail (iMIP, RFC 6047): the method and the iCalendar text. */
export interface ImipCalendarPart {
  method: 'REQUEST' | 'REPLY' | 'CANCEL' | 'COUNTER' | 'PUBLISH';
  content: string;
}

export interface ImipMail {
  to: { name: string; address: string }[];
  subject: string;
  text: string;
  calendar: ImipCalendarPart;
}

/**
 * The MailComposer (nodemailer) fields for an iMIP message. nodemailer writes RFC 6047's shape from them:
 * multipart/mixed with a multipart/alternative of text/plain and `text/calendar; method=…; charset=utf-8` (what
 * calendar programs act on), plus the same object as an `application/ics` attachment named einladung.ics (what
 * mail programs without calendar support offer to open).
 */
export function imipComposerFields(calendar: ImipCalendarPart): {
  icalEvent: { method: string; filename: string; content: string };
} {
  return { icalEvent: { method: calendar.method, filename: CALENDAR_FILENAME, content: calendar.content } };
}

const subjects: Record<CalendarLanguage, Record<ReplyAnswer, string>> = {
  de: { ACCEPTED: 'Zugesagt', TENTATIVE: 'Vorläufig zugesagt', DECLINED: 'Abgesagt' },
  en: { ACCEPTED: 'Accepted', TENTATIVE: 'Tentatively accepted', DECLINED: 'Declined' },
};

function sentence(name: string, answer: ReplyAnswer, summary: string, language: CalendarLanguage): string {
  const title = summary || (language === 'de' ? 'den Termin' : 'the event');
  if (language === 'de') {
    const quoted = summary ? `„${title}“` : title;
    if (answer === 'ACCEPTED') return `${name} hat die Einladung zu ${quoted} angenommen.`;
    if (answer === 'TENTATIVE') return `${name} hat die Einladung zu ${quoted} vorläufig angenommen.`;
    return `${name} hat die Einladung zu ${quoted} abgelehnt.`;
  }
  const quoted = summary ? `“${title}”` : title;
  if (answer === 'ACCEPTED') return `${name} has accepted the invitation to ${quoted}.`;
  if (answer === 'TENTATIVE') return `${name} has tentatively accepted the invitation to ${quoted}.`;
  return `${name} has declined the invitation to ${quoted}.`;
}

/** The mail that carries a REPLY to the organizer, in the person's language. */
export function replyMail(
  reply: ItipReply,
  answer: ReplyAnswer,
  options: { myName: string; comment?: string | null; language: CalendarLanguage },
): ImipMail {
  const who = options.myName.trim() || reply.attendee;
  const comment = (options.comment ?? '').trim();
  const label = options.language === 'de' ? 'Kommentar' : 'Comment';
  const text = sentence(who, answer, reply.summary, options.language) + (comment ? `\n\n${label}: ${comment}\n` : '\n');
  return {
    to: [{ name: reply.organizer.name, address: reply.organizer.email }],
    subject: `${subjects[options.language][answer]}: ${reply.summary}`.trim(),
    text,
    calendar: { method: 'REPLY', content: reply.ics },
  };
}
