import { z } from 'zod';
import { call } from './define';
import { shownNameSchema } from './file-name';
import { NoteTargetSchema } from './notes';

/**
 * The `search` domain: "Überall suchen" (Ctrl+K), one offline search over everything the vault holds —
 * mail, council papers, meetings, agenda items, the text of cached documents and the person's notes —
 * answered in groups by kind, each hit with a snippet around the match.
 */

export const searchKinds = ['mail', 'paper', 'meeting', 'agendaItem', 'document', 'note'] as const;
export const SearchKindSchema = z.enum(searchKinds);
export type SearchKind = z.infer<typeof SearchKindSchema>;

export const SearchAllInputSchema = z.object({
  query: z.string().max(500),
  /** Hits per kind. */
  limit: z.number().int().min(1).max(50).default(8),
});
export type SearchAllInput = z.input<typeof SearchAllInputSchema>;

const text = (max: number) => z.string().max(max);

const hitBase = {
  title: text(1000),
  /** Sender, reference, meeting, page: what places the hit. */
  subtitle: text(1000).nullable(),
  /** Text around the hit ("…" where it goes on). */
  snippet: text(600),
  /** ISO 8601: a mail's date, a meeting's start; null where there is none. */
  date: text(40).nullable(),
};

export const SearchAllHitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mail'), messageId: z.number().int().positive(), ...hitBase }),
  z.object({ kind: z.literal('paper'), paperId: text(4096), ...hitBase }),
  z.object({ kind: z.literal('meeting'), meetingId: text(4096), ...hitBase }),
  z.object({ kind: z.literal('agendaItem'), meetingId: text(4096), agendaItemId: text(4096), ...hitBase }),
  z.object({
    kind: z.literal('document'),
    documentId: z.uuid(),
    name: shownNameSchema(1000),
    mimeType: text(1000),
    /** The page of the first hit (1-based). */
    page: z.number().int().positive(),
    /** The words of that page that matched, as the page spells them: the viewer highlights these. */
    words: z.array(text(200)).max(20),
    ...hitBase,
  }),
  z.object({
    kind: z.literal('note'),
    noteId: z.uuid(),
    /** What the note is about: opening the hit opens that document (at `page`), paper or meeting. */
    target: NoteTargetSchema,
    page: z.number().int().positive().nullable(),
    /** For a note on an agenda item: its meeting. */
    meetingId: text(4096).nullable(),
    /** For a note on a document: the document in the cache now (null: not cached). */
    documentId: z.uuid().nullable(),
    ...hitBase,
  }),
]);
export type SearchAllHit = z.infer<typeof SearchAllHitSchema>;

export const SearchAllGroupSchema = z.object({
  kind: SearchKindSchema,
  hits: z.array(SearchAllHitSchema).max(50),
});
export type SearchAllGroup = z.infer<typeof SearchAllGroupSchema>;

export const SearchAllResultSchema = z.object({
  /** Only kinds with hits, in a fixed order (mail, papers, meetings, agenda items, documents, notes). */
  groups: z.array(SearchAllGroupSchema),
  /** Kinds that could not be searched now (no account, no council system): said, not hidden. */
  unavailable: z.array(SearchKindSchema),
});
export type SearchAllResult = z.infer<typeof SearchAllResultSchema>;

export const search = {
  all: call(SearchAllInputSchema, SearchAllResultSchema),
};
