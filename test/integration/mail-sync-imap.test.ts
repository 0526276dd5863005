import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connectSyncClient, createSyncClient, ImapSync } from '../../electron/services/mail/imap-sync';
import { MailSearch } from '../../electron/services/mail/mail-search';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import type { Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { accountOf, germanMessage, openTestVault, otherDevice } from './mail-sync-fixture';
import { syncToEnd } from '../../electron/services/mail/mail-backfill';

describe('ImapSync against a real Dovecot (CONDSTORE/QRESYNC) into the encrypted vault', () => {
  let server: DovecotServer;
  let vault: Vault;
  let cleanupVault: () => Promise<void>;
  let client: ImapFlow;
  let syncRepo: MailSyncRepository;
  let queryRepo: MailQueryRepository;
  let search: MailSearch;
  let other: ImapFlow | undefined;
  const commands: string[] = [];

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  beforeEach(async () => {
    // a fresh mailbox user directory per test: wipe and reseed
    ({ vault, cleanup: cleanupVault } = await openTestVault());
    syncRepo = new MailSyncRepository(vault);
    queryRepo = new MailQueryRepository(vault);
    search = new MailSearch(vault);
    const { settings, trust, password } = accountOf(server);
    commands.length = 0;
    const logger = {
      debug: (o: { src?: string; msg?: string }) => {
        if (o.src === 'c' && o.msg) commands.push(o.msg);
      },
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    client = createSyncClient(settings, password, trust, { logger });
    await connectSyncClient(client);
  });

  afterEach(async () => {
    await client.logout().catch(() => client.close());
    if (other) await other.logout().catch(() => undefined);
    other = undefined;
    await cleanupVault();
  });

  test('initial sync stores all folders with roles, headers, bodies and a German full-text index; an unchanged re-sync selects nothing', async () => {
    await otherDevice(server).then(async (c) => {
      for (const p of ['INBOX', 'Archive']) {
        const lock = await c.getMailboxLock(p);
        try {
          await c.messageDelete('1:*');
        } finally {
          lock.release();
        }
      }
      await c.logout();
    });
    server.seed('anna', [
      germanMessage(1, 'Beschlussvorschlag Haushalt 2026', 'Der Beschlussvorschlag zur Haushaltssatzung liegt bei.'),
      germanMessage(2, 'Bürgerversammlung', 'Die Bürgerversammlung findet in der Stadthalle statt. Grüße'),
      { ...germanMessage(3, 'Gelesen', 'schon gelesen'), seen: true },
    ]);
    server.seed('anna', [germanMessage(4, 'Alte Niederschrift', 'Niederschrift der Sitzung vom Januar')], 'Archive');

    const results = await syncToEnd(client, vault, syncRepo);
    // A first sync is not "new mail": it arrives through the download, newest first.
    expect(results.find((r) => r.folder === 'INBOX')).toMatchObject({ initial: true, newIds: [] });
    expect(queryRepo.count('INBOX')).toBe(3);
    const folders = queryRepo.folders();
    expect(folders.map((f) => [f.path, f.role])).toEqual(
      expect.arrayContaining([
        ['INBOX', 'inbox'],
        ['Sent', 'sent'],
        ['Drafts', 'drafts'],
        ['Trash', 'trash'],
        ['Junk', 'junk'],
        ['Archive', 'archive'],
      ]),
    );
    expect(folders.find((f) => f.path === 'INBOX')).toMatchObject({ total: 3, unread: 2 });
    expect(search.search({ query: 'Beschluss' }).map((m) => m.subject)).toEqual(['Beschlussvorschlag Haushalt 2026']);
    expect(search.search({ query: 'Burger' }).map((m) => m.subject)).toEqual(['Bürgerversammlung']);
    expect(search.search({ query: 'Stadthalle grusse' }).map((m) => m.subject)).toEqual(['Bürgerversammlung']);
    expect(search.search({ query: 'Niederschrift', folder: 'INBOX' })).toEqual([]);
    expect(search.search({ query: 'Niederschrift', folder: 'Archive' })).toHaveLength(1);
    const one = queryRepo.listPage('INBOX').items.find((m) => m.subject === 'Bürgerversammlung')!;
    expect(queryRepo.getSource(one.id)?.toString('utf8')).toContain('Stadthalle');
    expect(one.preview).toContain('Bürgerversammlung findet');

    commands.length = 0;
    const again = await syncToEnd(client, vault, syncRepo);
    expect(again.every((r) => r.unchanged)).toBe(true);
    expect(commands.filter((c) => /SELECT|EXAMINE|FETCH|SEARCH/.test(c))).toEqual([]);
    expect(queryRepo.count()).toBe(4);
  });

  test('incremental: new mail by UID range, flags by CHANGEDSINCE, expunges by QRESYNC VANISHED', async () => {
    other = await otherDevice(server);
    const lock0 = await other.getMailboxLock('INBOX');
    try {
      await other.messageDelete('1:*');
    } finally {
      lock0.release();
    }
    for (let i = 0; i < 5; i++)
      await other.append('INBOX', `Subject: Vorlage ${i}\r\nFrom: a@stadt.example\r\n\r\nText ${i}\r\n`);
    const sync = new ImapSync(client, syncRepo);
    await syncToEnd(client, vault, syncRepo);
    expect(queryRepo.count('INBOX')).toBe(5);
    const uids = syncRepo.uids('INBOX');

    const lock = await other.getMailboxLock('INBOX');
    try {
      await other.messageFlagsAdd(`${uids[0]}`, ['\\Seen', '\\Flagged'], { uid: true });
      await other.messageDelete(`${uids[1]},${uids[2]}`, { uid: true });
    } finally {
      lock.release();
    }
    await other.append('INBOX', 'Subject: Neue Einladung\r\nFrom: b@stadt.example\r\n\r\nEinladung zur Sitzung\r\n');

    commands.length = 0;
    const r = await sync.syncFolder('INBOX');
    expect(r.newIds).toHaveLength(1);
    expect(r.removed).toBe(2);
    expect(r.flagChanges).toBeGreaterThanOrEqual(1);
    expect(commands.some((c) => /CHANGEDSINCE \d+ VANISHED/.test(c))).toBe(true);
    expect(commands.some((c) => /UID SEARCH/.test(c))).toBe(false);
    expect(syncRepo.uids('INBOX')).toEqual([uids[0], uids[3], uids[4], Math.max(...uids) + 1]);
    const first = queryRepo.listPage('INBOX').items.find((m) => m.uid === uids[0])!;
    expect(first).toMatchObject({ seen: true, flagged: true });
    expect(search.search({ query: 'Einladung Sitzung' })).toHaveLength(1);
  });

  test('a changed UIDVALIDITY rebuilds that folder only', async () => {
    other = await otherDevice(server);
    await other.mailboxCreate('Ausschuss').catch(() => undefined);
    await other.append('Ausschuss', 'Subject: Protokoll alt\r\n\r\nalt\r\n');
    const lockI = await other.getMailboxLock('INBOX');
    try {
      await other.messageDelete('1:*');
    } finally {
      lockI.release();
    }
    await other.append('INBOX', 'Subject: Bleibt\r\n\r\nbleibt\r\n');
    await syncToEnd(client, vault, syncRepo);
    const inboxIds = queryRepo.listPage('INBOX').items.map((m) => m.id);
    const before = syncRepo.folderState('Ausschuss').uidValidity;

    // Delete and re-create the mailbox: same name, new UIDVALIDITY, UIDs start again at 1. (Dovecot answers
    // DELETE of a mailbox another session has selected now and then with NO [SERVERBUG].)
    await client.mailboxClose();
    await other.mailboxDelete('Ausschuss');
    await other.mailboxCreate('Ausschuss');
    await other.append('Ausschuss', 'Subject: Protokoll neu A\r\n\r\nneu\r\n');
    await other.append('Ausschuss', 'Subject: Protokoll neu B\r\n\r\nneu\r\n');

    const results = await syncToEnd(client, vault, syncRepo);
    const r = results.find((x) => x.folder === 'Ausschuss')!;
    expect(r.rebuilt).toBe(true);
    expect(syncRepo.folderState('Ausschuss').uidValidity).not.toBe(before);
    expect(
      queryRepo
        .listPage('Ausschuss')
        .items.map((m) => m.subject)
        .sort(),
    ).toEqual(['Protokoll neu A', 'Protokoll neu B']);
    expect(search.search({ query: 'Protokoll alt' })).toEqual([]);
    expect(queryRepo.listPage('INBOX').items.map((m) => m.id)).toEqual(inboxIds);
    // Dovecot answers DELETE of a mailbox another session has selected now and then with NO [SERVERBUG].
    await client.mailboxClose();
    await other.mailboxDelete('Ausschuss');
  });

  test('bodies only for the synced period: older messages keep headers and stay listed', async () => {
    other = await otherDevice(server);
    await other.mailboxCreate('Zeitraum').catch(() => undefined);
    const old = new Date(Date.now() - 100 * 86_400_000);
    await other.append('Zeitraum', 'Subject: Uralt\r\n\r\nalter Text\r\n', [], old);
    await other.append('Zeitraum', 'Subject: Frisch\r\n\r\nneuer Text\r\n', [], new Date());
    await syncToEnd(client, vault, syncRepo, { bodyDays: 30 });
    const items = queryRepo.listPage('Zeitraum').items;
    expect(items.map((m) => m.subject).sort()).toEqual(['Frisch', 'Uralt']);
    const byName = Object.fromEntries(items.map((m) => [m.subject, queryRepo.getMessage(m.id)]));
    expect(byName.Frisch?.hasBody).toBe(true);
    expect(byName.Uralt?.hasBody).toBe(false);
    expect(search.search({ query: 'Uralt' })).toHaveLength(1);
    await other.mailboxDelete('Zeitraum');
  });

  test('after a first login, which fetches the newest chunk first, a search with more hits than its limit lists the newest of them', async () => {
    other = await otherDevice(server);
    await other.mailboxCreate('Haushalt').catch(() => undefined);
    // Dates grow with the UID, as mail arrives: the newest messages are the highest UIDs.
    for (let i = 0; i < 120; i++) {
      const date = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000);
      await other.append(
        'Haushalt',
        `Subject: Haushaltsplan Tag ${i}\r\nDate: ${date.toUTCString()}\r\n\r\nHaushalt\r\n`,
        [],
        date,
      );
    }
    await syncToEnd(client, vault, syncRepo, { firstHeaderChunk: 20, headerChunk: 20 });
    expect(queryRepo.count('Haushalt')).toBe(120);
    const newest = Array.from({ length: 10 }, (_, k) => `Haushaltsplan Tag ${119 - k}`);
    expect(search.search({ query: 'Haushalt', limit: 10 }).map((m) => m.subject)).toEqual(newest);
    expect(search.search({ query: 'Haushaltsplan', folder: 'Haushalt', limit: 10 }).map((m) => m.subject)).toEqual(
      newest,
    );
    await other.mailboxDelete('Haushalt');
  });
});
