import type { ImapFlow } from 'imapflow';
import { RatsdeskError } from '../../contract/errors';
import { noteMessage, openNoteVersion, parseNoteMessage, sealNoteVersion } from './note-envelope';
import { folderState, saveFolderState } from './notes-repository';
import type { NotesStore } from './notes-store';
import type { VaultDoor } from '../vault/vault-db';

/** The hidden folder of the person's own mailbox that carries the notes (sealed; see note-envelope.ts). */
export const NOTES_FOLDER = 'Ratsdesk-Notizen';

export interface NotesSyncResult {
  uploaded: number;
  received: number;
  conflicts: number;
  /** Messages in the folder that could not be opened with this device's key (another key, damaged). */
  unreadable: number;
}

/**
 * One round with the notes folder over a connected IMAP client: uploads the versions made here, then reads
 * what arrived since the last round (by UID) and merges it. The server only ever receives ciphertext.
 */
export async function syncNotes(
  client: ImapFlow,
  vault: VaultDoor,
  store: NotesStore,
  key: Buffer,
  folder = NOTES_FOLDER,
): Promise<NotesSyncResult> {
  const result: NotesSyncResult = { uploaded: 0, received: 0, conflicts: 0, unreadable: 0 };
  const folders = await client.list();
  if (!folders.some((f) => f.path === folder)) await client.mailboxCreate(folder);

  for (const version of store.toUpload()) {
    await client.append(folder, noteMessage(version, sealNoteVersion(key, version)), ['\\Seen']);
    store.uploaded(version);
    result.uploaded++;
  }

  const lock = await client.getMailboxLock(folder);
  try {
    const mailbox = client.mailbox;
    if (!mailbox) throw new RatsdeskError('SERVER_ERROR', 'notes folder not open');
    const uidValidity = String(mailbox.uidValidity);
    const known = vault.guard((db) => folderState(db, folder));
    const since = known && known.uidValidity === uidValidity ? known.lastUid : 0;
    let last = since;
    if (mailbox.exists > 0) {
      for await (const message of client.fetch(`${since + 1}:*`, { uid: true, source: true }, { uid: true })) {
        if (message.uid <= since || !message.source) continue;
        last = Math.max(last, message.uid);
        const parsed = parseNoteMessage(message.source);
        if (!parsed) continue;
        let version;
        try {
          version = openNoteVersion(key, parsed.sealed, parsed.noteId, parsed.rev);
        } catch {
          result.unreadable++;
          continue;
        }
        const outcome = store.merge(version);
        if (outcome === 'new' || outcome === 'newer') result.received++;
        if (outcome === 'conflict') result.conflicts++;
      }
    }
    vault.transaction((db) => saveFolderState(db, folder, uidValidity, last));
  } finally {
    lock.release();
  }

  // A conflict copy made while reading goes up in the same round.
  for (const version of store.toUpload()) {
    await client.append(folder, noteMessage(version, sealNoteVersion(key, version)), ['\\Seen']);
    store.uploaded(version);
    result.uploaded++;
  }
  return result;
}
