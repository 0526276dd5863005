import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import type { NoteBody } from '../../electron/services/notes/note-envelope';
import { NotesKeyStore, recoveryCodeOf } from '../../electron/services/notes/notes-key';
import { NotesStore } from '../../electron/services/notes/notes-store';
import { NOTES_FOLDER, syncNotes } from '../../electron/services/notes/notes-sync';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { codeOf } from '../support/error-code';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

const USER = { user: 'nora', pass: 'Notizen-Sync-2026!' };
const SECRET_TEXT = 'Radweg-Kompromiss mit der CDU-Fraktion vorab klären';

/** One of the person's devices: a vault and a keychain of its own, its clock set by the test. */
interface Device {
  fx: VaultFixture;
  vault: Vault;
  store: NotesStore;
  keys: NotesKeyStore;
  clock: { t: number };
}

let dovecot: DovecotServer;
let a: Device;
let b: Device;

async function device(): Promise<Device> {
  const fx = makeVaultFixture();
  const vault = await openVault({ file: fx.file, keychain: fx.keychain });
  const clock = { t: Date.parse('2026-04-01T08:00:00Z') };
  return {
    fx,
    vault,
    store: new NotesStore(vault, { now: () => new Date(clock.t) }),
    keys: new NotesKeyStore(fx.keychain),
    clock,
  };
}

/** One notes round of a device against the shared Dovecot, over its own IMAP connection. */
async function sync(d: Device) {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    secure: true,
    auth: { user: USER.user, pass: USER.pass },
    tls: { ca: [dovecot.cert.caPem] },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const key = await d.keys.get();
    if (!key) throw new RatsdeskError('NOTES_KEY_MISSING');
    return await syncNotes(client, d.vault, d.store, key);
  } finally {
    await client.logout();
  }
}

/** Every file under a folder, read whole. */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path)];
  });
}

const highlight = (text: string): NoteBody => ({
  target: { kind: 'document', ref: 'https://ris.musterstadt.example/files/radweg.pdf' },
  anchor: {
    page: 4,
    start: 10,
    end: 52,
    exact: 'den Radweg an der Hauptstraße zu verbreitern',
    prefix: 'vor, ',
    suffix: '.',
  },
  page: 4,
  color: 'gelb',
  text,
});

beforeAll(async () => {
  dovecot = await startDovecot({ users: [USER] });
});
afterAll(async () => {
  await stopAndRemove(dovecot);
});
beforeEach(async () => {
  a = await device();
  b = await device();
});
afterEach(async () => {
  for (const d of [a, b]) {
    d.vault.close();
    await d.fx.cleanup();
  }
});

describe('notes travel between two devices in a hidden folder of the own mailbox, end-to-end encrypted', () => {
  test('a highlight made on A appears on B after the key moved by recovery code; a wrong code is refused', async () => {
    const code = await a.keys.recoveryCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
    const note = a.store.save(highlight(SECRET_TEXT));
    expect(await sync(a)).toMatchObject({ uploaded: 1 });

    // B has no key yet: it cannot read anything.
    expect(await codeOf(sync(b))).toBe('NOTES_KEY_MISSING');
    // A mistyped code (one character changed) and another person's code are refused with a sentence code.
    const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
    expect(await codeOf(b.keys.importRecoveryCode(typo))).toBe('NOTES_RECOVERY_CODE_INVALID');
    expect(await codeOf(b.keys.importRecoveryCode('1234-5678'))).toBe('NOTES_RECOVERY_CODE_INVALID');
    expect(await b.keys.get()).toBeUndefined();
    // Typed in lower case with spaces instead of dashes: accepted.
    await b.keys.importRecoveryCode(code.toLowerCase().replaceAll('-', ' '));
    expect(await sync(b)).toMatchObject({ received: 1, unreadable: 0 });
    expect(b.store.get(note.noteId)?.body).toEqual(note.body);

    // A device with a key of its own cannot read them (and says so in its count), nor can it take a second key.
    const c = await device();
    try {
      await c.keys.getOrCreate();
      expect(await sync(c)).toMatchObject({ received: 0, unreadable: 1 });
      expect(await codeOf(c.keys.importRecoveryCode(code))).toBe('NOTES_KEY_CONFLICT');
    } finally {
      c.vault.close();
      await c.fx.cleanup();
    }
  });

  test('concurrent edits give one winner and one visible conflict copy on both; a deletion propagates', async () => {
    await b.keys.importRecoveryCode(recoveryCodeOf(await a.keys.getOrCreate()));
    const note = a.store.save(highlight('erste Fassung'));
    await sync(a);
    await sync(b);

    // Both edit the same version; B's edit is the later one.
    a.clock.t += 60_000;
    a.store.save(highlight('Fassung von A'), note.noteId);
    b.clock.t += 120_000;
    b.store.save(highlight('Fassung von B'), note.noteId);
    await sync(a);
    expect(await sync(b)).toMatchObject({ conflicts: 1 });
    expect(await sync(a)).toMatchObject({ conflicts: 1 });
    await sync(b);

    for (const d of [a, b]) {
      const notes = d.store.all();
      expect(notes.map((n) => n.body.text).sort()).toEqual(['Fassung von A', 'Fassung von B']);
      expect(d.store.get(note.noteId)?.body.text).toBe('Fassung von B');
      const copy = notes.find((n) => n.noteId !== note.noteId);
      expect(copy?.conflictOf).toBe(note.noteId);
    }
    // The copy is the same note on both devices, not two.
    expect(
      a.store
        .all()
        .map((n) => n.noteId)
        .sort(),
    ).toEqual(
      b.store
        .all()
        .map((n) => n.noteId)
        .sort(),
    );

    // A deletes the note: B's list loses it after its next round; the tombstone stays.
    a.clock.t += 600_000;
    a.store.delete(note.noteId);
    await sync(a);
    await sync(b);
    expect(b.store.get(note.noteId)?.deleted).toBe(true);
    expect(b.store.all().map((n) => n.body.text)).toEqual(['Fassung von A']);
  });

  test("the server's mail store on disk holds only ciphertext: the note text is nowhere in it", async () => {
    a.store.save(highlight(SECRET_TEXT));
    await a.keys.getOrCreate();
    await sync(a);
    const files = filesUnder(dovecot.maildir(USER.user));
    const notesFiles = files.filter((f) => f.includes('X-Ratsdesk-Note:'));
    // The search looks where the notes are (the hidden folder's messages)...
    expect(notesFiles.length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(dovecot.maildir(USER.user))).toContain(`.${NOTES_FOLDER}`);
    // ...and finds neither the note's text nor the quote it highlights, in any encoding a reader might try.
    for (const needle of [SECRET_TEXT, 'Radweg-Kompromiss', 'Hauptstraße', 'Hauptstra', 'radweg.pdf'])
      for (const file of files) {
        expect(file.includes(needle)).toBe(false);
        expect(file.includes(Buffer.from(needle).toString('base64').slice(0, 16))).toBe(false);
      }
  });
});
