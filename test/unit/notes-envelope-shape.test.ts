import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { codeOfCall } from '../support/error-code';
import { type NoteVersion, openNoteVersion, sealNoteVersion } from '../../electron/services/notes/note-envelope';

const version = (): NoteVersion => ({
  noteId: randomUUID(),
  rev: randomUUID(),
  baseRev: null,
  updatedAt: '2026-04-01T08:00:00.000Z',
  device: randomUUID(),
  deleted: false,
  conflictOf: null,
  body: {
    target: { kind: 'paper', ref: 'https://ris.example/oparl/paper/1' },
    anchor: null,
    page: null,
    color: null,
    text: 'Vorab klären',
  },
});

describe('a sealed note is opened only in the shape the contract shows', () => {
  test('a well-formed version opens as it was sealed', () => {
    const key = randomBytes(32);
    const v = version();
    expect(openNoteVersion(key, sealNoteVersion(key, v), v.noteId, v.rev)).toEqual(v);
  });

  test('a version sealed with the right key but out of shape (another build, a bug) is NOTES_UNREADABLE, not stored', () => {
    const key = randomBytes(32);
    const wrongKind = version();
    (wrongKind.body.target as { kind: string }).kind = 'mailbox';
    expect(
      codeOfCall(() => openNoteVersion(key, sealNoteVersion(key, wrongKind), wrongKind.noteId, wrongKind.rev)),
    ).toBe('NOTES_UNREADABLE');
    const hugeText = version();
    hugeText.body.text = 'x'.repeat(20_001);
    expect(codeOfCall(() => openNoteVersion(key, sealNoteVersion(key, hugeText), hugeText.noteId, hugeText.rev))).toBe(
      'NOTES_UNREADABLE',
    );
  });
});
