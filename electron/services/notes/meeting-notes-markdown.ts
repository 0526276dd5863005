import type { MeetingView } from '../../contract/ris';
import type { NoteVersion } from './note-envelope';
import type { ScopedTarget } from './note-scope-targets';

type Language = 'de' | 'en';

const WORDS = {
  de: {
    title: 'Notizen zur Sitzung',
    meeting: 'Zur Sitzung',
    agendaItem: 'TOP',
    paper: 'Vorlage',
    file: 'Datei',
    page: 'Seite',
    conflict: 'Konfliktkopie',
    none: 'Keine Notizen zu dieser Sitzung.',
  },
  en: {
    title: 'Notes on the meeting',
    meeting: 'On the meeting',
    agendaItem: 'Item',
    paper: 'Paper',
    file: 'File',
    page: 'Page',
    conflict: 'Conflict copy',
    none: 'No notes on this meeting.',
  },
} as const;

/** One line of the person's text as Markdown text: a leading #, >, - or digit-dot would start a block. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function paragraphs(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*)([#>*+-]|\d+[.)])/, '$1\\$2'))
    .join('  \n');
}

function heading(place: ScopedTarget['place'], w: (typeof WORDS)[Language]): string {
  switch (place.kind) {
    case 'meeting':
      return w.meeting;
    case 'agendaItem':
      return inline([`${w.agendaItem} ${place.number ?? ''}`.trim(), place.name ?? ''].filter(Boolean).join(': '));
    case 'paper':
      return inline([w.paper, place.reference ?? '', place.name ?? ''].filter(Boolean).join(' '));
    case 'file':
      return inline(`${w.file}: ${place.name}`);
  }
}

/**
 * The notes of a meeting as Markdown, in the order of the agenda: per place (the meeting, an agenda item, its
 * paper, a file) its notes — the highlighted quote with its page, then the note's text. Only what the person
 * wrote and highlighted; a place without notes is left out.
 */
export function meetingNotesMarkdown(
  meeting: MeetingView,
  sections: readonly { place: ScopedTarget['place']; notes: readonly NoteVersion[] }[],
  language: Language,
): string {
  const w = WORDS[language];
  const out: string[] = [`# ${w.title}: ${inline(meeting.name ?? meeting.id)}`, ''];
  if (meeting.start) out.push(inline(meeting.start.slice(0, 16).replace('T', ' ')), '');
  let count = 0;
  for (const { place, notes } of sections) {
    if (notes.length === 0) continue;
    out.push(`## ${heading(place, w)}`, '');
    for (const note of notes) {
      count++;
      const b = note.body;
      const marks = [b.page ? `${w.page} ${b.page}` : '', note.conflictOf ? w.conflict : ''].filter(Boolean);
      if (marks.length > 0) out.push(`*${marks.join(' · ')}*`, '');
      if (b.anchor) out.push(...b.anchor.exact.split(/\r?\n/).map((l) => `> ${l}`), '');
      if (b.text.trim()) out.push(paragraphs(b.text), '');
    }
  }
  if (count === 0) out.push(w.none, '');
  return out.join('\n');
}
