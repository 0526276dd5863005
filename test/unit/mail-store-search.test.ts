import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import { buildMatchExpression, foldGerman, MailSearch } from '../../electron/services/mail/mail-search';
import { MailActionRepository } from '../../electron/services/mail/mail-action-repository';
import { MailBackfillRepository } from '../../electron/services/mail/mail-backfill-repository';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import {
  FIRST_MESSAGE_ID,
  MailSyncRepository,
  type NewMessage,
} from '../../electron/services/mail/mail-sync-repository';
import { applyMigrations } from '../../electron/services/vault/migration-runner';
import { openVaultConnection, Vault } from '../../electron/services/vault/vault';
import { openKeyedVault, testVaultKey } from '../support/keyed-vault';

function message(uid: number, over: Partial<NewMessage> = {}): NewMessage {
  return {
    folder: 'INBOX',
    uid,
    messageId: `<m${uid}@stadt.example>`,
    inReplyTo: null,
    references: [],
    subject: `Nachricht ${uid}`,
    from: { name: 'Stadtverwaltung', address: 'info@stadt.example' },
    to: [{ name: 'Anna Schmidt', address: 'anna@rat.example' }],
    cc: [],
    date: Date.UTC(2026, 2, 1) + uid * 60_000,
    size: 100,
    flags: [],
    hasAttachments: false,
    bodyText: 'Guten Tag',
    source: Buffer.from(`Subject: Nachricht ${uid}\r\n\r\nGuten Tag`),
    ...over,
  };
}

describe('the mail repositories and MailSearch in an encrypted SQLCipher database', () => {
  let dir: string;
  let db: Database.Database;
  let syncRepo: MailSyncRepository;
  let queryRepo: MailQueryRepository;
  let actionRepo: MailActionRepository;
  let search: MailSearch;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailstore-'));
    let vault: Vault;
    ({ vault, db } = openKeyedVault(join(dir, 'vault.db')));
    syncRepo = new MailSyncRepository(vault);
    queryRepo = new MailQueryRepository(vault);
    actionRepo = new MailActionRepository(vault);
    search = new MailSearch(vault);
    syncRepo.setFolders([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' },
      { path: 'Archive', name: 'Archive', delimiter: '/', role: 'archive' },
    ]);
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('German words: prefix, umlauts folded both ways, ß = ss', () => {
    syncRepo.insertMessages([
      message(1, { subject: 'Beschlussvorschlag zur Haushaltssatzung' }),
      message(2, { subject: 'Bürgerbeteiligung Innenstadt', bodyText: 'Die Straße wird gesperrt.' }),
      message(3, { subject: 'Einladung Ausschuss', from: { name: 'Jörg Müller', address: 'mueller@stadt.example' } }),
      message(4, { subject: 'Sonstiges', bodyText: 'Grüße aus dem Rathaus' }),
    ]);
    const subjects = (q: string) =>
      search
        .search({ query: q })
        .map((m) => m.subject)
        .sort();
    expect(subjects('Beschluss')).toEqual(['Beschlussvorschlag zur Haushaltssatzung']);
    expect(subjects('Burger')).toEqual(['Bürgerbeteiligung Innenstadt']);
    expect(subjects('Bürger')).toEqual(['Bürgerbeteiligung Innenstadt']);
    expect(subjects('Strasse')).toEqual(['Bürgerbeteiligung Innenstadt']);
    expect(subjects('straße gesperrt')).toEqual(['Bürgerbeteiligung Innenstadt']);
    expect(subjects('Muller')).toEqual(['Einladung Ausschuss']);
    expect(subjects('GRUSSE')).toEqual(['Sonstiges']);
    expect(subjects('anna')).toHaveLength(4);
    expect(subjects('Rathaus Beschluss')).toEqual([]);
  });

  test('user input cannot inject FTS5 syntax', () => {
    syncRepo.insertMessages([message(1, { subject: 'Haushalt "2026" OR NEAR' })]);
    expect(buildMatchExpression('a" OR b*')).toBe('"a"* AND "OR"* AND "b"*');
    expect(() => search.search({ query: '"unbalanced (' })).not.toThrow();
    expect(search.search({ query: 'subject:Haushalt' })).toHaveLength(0);
    expect(search.search({ query: 'Haushalt 2026' })).toHaveLength(1);
    expect(search.search({ query: '  ' })).toHaveLength(1);
  });

  test('filters: folder, unread, date range, has attachment', () => {
    syncRepo.insertMessages([
      message(1, { subject: 'Vorlage A', flags: ['\\Seen'], hasAttachments: true, date: Date.UTC(2026, 0, 10) }),
      message(2, { subject: 'Vorlage B', date: Date.UTC(2026, 1, 10) }),
      message(3, { subject: 'Vorlage C', folder: 'Archive', date: Date.UTC(2026, 2, 10) }),
    ]);
    const s = (input: Parameters<MailSearch['search']>[0]) =>
      search
        .search(input)
        .map((m) => m.subject)
        .sort();
    expect(s({ query: 'Vorlage', folder: 'Archive' })).toEqual(['Vorlage C']);
    expect(s({ query: 'Vorlage', unread: true })).toEqual(['Vorlage B', 'Vorlage C']);
    expect(s({ query: 'Vorlage', unread: false })).toEqual(['Vorlage A']);
    expect(s({ query: 'Vorlage', hasAttachment: true })).toEqual(['Vorlage A']);
    expect(s({ query: 'Vorlage', since: '2026-02-01T00:00:00Z', until: '2026-02-28T00:00:00Z' })).toEqual([
      'Vorlage B',
    ]);
    expect(s({ folder: 'INBOX', unread: true })).toEqual(['Vorlage B']);
  });

  test('same (folder, uid) is never stored twice; removal clears index and source', () => {
    const first = syncRepo.insertMessages([message(1), message(2)]);
    expect(first).toHaveLength(2);
    expect(syncRepo.insertMessages([message(2), message(3)])).toHaveLength(1);
    expect(queryRepo.count('INBOX')).toBe(3);
    syncRepo.removeUids('INBOX', [2]);
    expect(syncRepo.uids('INBOX')).toEqual([1, 3]);
    expect(search.search({ query: 'Nachricht 2' }).map((m) => m.uid)).toEqual([]);
    expect(queryRepo.getSource(first[1]!)).toBeNull();
    expect(queryRepo.getSource(first[0]!)?.toString()).toContain('Nachricht 1');
  });

  test('row order is arrival order: an empty vault starts high, a first login’s older chunks go below every row, new mail above', () => {
    const newest = syncRepo.insertMessages([message(90), message(91)], { older: true });
    // Nothing stored in the folder yet: its newest chunk is numbered as new mail is, from FIRST_MESSAGE_ID.
    expect(newest).toEqual([FIRST_MESSAGE_ID, FIRST_MESSAGE_ID + 1]);
    const archive = syncRepo.insertMessages([message(7, { folder: 'Archive' })], { older: true });
    expect(archive).toEqual([FIRST_MESSAGE_ID + 2]);
    // Fetched as the server answers (any order), numbered by UID, below the lowest row of the vault.
    const older = syncRepo.insertMessages([message(12), message(10), message(11), message(91)], { older: true });
    expect(older).toEqual([FIRST_MESSAGE_ID - 4, FIRST_MESSAGE_ID - 3, FIRST_MESSAGE_ID - 2]);
    const oldest = syncRepo.insertMessages([message(1), message(2)], { older: true });
    expect(oldest).toEqual([FIRST_MESSAGE_ID - 6, FIRST_MESSAGE_ID - 5]);
    expect(syncRepo.insertMessages([message(92)])).toEqual([FIRST_MESSAGE_ID + 3]);
    // So search's walk, newest row first, meets the newest messages first.
    expect(search.search({ query: 'Nachricht', folder: 'INBOX', limit: 3 }).map((m) => m.uid)).toEqual([92, 91, 90]);
    expect(search.search({ query: 'Nachricht', limit: 2 }).map((m) => m.uid)).toEqual([92, 7]);
  });

  test('a vault numbered from 1 (before FIRST_MESSAGE_ID) keeps numbering older chunks upward: no room below', () => {
    syncRepo.insertMessages([message(50)]);
    const first = db.prepare('SELECT id FROM mail_messages').pluck().get() as number;
    db.prepare('UPDATE mail_messages SET id = 1 WHERE id = ?').run(first);
    expect(syncRepo.insertMessages([message(10), message(11)], { older: true })).toEqual([2, 3]);
    expect(queryRepo.count('INBOX')).toBe(3);
  });

  test('folder counts, list pages newest first, flags, clearing one folder leaves the others', () => {
    syncRepo.insertMessages([
      message(1),
      message(2, { flags: ['\\Seen'] }),
      message(3),
      message(9, { folder: 'Archive' }),
    ]);
    expect(queryRepo.folders()).toEqual([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox', total: 3, unread: 2 },
      { path: 'Archive', name: 'Archive', delimiter: '/', role: 'archive', total: 1, unread: 1 },
    ]);
    const page = queryRepo.listPage('INBOX', 1, 1);
    expect(page.total).toBe(3);
    expect(page.items.map((m) => m.uid)).toEqual([2]);
    syncRepo.applyFlagChanges('INBOX', [{ uid: 1, flags: ['\\Seen', '\\Flagged'] }]);
    const m1 = queryRepo.listPage('INBOX', 0, 10).items.find((m) => m.uid === 1);
    expect(m1).toMatchObject({ seen: true, flagged: true });
    syncRepo.clearFolder('INBOX');
    expect(queryRepo.count('INBOX')).toBe(0);
    expect(queryRepo.count('Archive')).toBe(1);
    expect(search.search({ query: 'Nachricht' }).map((m) => m.folder)).toEqual(['Archive']);
  });

  test('list pages sorted by sender or subject (then newest first), each paging along its own index', () => {
    syncRepo.insertMessages([
      message(1, { subject: 'Zuschuss Kita', from: { name: 'Bauamt', address: 'bau@stadt.example' } }),
      message(2, { subject: 'anfrage Radweg', from: { name: '', address: 'zora@stadt.example' } }),
      message(3, { subject: 'Beschluss', from: { name: 'amt für Kultur', address: 'kultur@stadt.example' } }),
      message(4, { subject: 'Anfrage Radweg', from: { name: 'Bauamt', address: 'bau@stadt.example' } }),
    ]);
    const order = (sort: 'date' | 'sender' | 'subject', offset = 0, limit = 10) =>
      queryRepo.listPage('INBOX', offset, limit, sort).items.map((m) => m.uid);
    expect(order('date')).toEqual([4, 3, 2, 1]);
    // Sender: the name, else the address, regardless of case; the same sender newest first.
    expect(order('sender')).toEqual([3, 4, 1, 2]);
    expect(order('subject')).toEqual([4, 2, 3, 1]);
    expect(order('subject', 1, 2)).toEqual([2, 3]);
    const plan = (sort: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN SELECT id FROM mail_messages m WHERE folder = 'INBOX' ORDER BY ${sort} LIMIT 10`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' ');
    expect(
      plan(
        "(CASE WHEN m.from_name <> '' THEN m.from_name ELSE m.from_address END) COLLATE NOCASE, m.date DESC, m.id DESC",
      ),
    ).toContain('mail_messages_list_sender');
    expect(plan('m.subject COLLATE NOCASE, m.date DESC, m.id DESC')).toContain('mail_messages_list_subject');
  });

  test('folder totals of list pages follow inserts, duplicates, removals, moves and a cleared folder', () => {
    const total = (folder: string) => queryRepo.listPage(folder, 0, 1).total;
    const ids = syncRepo.insertMessages([message(1), message(2), message(3), message(4, { folder: 'Archive' })]);
    syncRepo.insertMessages([message(2), message(3)]); // already stored: skipped
    expect([total('INBOX'), total('Archive')]).toEqual([3, 1]);
    actionRepo.moveLocal([ids[0]!], 'Archive');
    expect([total('INBOX'), total('Archive')]).toEqual([2, 2]);
    actionRepo.settleMoved(ids[0]!, 'Archive', null, 0);
    syncRepo.removeUids('INBOX', [2]);
    actionRepo.deleteLocal([ids[3]!]);
    expect([total('INBOX'), total('Archive')]).toEqual([1, 0]);
    // A folder row made after its messages were stored counts them.
    syncRepo.insertMessages([message(7, { folder: 'Projekte' }), message(8, { folder: 'Projekte' })]);
    syncRepo.setFolders([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' },
      { path: 'Archive', name: 'Archive', delimiter: '/', role: 'archive' },
      { path: 'Projekte', name: 'Projekte', delimiter: '/', role: null },
    ]);
    expect(queryRepo.folders().map((f) => [f.path, f.total])).toEqual([
      ['INBOX', 1],
      ['Archive', 0],
      ['Projekte', 2],
    ]);
    syncRepo.clearFolder('Projekte');
    expect(total('Projekte')).toBe(0);
    expect(total('INBOX')).toBe(queryRepo.count('INBOX'));
  });

  test('list pages anywhere in a folder: newest first, the same rows as a plain OFFSET query', () => {
    syncRepo.insertMessages(
      Array.from({ length: 250 }, (_, i) => message(i + 1, { date: Date.UTC(2026, 0, 1) + (i % 50) * 60_000 })),
    );
    const expected = db
      .prepare('SELECT uid FROM mail_messages WHERE folder = ? ORDER BY date DESC, id DESC')
      .pluck()
      .all('INBOX') as number[];
    for (const offset of [0, 1, 99, 200, 240, 250]) {
      const page = queryRepo.listPage('INBOX', offset, 20);
      expect(page.total).toBe(250);
      expect(page.items.map((m) => m.uid)).toEqual(expected.slice(offset, offset + 20));
    }
  });

  test('threads by References and In-Reply-To, across folders', () => {
    const [a] = syncRepo.insertMessages([message(1, { messageId: '<a@x>', subject: 'Antrag' })]);
    syncRepo.insertMessages([
      message(2, { messageId: '<b@x>', inReplyTo: '<a@x>', references: ['<a@x>'], subject: 'AW: Antrag' }),
      message(3, {
        messageId: '<c@x>',
        inReplyTo: '<b@x>',
        references: ['<a@x>', '<b@x>'],
        subject: 'AW: AW: Antrag',
        folder: 'Archive',
      }),
      message(4, { messageId: '<z@x>', subject: 'Anderes' }),
    ]);
    const last = queryRepo.listPage('Archive').items[0]!;
    expect(queryRepo.thread(last.id).map((m) => m.subject)).toEqual(['Antrag', 'AW: Antrag', 'AW: AW: Antrag']);
    expect(queryRepo.thread(a!).map((m) => m.subject)).toEqual(['Antrag', 'AW: Antrag', 'AW: AW: Antrag']);
  });

  test('folders gone from the server are dropped with their messages', () => {
    syncRepo.insertMessages([message(1, { folder: 'Archive' })]);
    syncRepo.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
    expect(queryRepo.folders().map((f) => f.path)).toEqual(['INBOX']);
    expect(queryRepo.count()).toBe(0);
  });

  test('a prefix with many index terms, a word without any, and the newest rows rejected by a filter', () => {
    syncRepo.insertMessages(
      Array.from({ length: 60 }, (_, i) =>
        message(i + 1, { subject: `Vorgang Haushalt${i} Nummer ${2000 + i}`, flags: i < 10 ? [] : ['\\Seen'] }),
      ),
    );
    // "haushalt" starts 60 different index terms: more than are expanded one by one.
    expect(search.search({ query: 'Haushalt', limit: 500 })).toHaveLength(60);
    expect(search.search({ query: 'haushalt4' })).toHaveLength(11);
    expect(search.search({ query: 'haushalt42' }).map((m) => m.uid)).toEqual([43]);
    expect(search.search({ query: 'Nummer 20', limit: 500 })).toHaveLength(60);
    expect(search.search({ query: 'Vorgang Unbekannt' })).toEqual([]);
    // The 50 newest are read; only the 10 oldest are unread.
    expect(search.search({ query: 'Vorgang', unread: true }).map((m) => m.uid)).toEqual([
      10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    expect(search.search({ query: 'Vorgang', unread: true, limit: 3 }).map((m) => m.uid)).toEqual([10, 9, 8]);
    expect(search.search({ query: 'Vorgang', folder: 'Archive' })).toEqual([]);
  });
});

describe('mail-002 to mail-009 on a vault with mail stored before them', () => {
  test('add the filter index, folder totals and the download marks; every stored message stays listed and searchable, German folding included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailmigrate-'));
    const file = join(dir, 'vault.db');
    const key = testVaultKey();
    const open = () => openVaultConnection(file, key, true);
    try {
      const before = open();
      expect(applyMigrations(new Vault(file, before), mailMigrations.slice(0, 1))).toEqual(['mail-001-messages']);
      // What the sync stored before these migrations (the insert of mail-001's sync repository).
      before.exec(
        `INSERT INTO mail_folders (path, name, special_use) VALUES ('INBOX', 'INBOX', 'inbox'), ('Archive', 'Archive', 'archive')`,
      );
      const legacy = (id: number, folder: string, subject: string, body: string, seen: number, att: number) => {
        before
          .prepare(
            `INSERT INTO mail_messages (id, folder, uid, subject, from_name, from_address, date, seen, has_attachments, has_body)
             VALUES (?, ?, ?, ?, 'Stadtverwaltung', 'info@stadt.example', ?, ?, ?, 1)`,
          )
          .run(id, folder, id, subject, Date.UTC(2026, 2, 1) + id * 60_000, seen, att);
        before
          .prepare('INSERT INTO mail_sources (message, raw) VALUES (?, ?)')
          .run(id, Buffer.from(`Subject: ${subject}\r\n\r\n${body}`));
        before
          .prepare('INSERT INTO mail_fts (rowid, subject, sender, recipients, body) VALUES (?, ?, ?, ?, ?)')
          .run(
            id,
            foldGerman(subject),
            'Stadtverwaltung info@stadt.example',
            'Anna Schmidt anna@rat.example',
            foldGerman(body),
          );
      };
      legacy(1, 'INBOX', 'Beschlussvorschlag Haushalt', 'Guten Tag', 0, 1);
      legacy(2, 'INBOX', 'Bürgerbeteiligung', 'Die Straße ist gesperrt. Guten Tag', 1, 0);
      legacy(3, 'Archive', 'Protokoll', 'Guten Tag', 0, 0);
      // Another program forwarded #2: the keyword was kept among the other flags.
      before.prepare(`UPDATE mail_messages SET other_flags = '["$Label1","$forwarded"]' WHERE id = 2`).run();
      before.close();

      const after = open();
      try {
        const vault = new Vault(file, after);
        expect(applyMigrations(vault, mailMigrations)).toEqual([
          'mail-002-search-filters',
          'mail-003-folder-totals',
          'mail-004-backfill',
          'mail-005-list-sort',
          'mail-006-forwarded',
          'mail-007-source-segments',
          'mail-008-threads',
          'mail-009-totals-per-batch',
        ]);
        // mail-006 takes $Forwarded (any case) over into its own column.
        expect(after.prepare('SELECT forwarded FROM mail_messages ORDER BY id').pluck().all()).toEqual([0, 1, 0]);
        const indexes = after
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mail_messages'")
          .pluck()
          .all();
        expect(indexes).toContain('mail_messages_search_filters');
        const s = new MailSearch(vault);
        const subjects = (input: Parameters<MailSearch['search']>[0]) => s.search(input).map((m) => m.subject);
        expect(subjects({ query: 'Beschluss' })).toEqual(['Beschlussvorschlag Haushalt']);
        expect(subjects({ query: 'Burger' })).toEqual(['Bürgerbeteiligung']);
        expect(subjects({ query: 'Strasse' })).toEqual(['Bürgerbeteiligung']);
        expect(subjects({ query: 'Guten', folder: 'Archive' })).toEqual(['Protokoll']);
        expect(subjects({ query: 'Guten', unread: true, folder: 'INBOX' })).toEqual(['Beschlussvorschlag Haushalt']);
        expect(subjects({ query: 'Tag', hasAttachment: true })).toEqual(['Beschlussvorschlag Haushalt']);
        expect(new MailQueryRepository(vault).count()).toBe(3);
        expect(new MailQueryRepository(vault).folders().map((f) => [f.path, f.total])).toEqual([
          ['INBOX', 2],
          ['Archive', 1],
        ]);
        // A vault from before the first-login download holds every header and body: nothing is left to fetch.
        const backfill = new MailBackfillRepository(vault);
        expect(backfill.progress('INBOX', null)).toEqual({
          folder: 'INBOX',
          listed: 2,
          total: 2,
          offline: 2,
          wanted: 2,
          headersDone: true,
        });
        expect(new MailSyncRepository(vault).headersBelow('Archive')).toBeNull();
        expect(backfill.pendingBodies('INBOX', null, 100, 1_000_000)).toEqual([]);
        // New mail after the migration is found the same way, and counted by the insert itself (mail-009
        // dropped the per-row trigger): a duplicate is not counted twice.
        new MailSyncRepository(vault).insertMessages([message(4, { subject: 'Beschlussvorlage' })]);
        new MailSyncRepository(vault).insertMessages([message(4), message(6, { folder: 'Archive' })]);
        expect(subjects({ query: 'Beschluss' })).toEqual(['Beschlussvorlage', 'Beschlussvorschlag Haushalt']);
        expect(new MailQueryRepository(vault).folders().map((f) => [f.path, f.total])).toEqual([
          ['INBOX', 3],
          ['Archive', 2],
        ]);
        expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all()).not.toContain(
          'mail_messages_total_insert',
        );
        // mail-007: sources stored before stay readable from their table; new ones go to the segment files;
        // an expunge removes a stored-before source too.
        const queries = new MailQueryRepository(vault);
        expect(queries.getSource(2)?.toString()).toContain('Die Straße ist gesperrt');
        const sync = new MailSyncRepository(vault);
        const [fresh] = sync.insertMessages([
          message(5, { subject: 'Neu', source: Buffer.from('Subject: Neu\r\n\r\nNach der Migration') }),
        ]);
        expect(queries.getSource(fresh!)?.toString()).toContain('Nach der Migration');
        expect(after.prepare('SELECT count(*) FROM mail_sources').pluck().get()).toBe(3);
        sync.removeUids('INBOX', [2]);
        expect(after.prepare('SELECT message FROM mail_sources ORDER BY message').pluck().all()).toEqual([1, 3]);
      } finally {
        after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
