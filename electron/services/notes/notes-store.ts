import { createHash, randomUUID } from 'node:crypto';
import type { ReadableDB, VaultDoor } from '../vault/vault-db';
import type { NoteBody, NoteVersion } from './note-envelope';
import {
  allNotes,
  deviceId,
  isKnownRev,
  isUploaded,
  knowRev,
  noteById,
  notesOfTarget,
  notesToUpload,
  markUploaded,
  saveDeviceId,
  saveNote,
} from './notes-repository';

/** An id derived from its inputs, shaped like a UUID: two devices resolving the same conflict make the same copy. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Which of two concurrent versions wins: the later edit; on the same instant, the larger device id. */
function wins(a: NoteVersion, b: NoteVersion): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.device > b.device;
}

/**
 * The version a new edit is made from: the current one — or, when the current one never left this device, the
 * one that was made from (edits between two syncs are one edit to the other devices).
 */
function baseFor(db: ReadableDB, current: NoteVersion | undefined): string | null {
  if (!current) return null;
  return isUploaded(db, current.noteId, current.rev) ? current.rev : current.baseRev;
}

export type MergeOutcome = 'new' | 'newer' | 'same' | 'older' | 'conflict';

/**
 * The person's notes in the vault, and how a version from another device joins them. Each edit is a new
 * version that names the version it was made from; a deletion is a version too (a tombstone). Two edits made
 * from the same version on two devices are concurrent: the later one wins, the other is kept as a visible
 * conflict copy (a note of its own, `conflictOf` naming the original) — made identically on every device, so
 * it exists once.
 */
export class NotesStore {
  private readonly now: () => Date;

  constructor(
    private readonly vault: VaultDoor,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** This vault's device id (random, made once). */
  device(): string {
    const existing = this.vault.guard((db) => deviceId(db));
    if (existing) return existing;
    const id = randomUUID();
    this.vault.transaction((db) => saveDeviceId(db, id));
    return this.vault.guard((db) => deviceId(db)) ?? id;
  }

  get(id: string): NoteVersion | undefined {
    return this.vault.guard((db) => noteById(db, id));
  }

  /** The notes of a paper, meeting, agenda item or document. */
  of(target: NoteBody['target']): NoteVersion[] {
    return this.vault.guard((db) => notesOfTarget(db, target.kind, target.ref));
  }

  all(): NoteVersion[] {
    return this.vault.guard((db) => allNotes(db));
  }

  /** Makes a new note or a new version of one (to be uploaded at the next sync). */
  save(body: NoteBody, id?: string): NoteVersion {
    return this.vault.transaction((db) => {
      const current = id ? noteById(db, id) : undefined;
      const version: NoteVersion = {
        noteId: current?.noteId ?? id ?? randomUUID(),
        rev: randomUUID(),
        baseRev: baseFor(db, current),
        updatedAt: this.now().toISOString(),
        device: this.device(),
        deleted: false,
        conflictOf: current?.conflictOf ?? null,
        body,
      };
      saveNote(db, version, false);
      return version;
    });
  }

  /** Deletes a note: a tombstone version, so the deletion reaches the other devices. */
  delete(id: string): void {
    this.vault.transaction((db) => {
      const current = noteById(db, id);
      if (!current || current.deleted) return;
      saveNote(
        db,
        {
          ...current,
          rev: randomUUID(),
          baseRev: baseFor(db, current),
          updatedAt: this.now().toISOString(),
          device: this.device(),
          deleted: true,
        },
        false,
      );
    });
  }

  toUpload(): NoteVersion[] {
    return this.vault.guard((db) => notesToUpload(db));
  }

  uploaded(version: NoteVersion): void {
    this.vault.transaction((db) => markUploaded(db, version.noteId, version.rev));
  }

  /** A version read from the notes folder joins the local notes. */
  merge(remote: NoteVersion): MergeOutcome {
    return this.vault.transaction((db) => {
      const local = noteById(db, remote.noteId);
      if (!local) {
        saveNote(db, remote, true);
        return 'new';
      }
      if (local.rev === remote.rev) {
        // The same version came up from elsewhere (a conflict copy both devices made): no need to send ours.
        markUploaded(db, local.noteId, local.rev);
        return 'same';
      }
      // A version seen before (ours was made from it, or from one after it): already superseded here.
      if (isKnownRev(db, remote.noteId, remote.rev)) return 'older';
      // The remote one was made from ours: it replaces ours.
      if (remote.baseRev === local.rev) {
        saveNote(db, remote, true);
        return 'newer';
      }
      knowRev(db, remote.noteId, remote.rev);
      // Concurrent: the later edit wins; the other stays as a conflict copy (a deletion needs none).
      const [winner, loser] = wins(remote, local) ? [remote, local] : [local, remote];
      if (winner === remote) saveNote(db, remote, true);
      // A deletion that wins keeps the edit it beat as a copy too: nothing written is lost.
      if (!loser.deleted) {
        const copyId = derivedId('conflict', loser.noteId, loser.rev);
        if (!noteById(db, copyId))
          saveNote(
            db,
            {
              ...loser,
              noteId: copyId,
              rev: derivedId('conflict-rev', loser.noteId, loser.rev),
              baseRev: null,
              conflictOf: loser.noteId,
            },
            false,
          );
      }
      return 'conflict';
    });
  }
}
