import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { NewMail, SyncConnectionState } from '../../electron/contract/mail-sync';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import type { Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { killSessionsOn } from '../servers/dovecot-chaos';
import { leakCheck, type LeakCheck } from '../support/leak-check';
import { accountOf, emptyFolder, openTestVault, otherDevice, serverState } from './mail-sync-fixture';
import { until } from '../support/wait-until';

describe('MailSyncService: offline-first, IDLE push, reconnect with backoff (real Dovecot)', () => {
  let server: DovecotServer;
  let vault: Vault;
  let cleanupVault: () => Promise<void>;
  let service: MailSyncService | undefined;
  let other: ImapFlow;
  const states: SyncConnectionState[] = [];
  let leaks: LeakCheck;

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
    states.length = 0;
    leaks = await leakCheck();
  });

  afterEach(async () => {
    await service?.dispose();
    service = undefined;
    await cleanupVault();
    // The service's connections (sync and IDLE), timers and backoff sleeps are gone after dispose(),
    // and the vault's checkpoint thread ends with the vault.
    await leaks.assertNoneLeft();
    await other.logout().catch(() => other.close());
  });

  function makeService(password?: string): MailSyncService {
    const acc = accountOf(server);
    const s = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => password ?? acc.password,
      backoff: new ReconnectBackoff({ baseMs: 50, capMs: 400 }),
    });
    s.on('connectionState', (st) => states.push(st));
    return s;
  }

  /**
   * `subjects` delivered and synced into the vault; then the server goes away and a new service (an app
   * restart) works from the vault alone, offline with a retry scheduled.
   */
  async function offlineAfterSyncing(subjects: string[]): Promise<MailSyncService> {
    for (const s of subjects)
      await other.append('INBOX', `Subject: ${s}\r\nFrom: a@stadt.example\r\n\r\nText zu ${s}\r\n`);
    // Kept in `service` at each step, so afterEach disposes whichever is running when a step fails.
    const first = (service = makeService());
    first.start();
    await until('initial sync', () => first.queries.count('INBOX') === subjects.length);
    await first.dispose();
    await server.stop();
    killSessionsOn(server.imapsPort);
    const offline = (service = makeService());
    offline.start();
    await until('offline with a retry scheduled', () =>
      states.some((s) => s.state === 'offline' && s.retryInMs !== undefined),
    );
    return offline;
  }

  test('IDLE on the open folder turns a delivered message into a new-mail event and a stored message', async () => {
    await other.append('INBOX', 'Subject: Schon da\r\nFrom: a@stadt.example\r\n\r\nalt\r\n');
    service = makeService();
    const events: NewMail[] = [];
    service.on('newMail', (e) => events.push(e));
    service.start();
    await until('initial sync', () => service!.queries.count('INBOX') === 1);
    await until('IDLE on INBOX', () => service!.idleFolder === 'INBOX');
    expect(events).toEqual([]); // the first sync is not "new mail"

    await other.append(
      'INBOX',
      'Subject: Einladung zur Ratssitzung\r\nFrom: Büro <buero@stadt.example>\r\n\r\nTagesordnung anbei\r\n',
    );
    const e = await until('new-mail event', () => events[0]);
    expect(e).toMatchObject({ folder: 'INBOX', count: 1 });
    expect(e.items[0]).toMatchObject({
      subject: 'Einladung zur Ratssitzung',
      from: { address: 'buero@stadt.example' },
      seen: false,
    });
    expect(service.searchMessages({ query: 'Tagesordnung' })).toHaveLength(1);
  });

  test('mail that arrived before the IDLE connection selected the folder is fetched at once, not at the next poll', async () => {
    service = makeService();
    const events: NewMail[] = [];
    service.on('newMail', (e) => events.push(e));
    service.openFolder('Archive'); // the person looks at another folder: IDLE watches that one
    service.start();
    await until('IDLE on Archive', () => service!.idleFolder === 'Archive');
    await service.settled();
    expect(service.queries.count('INBOX')).toBe(0);

    // Arrives while nobody watches INBOX: no EXISTS notice will ever come for it.
    await other.append('INBOX', 'Subject: Eilt: Fraktionssitzung\r\nFrom: f@stadt.example\r\n\r\nheute 18 Uhr\r\n');
    service.openFolder('INBOX'); // moving IDLE there, without asking for a sync
    const e = await until('new-mail event without a poll', () => events[0]);
    expect(e).toMatchObject({ folder: 'INBOX', count: 1 });
    expect(service.searchMessages({ query: 'Fraktionssitzung' })).toHaveLength(1);
  });

  test('syncNow on the folder the sync connection has selected sees mail that arrived since (no other folder first)', async () => {
    // Without IDLE, so only syncNow can find the new message.
    const acc = accountOf(server);
    service = new MailSyncService({
      vault,
      settings: acc.settings,
      trust: acc.trust,
      password: async () => acc.password,
      idle: false,
    });
    service.start();
    await until('online', () => service!.connectionState.state === 'online');
    await service.settled();
    await service.syncNow('INBOX'); // INBOX is now the selected mailbox of the sync connection
    expect(service.queries.count('INBOX')).toBe(0);

    await other.append('INBOX', 'Subject: Nachgereicht\r\nFrom: a@stadt.example\r\n\r\nAnlage folgt\r\n');
    await service.syncNow('INBOX');
    expect(service.listPage('INBOX').items.map((m) => m.subject)).toEqual(['Nachgereicht']);
    await other.append('INBOX', 'Subject: Zweite Nachricht\r\nFrom: a@stadt.example\r\n\r\nnoch eine\r\n');
    await service.syncNow('INBOX');
    expect(service.queries.count('INBOX')).toBe(2);

    // The full sync (the poll, every 5 minutes) too: Dovecot answers STATUS for the selected mailbox from the
    // selected view, so INBOX would look unchanged while the sync connection has it selected.
    await other.append('INBOX', 'Subject: Dritte Nachricht\r\nFrom: a@stadt.example\r\n\r\nund noch eine\r\n');
    await service.syncNow();
    expect(service.queries.count('INBOX')).toBe(3);
  });

  test('offline: everything readable and searchable, actions queued in the vault and replayed once online', async () => {
    service = await offlineAfterSyncing(['Antrag Radweg', 'Haushaltsrede', 'Werbung', 'Sitzungsgeld']);
    const byName = Object.fromEntries(service.listPage('INBOX').items.map((m) => [m.subject, m.id]));
    expect(service.searchMessages({ query: 'radweg' })).toHaveLength(1);
    expect(service.setFlags([byName['Antrag Radweg']!], { seen: true, flagged: true })).toBe(1);
    expect(service.move([byName.Haushaltsrede!], 'Archive').pending).toBe(2);
    expect(service.delete([byName.Werbung!]).pending).toBe(3); // into Trash
    expect(service.folders().find((f) => f.path === 'INBOX')).toMatchObject({ total: 2, unread: 1 });
    expect(service.listPage('Archive').items.map((m) => m.subject)).toEqual(['Haushaltsrede']);
    expect(service.searchMessages({ query: 'Werbung', folder: 'Trash' })).toHaveLength(1);

    await server.start();
    other = await otherDevice(server);
    await until(
      'queue replayed',
      () => service!.actions.pending() === 0 && service!.connectionState.state === 'online',
    );
    await service.settled();
    await service.syncNow();
    expect(await serverState(other, 'INBOX')).toEqual([
      { subject: 'Antrag Radweg', flags: ['\\Flagged', '\\Seen'] },
      { subject: 'Sitzungsgeld', flags: [] },
    ]);
    expect((await serverState(other, 'Archive')).map((m) => m.subject)).toEqual(['Haushaltsrede']);
    expect((await serverState(other, 'Trash')).map((m) => m.subject)).toEqual(['Werbung']);
    // After the sync the vault matches the server: nothing lost, nothing twice.
    expect(service.listPage('Archive').items.map((m) => m.subject)).toEqual(['Haushaltsrede']);
    expect(service.listPage('Trash').items.map((m) => m.subject)).toEqual(['Werbung']);
    expect(service.listPage('INBOX').total).toBe(2);
    expect(service.listPage('Archive').items[0]!.uid).toBeGreaterThan(0);
  });

  test('offline, a message acted on again before its move reached the server ends where the person left it', async () => {
    await emptyFolder(other, 'Junk');
    service = await offlineAfterSyncing([
      'Zweimal verschoben',
      'Hin und zurück',
      'Verschoben und markiert',
      'Endgültig gelöscht',
    ]);
    const id = Object.fromEntries(service.listPage('INBOX').items.map((m) => [m.subject, m.id]));
    // Each second step acts on a message whose first move has not reached the server (no UID there yet).
    service.move([id['Zweimal verschoben']!], 'Archive');
    service.move([id['Zweimal verschoben']!], 'Junk');
    service.move([id['Hin und zurück']!], 'Archive');
    service.move([id['Hin und zurück']!], 'INBOX');
    service.move([id['Verschoben und markiert']!], 'Archive');
    service.setFlags([id['Verschoben und markiert']!], { seen: true, flagged: true });
    service.delete([id['Endgültig gelöscht']!]); // into Trash
    service.delete([id['Endgültig gelöscht']!]); // from Trash: for good

    await server.start();
    other = await otherDevice(server);
    await until(
      'queue replayed',
      () => service!.actions.pending() === 0 && service!.connectionState.state === 'online',
    );
    await service.settled();
    const onServer = async (folder: string) => (await serverState(other, folder)).map((m) => m.subject);
    expect(await onServer('INBOX')).toEqual(['Hin und zurück']);
    expect(await onServer('Junk')).toEqual(['Zweimal verschoben']);
    expect(await serverState(other, 'Archive')).toEqual([
      { subject: 'Verschoben und markiert', flags: ['\\Flagged', '\\Seen'] },
    ]);
    expect(await onServer('Trash')).toEqual([]);
    // The vault agrees, every row with its real UID, before and after a full sync.
    for (const pass of ['replayed', 'synced']) {
      if (pass === 'synced') await service.syncNow();
      const local = (folder: string) => service!.listPage(folder).items;
      expect(
        local('INBOX').map((m) => m.subject),
        pass,
      ).toEqual(['Hin und zurück']);
      expect(
        local('Junk').map((m) => m.subject),
        pass,
      ).toEqual(['Zweimal verschoben']);
      expect(
        local('Archive').map((m) => [m.subject, m.flagged, m.seen]),
        pass,
      ).toEqual([['Verschoben und markiert', true, true]]);
      expect(local('Trash'), pass).toEqual([]);
      for (const f of ['INBOX', 'Junk', 'Archive']) expect(local(f)[0]!.uid, `${pass} ${f}`).toBeGreaterThan(0);
    }
  });

  test('Dovecot killed and restarted: the service goes offline, reconnects with backoff and resumes the sync', async () => {
    await other.append('INBOX', 'Subject: Vorher\r\n\r\nvorher\r\n');
    await other.logout();
    service = makeService();
    service.start();
    await until('initial sync', () => service!.queries.count('INBOX') === 1);

    // A crash: the master stops and the session processes die with it.
    await server.stop();
    killSessionsOn(server.imapsPort);
    await until('offline', () => service!.connectionState.state === 'offline');
    const offline = states.filter((s) => s.state === 'offline');
    expect(offline.every((s) => s.retryInMs !== undefined && s.retryInMs < 400)).toBe(true);
    server.seed('anna', [{ subject: 'Während der Wartung', body: 'kam an' }]);
    await new Promise((r) => setTimeout(r, 300)); // a few failed attempts against the closed port

    await server.start();
    await until('reconnected and synced', () => service!.queries.count('INBOX') === 2);
    expect(service.connectionState.state).toBe('online');
    expect(
      service
        .listPage('INBOX')
        .items.map((m) => m.subject)
        .sort(),
    ).toEqual(['Vorher', 'Während der Wartung']);
    other = await otherDevice(server);
  });

  test('a refused login stops retrying and reports AUTH_FAILED', async () => {
    service = makeService('falsches-passwort');
    service.start();
    const st = await until('auth-failed', () => states.find((s) => s.state === 'auth-failed'));
    expect(st.error?.code).toBe('AUTH_FAILED');
    const n = states.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(states.length).toBe(n);
  });
});
