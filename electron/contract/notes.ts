import { z } from 'zod';
import { call, event } from './define';
import { MAX_QUOTE_CHARS } from './text-anchor';

/**
 * The `notes` domain: the person's own notes — highlights and page notes in a document, free notes on a
 * paper, meeting or agenda item ("Meine Notizen"). They live in the vault and travel between the person's
 * own devices end-to-end encrypted in a hidden folder of their mailbox (services/notes); the notes key
 * never crosses this boundary, only its recovery code does, to be shown or typed.
 */

const ref = z.string().min(1).max(4096);

export const NoteTargetSchema = z.object({
  kind: z.enum(['document', 'paper', 'meeting', 'agendaItem']),
  /**
   * The council system's id of the paper, meeting or agenda item; for a document where it came from
   * (documentNoteRef), not its id in the cache: a revised file from the same address, or one fetched again
   * after the cache let it go, gets a new id — its notes stay with it.
   */
  ref: z.string().min(1).max(8200),
});
export type NoteTarget = z.infer<typeof NoteTargetSchema>;

/** The target ref of a document's notes: its source ("url:https://…", "message:…", "upload:…"). */
export function documentNoteRef(source: { kind: string; ref: string }): string {
  return `${source.kind}:${source.ref}`;
}

/** The source a document target names (undefined when the ref is not one). */
export function sourceOfDocumentNoteRef(ref: string): { kind: 'url' | 'message' | 'upload'; ref: string } | undefined {
  const colon = ref.indexOf(':');
  const kind = ref.slice(0, colon);
  if (colon < 0 || (kind !== 'url' && kind !== 'message' && kind !== 'upload')) return undefined;
  return { kind, ref: ref.slice(colon + 1) };
}

/** The W3C Web Annotation style anchor of a highlight (see text-anchor.ts). */
export const TextAnchorSchema = z.object({
  page: z.number().int().positive().max(100_000),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  exact: z.string().min(1).max(MAX_QUOTE_CHARS),
  prefix: z.string().max(200),
  suffix: z.string().max(200),
});

export const noteColors = ['gelb', 'gruen', 'blau', 'rosa'] as const;
export const NoteColorSchema = z.enum(noteColors);
export type NoteColor = z.infer<typeof NoteColorSchema>;

export const NOTE_TEXT_MAX = 20_000;

export const NoteBodySchema = z.object({
  target: NoteTargetSchema,
  /** The highlighted passage; null for a page note or a free note. */
  anchor: TextAnchorSchema.nullable(),
  /** 1-based page of a highlight or page note; null for a free note. */
  page: z.number().int().positive().max(100_000).nullable(),
  /** Highlight colour; null: no highlight. */
  color: NoteColorSchema.nullable(),
  text: z.string().max(NOTE_TEXT_MAX),
  /** What the target was called when the note was made (the list of all notes shows it). */
  targetTitle: z.string().max(1000).optional(),
  /** For an agenda item: its meeting (opening the note opens that meeting). */
  meetingId: ref.optional(),
});
export type NoteBodyInfo = z.infer<typeof NoteBodySchema>;

export const NoteSchema = z.object({
  id: z.uuid(),
  /** ISO 8601 of the last edit (on any device). */
  updatedAt: z.string().max(40),
  /** A conflict copy: the note whose concurrent edit this one lost to (both are shown). */
  conflictOf: z.uuid().nullable(),
  body: NoteBodySchema,
  /** For a note on a document: the document in the cache now (to open it); null when it is not cached. */
  documentId: z.uuid().nullable(),
});
export type Note = z.infer<typeof NoteSchema>;

export const NoteListSchema = z.array(NoteSchema).max(10_000);

export const NotesSyncStateSchema = z.object({
  state: z.enum([
    /** Notes travel: the last round went through (or there was nothing to do). */
    'idle',
    'syncing',
    /** No mail account, or the server is not reachable now: the notes wait in the vault. */
    'offline',
    /** The notes folder holds notes of another device, and this one has no key yet: enter the recovery code. */
    'needsRecoveryCode',
    'failed',
  ]),
  lastSyncAt: z.string().max(40).nullable(),
  /** Notes in the folder this device's key cannot open (another key, damaged). */
  unreadable: z.number().int().nonnegative(),
  error: z.object({ code: z.string().max(100) }).nullable(),
});
export type NotesSyncState = z.infer<typeof NotesSyncStateSchema>;

export const RecoveryCodeSchema = z.string().min(1).max(200);

/** A paper or meeting whose notes are gathered: its own, its agenda items', papers' and files' notes. */
export const NoteScopeSchema = z.object({ kind: z.enum(['paper', 'meeting']), ref });
export type NoteScope = z.infer<typeof NoteScopeSchema>;

export const NotesExportResultSchema = z.object({
  /** The Markdown file, put into the document cache: "Speichern unter …" (app.saveDocumentAs) writes it out. */
  documentId: z.uuid(),
  name: z.string().max(300),
  notes: z.number().int().nonnegative(),
});
export type NotesExportResult = z.infer<typeof NotesExportResultSchema>;

export const notes = {
  /** The notes of one document, paper, meeting or agenda item, oldest first. */
  of: call(NoteTargetSchema, NoteListSchema),
  /**
   * All notes of a paper (its own and those on its files) or of a meeting (its own, its agenda items', their
   * papers' and all their files'), in the order of the agenda.
   */
  collected: call(NoteScopeSchema, NoteListSchema),
  /**
   * The notes of a meeting as a Markdown file in the person's language, ready for "Speichern unter …";
   * EXPORT_FORBIDDEN when the policy keeps documents inside the app (documentExportAllowed).
   */
  exportMeeting: call(z.object({ meetingId: ref, language: z.enum(['de', 'en']).optional() }), NotesExportResultSchema),
  /** Every note, newest first. */
  all: call(z.void(), NoteListSchema),
  /** A new note (no id) or a new version of one; answers the saved note. */
  save: call(z.object({ id: z.uuid().optional(), body: NoteBodySchema }), NoteSchema),
  /** Deletes a note (a tombstone: the deletion reaches the other devices). */
  delete: call(z.object({ id: z.uuid() }), z.void()),
  /** One round with the notes folder now; answers the state after it. */
  syncNow: call(z.void(), NotesSyncStateSchema),
  syncState: call(z.void(), NotesSyncStateSchema),
  /** The recovery code of the notes key (only while unlocked); NOTES_KEY_MISSING before there is a key. */
  recoveryCode: call(z.void(), z.object({ code: z.string().max(200) })),
  /** Takes the notes key of another device; NOTES_RECOVERY_CODE_INVALID for a wrong code. */
  enterRecoveryCode: call(z.object({ code: RecoveryCodeSchema }), NotesSyncStateSchema),
  /** Notes changed (an edit here, or a round brought news from another device). */
  changed: event(z.object({ reason: z.enum(['local', 'sync']) })),
};
