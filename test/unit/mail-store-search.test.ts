import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mailMigrations } from '../../electron/services/mail/mail-migrations';
import { buildMatchExpression, MailSearch } from '../../electron/services/mail/mail-search';
import { MailStore, type NewMessage } from '../../electron/services/mail/mail-store';
import { applyMigrations } from '../../electron/services/vault/migration-runner';

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

describe('MailStore and MailSearch in an encrypted SQLCipher database', () => {
  let dir: string;
  let db: Database.Database;
  let store: MailStore;
  let search: MailSearch;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-mailstore-'));
    db = new Database(join(dir, 'vault.db'));
    db.pragma("cipher = 'sqlcipher'");
    db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
    applyMigrations(db, mailMigrations);
    store = new MailStore({ db });
    search = new MailSearch(db);
    store.setFolders([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' },
      { path: 'Archive', name: 'Archive', delimiter: '/', role: 'archive' },
    ]);
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('German words: prefix, umlauts folded both ways, ß = ss', () => {
    store.insertMessages([
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
    store.insertMessages([message(1, { subject: 'Haushalt "2026" OR NEAR' })]);
    expect(buildMatchExpression('a" OR b*')).toBe('"a"* AND "OR"* AND "b"*');
    expect(() => search.search({ query: '"unbalanced (' })).not.toThrow();
    expect(search.search({ query: 'subject:Haushalt' })).toHaveLength(0);
    expect(search.search({ query: 'Haushalt 2026' })).toHaveLength(1);
    expect(search.search({ query: '  ' })).toHaveLength(1);
  });

  test('filters: folder, unread, date range, has attachment', () => {
    store.insertMessages([
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
    const first = store.insertMessages([message(1), message(2)]);
    expect(first).toHaveLength(2);
    expect(store.insertMessages([message(2), message(3)])).toHaveLength(1);
    expect(store.count('INBOX')).toBe(3);
    store.removeUids('INBOX', [2]);
    expect(store.uids('INBOX')).toEqual([1, 3]);
    expect(search.search({ query: 'Nachricht 2' }).map((m) => m.uid)).toEqual([]);
    expect(store.getSource(first[1]!)).toBeNull();
    expect(store.getSource(first[0]!)?.toString()).toContain('Nachricht 1');
  });

  test('folder counts, list pages newest first, flags, clearing one folder leaves the others', () => {
    store.insertMessages([
      message(1),
      message(2, { flags: ['\\Seen'] }),
      message(3),
      message(9, { folder: 'Archive' }),
    ]);
    expect(store.folders()).toEqual([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox', total: 3, unread: 2 },
      { path: 'Archive', name: 'Archive', delimiter: '/', role: 'archive', total: 1, unread: 1 },
    ]);
    const page = store.listPage('INBOX', 1, 1);
    expect(page.total).toBe(3);
    expect(page.items.map((m) => m.uid)).toEqual([2]);
    store.applyFlagChanges('INBOX', [{ uid: 1, flags: ['\\Seen', '\\Flagged'] }]);
    const m1 = store.listPage('INBOX', 0, 10).items.find((m) => m.uid === 1);
    expect(m1).toMatchObject({ seen: true, flagged: true });
    store.clearFolder('INBOX');
    expect(store.count('INBOX')).toBe(0);
    expect(store.count('Archive')).toBe(1);
    expect(search.search({ query: 'Nachricht' }).map((m) => m.folder)).toEqual(['Archive']);
  });

  test('threads by References and In-Reply-To, across folders', () => {
    const [a] = store.insertMessages([message(1, { messageId: '<a@x>', subject: 'Antrag' })]);
    store.insertMessages([
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
    const last = store.listPage('Archive').items[0]!;
    expect(store.thread(last.id).map((m) => m.subject)).toEqual(['Antrag', 'AW: Antrag', 'AW: AW: Antrag']);
    expect(store.thread(a!).map((m) => m.subject)).toEqual(['Antrag', 'AW: Antrag', 'AW: AW: Antrag']);
  });

  test('folders gone from the server are dropped with their messages', () => {
    store.insertMessages([message(1, { folder: 'Archive' })]);
    store.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
    expect(store.folders().map((f) => f.path)).toEqual(['INBOX']);
    expect(store.count()).toBe(0);
  });
});
