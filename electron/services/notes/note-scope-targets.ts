import { isRatsdeskError } from '../../contract/errors';
import { documentNoteRef, type NoteScope, type NoteTarget } from '../../contract/notes';
import type { MeetingView, PaperView } from '../../contract/ris';

/** What gathering a paper's or meeting's notes reads of the council data in the vault. */
export interface CouncilLookup {
  paper(id: string): Promise<PaperView>;
  meeting(id: string): Promise<MeetingView>;
}

/** One place notes can sit on, with the heading it has in a list or an export. */
export interface ScopedTarget {
  target: NoteTarget;
  /** Where it sits: the meeting itself, an agenda item (its number and name), a paper, a file. */
  place:
    | { kind: 'meeting'; name: string | null }
    | { kind: 'agendaItem'; number: string | null; name: string | null }
    | { kind: 'paper'; reference: string | null; name: string | null }
    | { kind: 'file'; name: string };
}

/**
 * The files' notes: a RIS file is cached under its OParl id as source (RisService.file), so its notes are found
 * whether or not the file is in the cache now, and stay with a revised file from the same address.
 */
function documentTargets(files: PaperView['files']): ScopedTarget[] {
  return files.map((f) => ({
    target: { kind: 'document', ref: documentNoteRef({ kind: 'url', ref: f.id }) },
    place: { kind: 'file', name: f.name },
  }));
}

/** A paper that is not in the vault (not synced, removed) simply has no notes to add. */
async function paperOrNothing(council: CouncilLookup, id: string): Promise<PaperView | undefined> {
  try {
    return await council.paper(id);
  } catch (err) {
    if (isRatsdeskError(err) && err.code === 'RIS_OBJECT_NOT_FOUND') return undefined;
    throw err;
  }
}

function paperTargets(paper: PaperView): ScopedTarget[] {
  return [
    {
      target: { kind: 'paper', ref: paper.id },
      place: { kind: 'paper', reference: paper.reference, name: paper.name },
    },
    ...documentTargets(paper.files),
  ];
}

/**
 * Every target whose notes belong to a paper (the paper, its files) or a meeting (the meeting, its files, then
 * per agenda item the item, its paper and the paper's files), in that order: the order of the agenda.
 */
export async function scopeTargets(scope: NoteScope, council: CouncilLookup): Promise<ScopedTarget[]> {
  if (scope.kind === 'paper') return paperTargets(await council.paper(scope.ref));
  const meeting = await council.meeting(scope.ref);
  const out: ScopedTarget[] = [
    { target: { kind: 'meeting', ref: meeting.id }, place: { kind: 'meeting', name: meeting.name } },
    ...documentTargets(meeting.files),
  ];
  const seenPapers = new Set<string>();
  for (const item of meeting.agenda) {
    out.push({
      target: { kind: 'agendaItem', ref: item.id },
      place: { kind: 'agendaItem', number: item.number, name: item.name ?? item.paperName },
    });
    if (!item.paperId || seenPapers.has(item.paperId)) continue;
    seenPapers.add(item.paperId);
    const paper = await paperOrNothing(council, item.paperId);
    if (paper) out.push(...paperTargets(paper));
  }
  return out;
}
