import type { ReadableDB, WritableDB } from '../vault/vault-db';
import type { NoteBody, NoteVersion } from './note-envelope';
import { noteIndexText } from './note-index-text';

interface NoteRow {
  id: string;
  rev: string;
  base_rev: string | null;
  updated_at: string;
  device: string;
  deleted: number;
  conflict_of: string | null;
  body: string;
  uploaded: number;
}

/* The SQL of the notes (notes-001-notes), one function per statement. */

function toVersion(row: NoteRow): NoteVersion {
  return {
    noteId: row.id,
    rev: row.rev,
    baseRev: row.base_rev,
    updatedAt: row.updated_at,
    device: row.device,
    deleted: row.deleted === 1,
    conflictOf: row.conflict_of,
    body: JSON.parse(row.body) as NoteBody,
  };
}

const COLUMNS = 'id, rev, base_rev, updated_at, device, deleted, conflict_of, body, uploaded';

export function noteById(db: ReadableDB, id: string): NoteVersion | undefined {
  const row = db.prepare<[string], NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE id = ?`).get(id);
  return row && toVersion(row);
}

/** The notes of one paper, meeting, agenda item or document (not deleted), oldest first. */
export function notesOfTarget(db: ReadableDB, kind: string, ref: string): NoteVersion[] {
  return db
    .prepare<[string, string], NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE target_kind = ? AND target_ref = ? AND deleted = 0 ORDER BY updated_at`,
    )
    .all(kind, ref)
    .map(toVersion);
}

/** Every note that is not deleted, newest first. */
export function allNotes(db: ReadableDB): NoteVersion[] {
  return db
    .prepare<[], NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE deleted = 0 ORDER BY updated_at DESC`)
    .all()
    .map(toVersion);
}

export function notesToUpload(db: ReadableDB): NoteVersion[] {
  return db.prepare<[], NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE uploaded = 0`).all().map(toVersion);
}

export function saveNote(db: WritableDB, v: NoteVersion, uploaded: boolean): void {
  knowRev(db, v.noteId, v.rev);
  db.prepare(
    `INSERT INTO notes (id, rev, base_rev, updated_at, device, deleted, conflict_of, body, target_kind, target_ref, uploaded)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, base_rev = excluded.base_rev, updated_at = excluded.updated_at,
       device = excluded.device, deleted = excluded.deleted, conflict_of = excluded.conflict_of, body = excluded.body,
       target_kind = excluded.target_kind, target_ref = excluded.target_ref, uploaded = excluded.uploaded`,
  ).run(
    v.noteId,
    v.rev,
    v.baseRev,
    v.updatedAt,
    v.device,
    v.deleted ? 1 : 0,
    v.conflictOf,
    JSON.stringify(v.body),
    v.body.target.kind,
    v.body.target.ref,
    uploaded ? 1 : 0,
  );
  // The search index follows the current version (a tombstone leaves it).
  const rowid = db.pluck<[string], number>('SELECT rowid FROM notes WHERE id = ?').get(v.noteId);
  db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(rowid);
  if (!v.deleted) db.prepare('INSERT INTO notes_fts (rowid, body) VALUES (?, ?)').run(rowid, noteIndexText(v.body));
}

/** The notes (not deleted) whose index text matches an FTS5 expression (FtsPrefixMatch), newest first. */
export function matchingNotes(db: ReadableDB, match: string, limit: number): NoteVersion[] {
  return db
    .prepare<[{ match: string; limit: number }], NoteRow>(
      `SELECT ${COLUMNS} FROM notes
       WHERE rowid IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH @match) AND deleted = 0
       ORDER BY updated_at DESC LIMIT @limit`,
    )
    .all({ match, limit })
    .map(toVersion);
}

export function markUploaded(db: WritableDB, id: string, rev: string): void {
  db.prepare('UPDATE notes SET uploaded = 1 WHERE id = ? AND rev = ?').run(id, rev);
}

export function folderState(db: ReadableDB, folder: string): { uidValidity: string; lastUid: number } | undefined {
  const row = db
    .prepare<[string], { uid_validity: string; last_uid: number }>(
      'SELECT uid_validity, last_uid FROM notes_folder_state WHERE folder = ?',
    )
    .get(folder);
  return row && { uidValidity: row.uid_validity, lastUid: row.last_uid };
}

export function saveFolderState(db: WritableDB, folder: string, uidValidity: string, lastUid: number): void {
  db.prepare(
    `INSERT INTO notes_folder_state (folder, uid_validity, last_uid) VALUES (?, ?, ?)
     ON CONFLICT (folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`,
  ).run(folder, uidValidity, lastUid);
}

export function deviceId(db: ReadableDB): string | undefined {
  return db.pluck<[], string>('SELECT id FROM notes_device').get();
}

export function saveDeviceId(db: WritableDB, id: string): void {
  db.prepare('INSERT OR IGNORE INTO notes_device (id) VALUES (?)').run(id);
}

/** Records a version id of a note as seen (made here or read from the folder). */
export function knowRev(db: WritableDB, noteId: string, rev: string): void {
  db.prepare('INSERT OR IGNORE INTO notes_revs (note_id, rev) VALUES (?, ?)').run(noteId, rev);
}

export function isKnownRev(db: ReadableDB, noteId: string, rev: string): boolean {
  return (
    db.pluck<[string, string], number>('SELECT 1 FROM notes_revs WHERE note_id = ? AND rev = ?').get(noteId, rev) === 1
  );
}

/** Whether the note's current version has gone to the notes folder (or came from it). */
export function isUploaded(db: ReadableDB, noteId: string, rev: string): boolean {
  return (
    db.pluck<[string, string], number>('SELECT uploaded FROM notes WHERE id = ? AND rev = ?').get(noteId, rev) === 1
  );
}
