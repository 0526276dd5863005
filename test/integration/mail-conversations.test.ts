import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import { MailSyncRepository } from '../../electron/services/mail/mail-sync-repository';
import { MailSyncService } from '../../electron/services/mail/mail-sync-service';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { type ConversationMail, conversationMail } from '../support/conversation-mail';
import { until } from '../support/wait-until';
import { accountOf, commandLogger, emptyFolder, openTestVault, otherDevice, serverState } from './mail-sync-fixture';

/** A conversation message at 08:mm on 2 November 2026. */
function raw(o: Omit<ConversationMail, 'date'> & { minute: number }): string {
  return conversationMail({ ...o, date: new Date(Date.UTC(2026, 10, 2, 8, o.minute)) });
}

describe('conversations: the thread key at sync and for stored mail, grouped pages, actions on all their messages (real Dovecot)', () => {
  let server: DovecotServer;
  let vault: Vault;
  let cleanupVault: () => Promise<void>;
  let service: MailSyncService | undefined;
  let other: ImapFlow;
  const commands: string[] = [];

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  beforeEach(async () => {
    ({ vault, cleanup: cleanupVault } = await openTestVault());
    other = await otherDevice(server);
    // Archive first: a folder the other client still has selected would be read without a fresh SELECT.
    for (const p of ['Archive', 'INBOX']) await emptyFolder(other, p);
    commands.length = 0;
  });

  afterEach(async () => {
    await service?.dispose();
    service = undefined;
    await other.logout().catch(() => other.close());
    await cleanupVault();
  });

  async function startService(undoWindowMs: number, count: number): Promise<MailSyncService> {
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
    await until('initial sync', () => s.queries.count('INBOX') === count);
    await s.settled();
    return s;
  }

  test('References root, In-Reply-To only and a missing parent group at sync; pages, counts and orders are per conversation; one UID MOVE moves them all', async () => {
    // "Haushalt": a root, a reply with References, a reply to the reply naming only its parent (In-Reply-To).
    // "Radweg": the root is not in the mailbox (deleted long ago); two replies still meet at it.
    // "Einzeln": a message alone. "Kita": a root and one reply, the reply newest of all.
    const mails = [
      raw({ id: 'h1', subject: 'Haushalt 2027', from: 'Kämmerei <kaemmerei@stadt.example>', minute: 1 }),
      raw({
        id: 'h2',
        subject: 'Re: Haushalt 2027',
        from: 'Anna Schmidt <anna@rat.example>',
        minute: 5,
        inReplyTo: 'h1',
        references: ['h1'],
      }),
      raw({ id: 'r2', subject: 'Re: Radweg', from: 'Bauamt <bau@stadt.example>', minute: 2, references: ['r1'] }),
      raw({ id: 'e1', subject: 'Einzeln', from: 'Zentrale <info@stadt.example>', minute: 3 }),
      raw({
        id: 'r3',
        subject: 'Re: Re: Radweg',
        from: 'Bürgerbüro <buerger@stadt.example>',
        minute: 4,
        inReplyTo: 'r2',
        references: ['r1', 'r2'],
      }),
      raw({ id: 'k1', subject: 'Kita-Plätze', from: 'Jugendamt <jugend@stadt.example>', minute: 6 }),
      raw({
        id: 'h3',
        subject: 'Re: Re: Haushalt 2027',
        from: 'Ben Ott <ben@rat.example>',
        minute: 7,
        inReplyTo: 'h2',
      }),
      raw({
        id: 'k2',
        subject: 'Re: Kita-Plätze',
        from: 'Anna Schmidt <anna@rat.example>',
        minute: 9,
        inReplyTo: 'k1',
        references: ['k1'],
      }),
    ];
    for (const m of mails) await other.append('INBOX', m, m.includes('<k1@') && !m.includes('Re:') ? [] : ['\\Seen']);
    service = await startService(60_000, mails.length);

    // Newest conversation first: Kita (minute 9), Haushalt (7), Radweg (4), Einzeln (3).
    const page = service.listPage('INBOX', 0, 100, 'date', true);
    expect(page.total).toBe(4);
    const rows = page.items.map((m) => [m.subject, m.conversation?.count, m.conversation?.unread, m.seen]);
    expect(rows).toEqual([
      ['Re: Kita-Plätze', 2, 1, false],
      ['Re: Re: Haushalt 2027', 3, 0, true],
      ['Re: Re: Radweg', 2, 0, true],
      ['Einzeln', 1, 0, true],
    ]);
    // A row's ids are every message of its conversation in the folder, oldest first.
    const haushalt = page.items[1]!;
    expect(haushalt.conversation!.ids.map((id) => service!.getMessage(id).subject)).toEqual([
      'Haushalt 2027',
      'Re: Haushalt 2027',
      'Re: Re: Haushalt 2027',
    ]);
    // Paged: positions are conversations, one per row, as the list asks for them.
    expect(service.listPage('INBOX', 1, 2, 'date', true).items.map((m) => m.subject)).toEqual([
      'Re: Re: Haushalt 2027',
      'Re: Re: Radweg',
    ]);
    expect(service.listPage('INBOX', 3, 2, 'date', true)).toMatchObject({ total: 4, offset: 3 });
    // By sender: each conversation by its newest message's sender.
    expect(service.listPage('INBOX', 0, 100, 'sender', true).items.map((m) => m.from.name)).toEqual([
      'Anna Schmidt',
      'Ben Ott',
      'Bürgerbüro',
      'Zentrale',
    ]);
    // The message view is unchanged: eight rows, none a conversation.
    const plain = service.listPage('INBOX');
    expect(plain.total).toBe(8);
    expect(plain.items.every((m) => m.conversation === undefined)).toBe(true);

    // Moving two conversation rows moves all their messages: one UID MOVE over the whole UID set.
    const radweg = page.items[2]!;
    const ids = [...haushalt.conversation!.ids, ...radweg.conversation!.ids];
    const uids = ids.map((id) => service!.getMessage(id).uid);
    commands.length = 0;
    const moved = service.move(ids, 'Archive');
    expect(service.listPage('INBOX', 0, 100, 'date', true).items.map((m) => m.subject)).toEqual([
      'Re: Kita-Plätze',
      'Einzeln',
    ]);
    expect(service.listPage('Archive', 0, 100, 'date', true).items.map((m) => m.conversation?.count)).toEqual([3, 2]);
    // Undo within the window: all five come back as two conversations, the server hears nothing.
    expect(service.undo(moved.undo!)).toEqual({ undone: true, pending: 0 });
    expect(service.listPage('INBOX', 0, 100, 'date', true).items.map((m) => m.conversation?.count)).toEqual([
      2, 3, 2, 1,
    ]);
    // Again, and this time it goes to the server.
    await service.dispose();
    service = await startService(300, mails.length);
    commands.length = 0;
    service.move(ids, 'Archive');
    await until('moved on the server', () => service!.actions.pending() === 0);
    await service.settled();
    expect(commands.filter((c) => /^UID MOVE/.test(c))).toEqual([`UID MOVE ${uids.join(',')} Archive`]);
    // Read by another client, which may see the move a moment later.
    const archived = await until('all five in Archive on the server', async () => {
      const state = await serverState(other, 'Archive');
      return state.length === 5 ? state : undefined;
    });
    expect(archived.map((m) => m.subject).sort()).toEqual([
      'Haushalt 2027',
      'Re: Haushalt 2027',
      'Re: Radweg',
      'Re: Re: Haushalt 2027',
      'Re: Re: Radweg',
    ]);
  });

  test('mail stored before mail-008 gets its thread key from the stored References, In-Reply-To and Message-ID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-threads-'));
    const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    const file = join(dir, 'vault.db');
    try {
      const before = await openVault({
        file,
        keychain,
        migrations: mailMigrations.filter((m) => m.id !== 'mail-008-threads'),
      });
      before.transaction((db) => {
        db.prepare(`INSERT INTO mail_folders (path, name, special_use) VALUES ('INBOX', 'INBOX', 'inbox')`).run();
        const insert = db.prepare(
          `INSERT INTO mail_messages (id, folder, uid, message_id, in_reply_to, refs, subject, date)
           VALUES (?, 'INBOX', ?, ?, ?, ?, ?, ?)`,
        );
        const at = (minute: number) => Date.UTC(2026, 10, 2, 8, minute);
        insert.run(1, 1, '<a1@x>', null, null, 'Antrag', at(1));
        insert.run(2, 2, '<a2@x>', '<a1@x>', '<a1@x>', 'Re: Antrag', at(2));
        // Only In-Reply-To: joins its parent's conversation.
        insert.run(3, 3, '<a3@x>', '<a2@x>', null, 'Re: Re: Antrag', at(3));
        // The root is missing: grouped by the References' first id all the same.
        insert.run(4, 4, '<b2@x>', '<b1@x>', '<b1@x>', 'Re: Bericht', at(4));
        insert.run(5, 5, '<b3@x>', '<b2@x>', '<b1@x> <b2@x>', 'Re: Re: Bericht', at(5));
        // No ids at all, and an empty References column: each alone.
        insert.run(6, 6, null, null, null, 'Ohne Kennung', at(6));
        insert.run(7, 7, null, null, null, 'Auch ohne', at(7));
        insert.run(8, 8, '<c1@x>', null, '', 'Leere Referenzen', at(8));
      });
      before.close();

      const after = await openVault({ file, keychain, migrations: mailMigrations });
      try {
        const keys = after.guard((db) =>
          db
            .prepare<[], { id: number; thread_key: string | null }>(
              'SELECT id, thread_key FROM mail_messages ORDER BY id',
            )
            .all(),
        );
        expect(keys.map((k) => k.thread_key)).toEqual([
          '<a1@x>',
          '<a1@x>',
          '<a1@x>',
          '<b1@x>',
          '<b1@x>',
          null,
          null,
          '<c1@x>',
        ]);
        const q = new MailQueryRepository(after);
        const page = q.conversationPage('INBOX');
        expect(page.total).toBe(5);
        expect(page.items.map((m) => [m.subject, m.conversation!.count, m.conversation!.ids])).toEqual([
          ['Leere Referenzen', 1, [8]],
          ['Auch ohne', 1, [7]],
          ['Ohne Kennung', 1, [6]],
          ['Re: Re: Bericht', 2, [4, 5]],
          ['Re: Re: Antrag', 3, [1, 2, 3]],
        ]);
        // Mail the sync stores afterwards joins the conversations stored before (In-Reply-To only: its
        // parent's), and a reply that came before its parent joins the parent's conversation once it arrives.
        const sync = new MailSyncRepository(after);
        const arriving = (uid: number, messageId: string, inReplyTo: string | null, references: string[]) => ({
          folder: 'INBOX',
          uid,
          messageId,
          inReplyTo,
          references,
          subject: `Nachricht ${uid}`,
          from: { name: '', address: 'info@stadt.example' },
          to: [],
          cc: [],
          date: Date.UTC(2026, 10, 2, 9, uid),
          size: 10,
          flags: [],
          hasAttachments: false,
          bodyText: null,
          source: null,
        });
        sync.insertMessages([arriving(9, '<a4@x>', '<a3@x>', [])]);
        sync.insertMessages([arriving(10, '<d3@x>', '<d2@x>', [])]);
        expect(q.conversationPage('INBOX').total).toBe(6);
        sync.insertMessages([arriving(11, '<d2@x>', '<d1@x>', ['<d1@x>'])]);
        const counts = q.conversationPage('INBOX').items.map((m) => [m.subject, m.conversation!.count]);
        expect(counts.slice(0, 2)).toEqual([
          ['Nachricht 11', 2],
          ['Nachricht 9', 4],
        ]);
        expect(q.conversationPage('INBOX').total).toBe(6);
      } finally {
        after.close();
      }
    } finally {
      await keychain.delete('vault-key').catch(() => false);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
