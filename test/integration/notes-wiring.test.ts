import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { NoteBodyInfo } from '../../electron/contract/notes';
import { createServices, type Services } from '../../electron/services/app-services';
import { NOTES_FOLDER } from '../../electron/services/notes/notes-sync';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { codeOf } from '../support/error-code';
import { connectAccount } from '../support/e2e-account';
import { until } from '../support/wait-until';

// A mailbox per test: each starts from an empty notes folder.
const USERS = [
  { user: 'wanda', pass: 'Notizen-Verdrahtet-2026!' },
  { user: 'wilma', pass: 'Notizen-Gesperrt-2026!' },
];

/** One of the person's devices: the app's services over a data folder and a keychain of their own. */
interface Device {
  services: Services;
  dataDir: string;
}

let dovecot: DovecotServer;
const devices: Device[] = [];

async function device(user: { user: string; pass: string }): Promise<Device> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-notes-wiring-'));
  const services = createServices({
    dataDir,
    keychainService: `ratsdesk-test-${randomUUID()}`,
    trust: { extraCaPem: [dovecot.cert.caPem] },
  });
  await connectAccount(services, dovecot, user);
  devices.push({ services, dataDir });
  // The mail connection is up (the notes borrow it).
  await until('the mail connection online', async () =>
    (await services.mailSessions.current()).sync.connectionState.state === 'online' ? true : undefined,
  );
  return { services, dataDir };
}

const paperNote = (text: string): NoteBodyInfo => ({
  target: { kind: 'paper', ref: 'https://ris.musterstadt.example/oparl/paper/17' },
  targetTitle: 'Vorlage 2026/017 Radweg Hauptstraße',
  anchor: null,
  page: null,
  color: null,
  text,
});

beforeAll(async () => {
  dovecot = await startDovecot({ users: USERS });
});
afterAll(async () => {
  await stopAndRemove(dovecot);
});
afterEach(async () => {
  for (const d of devices.splice(0)) {
    await d.services.account.forget().catch(() => undefined);
    await d.services.dispose();
    rmSync(d.dataDir, { recursive: true, force: true });
  }
});

describe('notes wired into the app: the vault session owns them, the account connection carries them', () => {
  test('a note saved on A reaches B once B entered A’s recovery code; B never makes a key of its own', async () => {
    const a = await device(USERS[0]!);
    const b = await device(USERS[0]!);
    const h = a.services.handlers.notes;
    const saved = await h.save({ body: paperNote('Nachfragen: Kosten für die Radwegverbreiterung') });
    expect((await h.syncNow()).state).toBe('idle');
    const { code } = await h.recoveryCode();

    // B sees that notes are waiting under a key it does not have: it asks for the code instead of making a key.
    const hb = b.services.handlers.notes;
    expect((await hb.syncNow()).state).toBe('needsRecoveryCode');
    expect(await codeOf(hb.recoveryCode())).toBe('NOTES_KEY_MISSING');
    expect(await hb.all()).toEqual([]);
    // A wrong code is refused with its code; nothing is stored.
    const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
    expect(await codeOf(hb.enterRecoveryCode({ code: typo }))).toBe('NOTES_RECOVERY_CODE_INVALID');
    expect(await codeOf(hb.recoveryCode())).toBe('NOTES_KEY_MISSING');

    expect((await hb.enterRecoveryCode({ code })).state).toBe('idle');
    expect(await hb.all()).toEqual([expect.objectContaining({ id: saved.id, body: saved.body })]);
    expect((await hb.recoveryCode()).code).toBe(code);

    // "Überall suchen" on B finds it (ß/ss and prefix folding as everywhere in the vault).
    const found = await b.services.handlers.search.all({ query: 'radwegverbreit hauptstrasse', limit: 8 });
    const notes = found.groups.find((g) => g.kind === 'note');
    expect(notes?.hits).toEqual([
      expect.objectContaining({
        kind: 'note',
        noteId: saved.id,
        target: saved.body.target,
        title: saved.body.targetTitle,
      }),
    ]);

    // The hidden folder carries notes, not mail: the mail folder list of either device does not show it.
    await (await b.services.mailSessions.current()).sync.syncAll();
    const folders = await b.services.handlers.mailSync.folders();
    expect(folders.map((f) => f.path)).toContain('INBOX');
    expect(folders.map((f) => f.path)).not.toContain(NOTES_FOLDER);
  });

  test('while the app is locked no round runs; unlocked, the edit goes up; signing out ends the notes service', async () => {
    const user = USERS[1]!;
    const a = await device(user);
    await a.services.handlers.lock.lock({ reason: 'demand' });
    const service = await a.services.notes();
    service.save({ body: paperNote('Im Sperrzustand geschrieben') });
    const before = service.syncState();
    expect(await service.syncNow()).toEqual(before);
    expect(service.store.toUpload()).toHaveLength(1);

    await a.services.handlers.lock.unlock({ password: user.pass });
    expect((await service.syncNow()).state).toBe('idle');
    expect(service.store.toUpload()).toHaveLength(0);

    // Sign-out closes the vault scope and the notes service with it; the next use opens a fresh one.
    await a.services.handlers.account.forget();
    const fresh = await a.services.notes();
    expect(fresh).not.toBe(service);
    expect((await fresh.syncNow()).state).toBe('offline');
  });
});
