import { z } from 'zod';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RatsdeskError } from '../../contract/errors';
import { type NoteBodyInfo, NoteBodySchema } from '../../contract/notes';

/** What a note is about and says (the contract's shape). Only ever stored in the vault or sealed with the notes key. */
export type NoteBody = NoteBodyInfo;

/** One version of one note, as it travels between the person's devices. */
export interface NoteVersion {
  noteId: string;
  /** This version's id; `baseRev` the version it was edited from (null: new). */
  rev: string;
  baseRev: string | null;
  /** ISO 8601; the later of two concurrent edits wins. */
  updatedAt: string;
  /** The device that wrote it (a random id per vault): breaks ties. */
  device: string;
  /** A tombstone: the note was deleted. */
  deleted: boolean;
  /** For a conflict copy: the note whose concurrent edit lost. */
  conflictOf: string | null;
  body: NoteBody;
}

const NoteVersionSchema = z.object({
  noteId: z.uuid(),
  rev: z.uuid(),
  baseRev: z.uuid().nullable(),
  updatedAt: z.string().max(40),
  device: z.string().max(100),
  deleted: z.boolean(),
  conflictOf: z.uuid().nullable(),
  body: NoteBodySchema,
});

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'ratsdesk-note-1';
/** A sealed note larger than this is not opened (a note is text, not a document). */
const MAX_SEALED_BYTES = 1024 * 1024;

function aad(noteId: string, rev: string): Buffer {
  return Buffer.from(`${FORMAT}\n${noteId}\n${rev}`, 'utf8');
}

/** Seals a version with AES-256-GCM under the notes key; its ids are bound in, so a sealed note cannot be moved. */
export function sealNoteVersion(key: Buffer, version: NoteVersion): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(version.noteId, version.rev));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(version), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]);
}

/** Opens a sealed version; another key, a changed byte or ids that do not match: NOTES_UNREADABLE. */
export function openNoteVersion(key: Buffer, sealed: Buffer, noteId: string, rev: string): NoteVersion {
  const unreadable = (detail: string) => new RatsdeskError('NOTES_UNREADABLE', detail);
  if (sealed.length < NONCE_BYTES + TAG_BYTES || sealed.length > MAX_SEALED_BYTES) throw unreadable('size');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad(noteId, rev));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  let plain: string;
  try {
    plain = Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw unreadable('authentication');
  }
  let version: NoteVersion;
  try {
    // Sealed by one of the person's devices, but checked all the same: a version of another app build, or
    // a bug there, must not put a note into the vault that the contract would refuse to show.
    version = NoteVersionSchema.parse(JSON.parse(plain));
  } catch {
    throw unreadable('shape');
  }
  if (version.noteId !== noteId || version.rev !== rev) throw unreadable('ids');
  return version;
}

const NOTE_HEADER = 'X-Ratsdesk-Note';
const REV_HEADER = 'X-Ratsdesk-Rev';
const ID = /^[0-9a-f-]{36}$/;

/**
 * The mail message that carries one sealed version in the hidden notes folder. Its headers name only random
 * ids; subject and sender say nothing about the note.
 */
export function noteMessage(version: NoteVersion, sealed: Buffer): string {
  const body =
    sealed
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? '';
  return [
    'From: Ratsdesk <notes@ratsdesk.invalid>',
    'To: Ratsdesk <notes@ratsdesk.invalid>',
    'Subject: Ratsdesk',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${version.rev}@notes.ratsdesk.invalid>`,
    `${NOTE_HEADER}: ${version.noteId}`,
    `${REV_HEADER}: ${version.rev}`,
    'MIME-Version: 1.0',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    body,
    '',
  ].join('\r\n');
}

/** The ids and sealed bytes of a notes-folder message; undefined for anything else in the folder. */
export function parseNoteMessage(source: Buffer): { noteId: string; rev: string; sealed: Buffer } | undefined {
  const text = source.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const header = (name: string) => {
    for (const line of text.slice(0, split).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).toLowerCase() === name.toLowerCase()) return line.slice(colon + 1).trim();
    }
    return undefined;
  };
  const noteId = header(NOTE_HEADER);
  const rev = header(REV_HEADER);
  if (!noteId || !rev || !ID.test(noteId) || !ID.test(rev)) return undefined;
  return { noteId, rev, sealed: Buffer.from(text.slice(split + 4).replace(/\s+/g, ''), 'base64') };
}
