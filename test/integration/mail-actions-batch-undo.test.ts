import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import type { Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { killSessionsOn } from '../servers/dovecot-chaos';
import { leakCheck, type LeakCheck } from '../support/leak-check';
import { until } from '../support/wait-until';
import { accountOf, commandLogger, emptyFolder, openTestVault, otherDevice, serverState } from './mail-sync-fixture';

const SUBJECTS = ['Antrag Radweg', 'Haushaltsrede', 'Werbung', 'Sitzungsgeld'];

describe('Mail actions on a selection (one command over the UID set) and undo before replay (real Dovecot)', () => {
  let server: DovecotServer;
  let vault: Vault;
  let cleanupVault: () => Promise<void>;
  let service: MailSyncService | undefined;
  let other: ImapFlow;
  let leaks: LeakCheck;
  /** Every command the sync connection sent (tag stripped), in order. */
  const commands: string[] = [];

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  beforeEach(async () => {
    await server.start();
    ({ vault, cleanup: cleanupVault } = await openTestVault());
    other = await otherDevice(server);
    for (const p of ['INBOX', 'Archive', 'Trash']) await emptyFolder(other, p);
    for (const s of SUBJECTS)
      await other.append('INBOX', `Subject: ${s}\r\nFrom: a@stadt.example\r\n\r\nText zu ${s}\r\n`);
    commands.length = 0;
    leaks = await leakCheck();
  });

  afterEach(async () => {
    await service?.dispose();
    service = undefined;
    await cleanupVault();
    // Undo windows end with the service: no timer of a held move survives dispose(),
    // and the vault's checkpoint thread ends with the vault.
    await leaks.assertNoneLeft();
    await other.logout().catch(() => other.close());
  });

  async function startService(undoWindowMs: number): Promise<MailSyncService> {
    const acc = accountOf(server);
    const s = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      backoff: new ReconnectBackoff({ baseMs: 50, capMs: 400 }),
      idle: false,
      undoWindowMs,
      logger: commandLogger(commands),
    });
    s.start();
    await until('initial sync', () => s.queries.count('INBOX') === SUBJECTS.length);
    await s.settled();
    return s;
  }

  const idsOf = (s: MailSyncService, folder: string, subjects: string[]) => {
    const items = s.listPage(folder).items;
    return subjects.map((subject) => items.find((m) => m.subject === subject)!.id);
  };
  const uidsOf = (s: MailSyncService, folder: string) =>
    Object.fromEntries(s.listPage(folder).items.map((m) => [m.subject, m.uid]));
  const sent = (verb: RegExp) => commands.filter((c) => verb.test(c));

  test('read, flag and move on three messages: each one UID command over the set, on the server', async () => {
    service = await startService(600);
    const three = ['Antrag Radweg', 'Haushaltsrede', 'Sitzungsgeld'];
    const ids = idsOf(service, 'INBOX', three);
    const uids = ids.map((id) => service!.getMessage(id).uid).sort((a, b) => a - b);
    commands.length = 0;

    service.setFlags(ids, { seen: true });
    service.setFlags(ids, { flagged: true });
    await service.settled();
    expect(sent(/^UID STORE/)).toEqual([
      `UID STORE ${uids.join(',')} +FLAGS (\\Seen)`,
      `UID STORE ${uids.join(',')} +FLAGS (\\Flagged)`,
    ]);

    const moved = service.move(ids, 'Archive');
    expect(moved.undo).toBeGreaterThan(0);
    // Moved at once in the app; held for the undo window on the way to the server.
    expect(
      service
        .listPage('Archive')
        .items.map((m) => m.subject)
        .sort(),
    ).toEqual([...three].sort());
    await service.settled();
    expect(sent(/^UID MOVE/)).toEqual([]);
    await until('moved after the undo window', () => service!.actions.pending() === 0);
    await service.settled();
    expect(sent(/^UID MOVE/)).toEqual([`UID MOVE ${uids.join(',')} Archive`]);
    const archived = await serverState(other, 'Archive');
    expect(archived.map((m) => m.subject).sort()).toEqual([...three].sort());
    expect(archived.every((m) => m.flags.includes('\\Seen') && m.flags.includes('\\Flagged'))).toBe(true);
    expect((await serverState(other, 'INBOX')).map((m) => m.subject)).toEqual(['Werbung']);
    // The undo window is over: taking it back now changes nothing.
    expect(service.undo(moved.undo!)).toEqual({ undone: false, pending: 0 });
    // The sync afterwards agrees: nothing twice, real UIDs in Archive.
    await service.syncNow();
    expect(service.listPage('Archive').items.every((m) => m.uid > 0)).toBe(true);
    expect(service.listPage('Archive').total).toBe(3);
    expect(service.listPage('INBOX').total).toBe(1);
  });

  test('a move and a delete taken back within the window send nothing to the server; the vault is as before', async () => {
    service = await startService(1_500);
    const before = uidsOf(service, 'INBOX');
    commands.length = 0;

    const moved = service.move(idsOf(service, 'INBOX', ['Antrag Radweg', 'Haushaltsrede']), 'Archive');
    const deleted = service.delete(idsOf(service, 'INBOX', ['Werbung']));
    expect(service.listPage('INBOX').items.map((m) => m.subject)).toEqual(['Sitzungsgeld']);
    expect(service.listPage('Trash').items.map((m) => m.subject)).toEqual(['Werbung']);
    // A sync while they are held does not bring the moved messages back into the inbox twice.
    await service.syncNow();
    expect(service.listPage('INBOX').total).toBe(1);

    expect(service.undo(moved.undo!)).toEqual({ undone: true, pending: 1 });
    expect(service.undo(deleted.undo!)).toEqual({ undone: true, pending: 0 });
    expect(uidsOf(service, 'INBOX')).toEqual(before);
    expect(service.listPage('Archive').total).toBe(0);
    expect(service.listPage('Trash').total).toBe(0);

    // Past the window and another sync: no MOVE, STORE or EXPUNGE was ever sent.
    await new Promise((r) => setTimeout(r, 2_000));
    await service.syncNow();
    expect(sent(/^(UID )?(MOVE|STORE|EXPUNGE)/)).toEqual([]);
    expect((await serverState(other, 'INBOX')).map((m) => m.subject)).toEqual(SUBJECTS);
    expect(await serverState(other, 'Archive')).toEqual([]);
    expect(await serverState(other, 'Trash')).toEqual([]);
    expect(uidsOf(service, 'INBOX')).toEqual(before);
    // Undo twice is refused quietly.
    expect(service.undo(moved.undo!).undone).toBe(false);
  });

  test('offline: a move taken back before the connection returns never reaches the server', async () => {
    service = await startService(60_000);
    await server.stop();
    killSessionsOn(server.imapsPort);
    await until('offline', () => service!.connectionState.state === 'offline');
    const moved = service.move(idsOf(service, 'INBOX', ['Haushaltsrede']), 'Archive');
    const flagged = service.setFlags(idsOf(service, 'INBOX', ['Sitzungsgeld']), { flagged: true });
    expect(flagged).toBe(2);
    expect(service.undo(moved.undo!)).toEqual({ undone: true, pending: 1 });
    commands.length = 0;

    await server.start();
    other = await otherDevice(server);
    await until(
      'queue replayed',
      () => service!.actions.pending() === 0 && service!.connectionState.state === 'online',
    );
    await service.settled();
    expect(sent(/^UID MOVE/)).toEqual([]);
    expect(sent(/^UID STORE/)).toHaveLength(1);
    expect((await serverState(other, 'INBOX')).map((m) => m.subject)).toEqual(SUBJECTS);
    expect(await serverState(other, 'Archive')).toEqual([]);
  });

  test('deleting for good from Trash offers no undo', async () => {
    service = await startService(1_000);
    service.delete(idsOf(service, 'INBOX', ['Werbung']));
    await until('in Trash on the server', () => service!.actions.pending() === 0);
    await service.settled();
    const again = service.delete(idsOf(service, 'Trash', ['Werbung']));
    expect(again.undo).toBeUndefined();
    await until('expunged', () => service!.actions.pending() === 0);
    await service.settled();
    expect(await serverState(other, 'Trash')).toEqual([]);
  });
});
