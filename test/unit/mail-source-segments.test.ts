import type Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { MailQueryRepository } from '../../electron/services/mail/mail-query-repository';
import {
  compactMailSources,
  MAIL_SOURCE_RECORD_OVERHEAD,
  withMailSources,
} from '../../electron/services/mail/mail-source-segments';
import { MailSyncRepository, type NewMessage } from '../../electron/services/mail/mail-sync-repository';
import type { Vault } from '../../electron/services/vault/vault';
import { openKeyedVault } from '../support/keyed-vault';

const HEADER = 8;

function message(uid: number, source: Buffer): NewMessage {
  return {
    folder: 'INBOX',
    uid,
    messageId: `<m${uid}@stadt.example>`,
    inReplyTo: null,
    references: [],
    subject: `Nachricht ${uid}`,
    from: { name: 'Stadtverwaltung', address: 'info@stadt.example' },
    to: [],
    cc: [],
    date: Date.UTC(2026, 2, 1) + uid * 60_000,
    size: source.length,
    flags: [],
    hasAttachments: false,
    bodyText: '',
    source,
  };
}

function sourceOf(uid: number, size = 2_000): Buffer {
  const text = `Subject: Nachricht ${uid}\r\n\r\nVertraulich: Beschlussvorlage Radweg Nummer ${uid}. `;
  return Buffer.from(text.repeat(Math.ceil(size / text.length)).slice(0, size));
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof RatsdeskError ? err.code : `not a RatsdeskError: ${String(err)}`;
  }
  return undefined;
}

describe('message sources in AES-256-GCM segment files next to the SQLCipher vault', () => {
  let dir: string;
  let db: Database.Database;
  let vault: Vault;
  let sync: MailSyncRepository;
  let queries: MailQueryRepository;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-segments-'));
    ({ vault, db } = openKeyedVault(join(dir, 'vault.db')));
    sync = new MailSyncRepository(vault);
    queries = new MailQueryRepository(vault);
    sync.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const idOf = (uid: number) => db.prepare('SELECT id FROM mail_messages WHERE uid = ?').pluck().get(uid) as number;
  const segments = () =>
    db.prepare('SELECT segment, size, live FROM mail_source_segments ORDER BY segment').all() as {
      segment: number;
      size: number;
      live: number;
    }[];

  test('a batch is one segment file of ciphertext (owner-only), read back whole; neither it nor the vault holds the text', () => {
    const sources = [1, 2, 3].map((uid) => sourceOf(uid));
    sync.insertMessages(sources.map((s, i) => message(i + 1, s)));
    for (const [i, s] of sources.entries()) expect(queries.getSource(idOf(i + 1))).toEqual(s);

    expect(readdirSync(vault.mailSourcesDir)).toEqual(['1']);
    const file = join(vault.mailSourcesDir, '1');
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(HEADER + sources.reduce((n, s) => n + s.length + MAIL_SOURCE_RECORD_OVERHEAD, 0));
    expect(segments()).toEqual([{ segment: 1, size: bytes.length, live: bytes.length - HEADER }]);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(vault.mailSourcesDir).mode & 0o777).toBe(0o700);
    }
    for (const f of [file, join(dir, 'vault.db'), join(dir, 'vault.db-wal')]) {
      let content: Buffer;
      try {
        content = readFileSync(f);
      } catch {
        continue; // no WAL
      }
      expect(content.includes('Beschlussvorlage'), f).toBe(false);
      expect(content.includes('Radweg'), f).toBe(false);
    }
    // No source stays in the database table of earlier versions.
    expect(db.prepare('SELECT count(*) FROM mail_sources').pluck().get()).toBe(0);
  });

  test('a record altered, cut short or moved to another place on disk is refused (VAULT_UNREADABLE), never other bytes', () => {
    const a = sourceOf(1, 3_000);
    const b = sourceOf(2, 3_000);
    sync.insertMessages([message(1, a), message(2, b)]);
    const file = join(vault.mailSourcesDir, '1');
    const original = readFileSync(file);
    const recordBytes = a.length + MAIL_SOURCE_RECORD_OVERHEAD;

    // One bit flipped inside the first record's ciphertext.
    const flipped = Buffer.from(original);
    flipped[HEADER + 100]! ^= 1;
    writeFileSync(file, flipped);
    expect(code(() => queries.getSource(idOf(1)))).toBe('VAULT_UNREADABLE');
    expect(queries.getSource(idOf(2))).toEqual(b);

    // The first record copied over the second (same length): it is bound to its own offset.
    const swapped = Buffer.from(original);
    original.copy(swapped, HEADER + recordBytes, HEADER, HEADER + recordBytes);
    writeFileSync(file, swapped);
    expect(queries.getSource(idOf(1))).toEqual(a);
    expect(code(() => queries.getSource(idOf(2)))).toBe('VAULT_UNREADABLE');

    // The file cut short.
    writeFileSync(file, original.subarray(0, original.length - 10));
    expect(code(() => queries.getSource(idOf(2)))).toBe('VAULT_UNREADABLE');
  });

  test('a transaction that rolls back leaves no reference, and the next batch writes over its bytes', () => {
    sync.insertMessages([message(1, sourceOf(1))]);
    const before = segments()[0]!.size;
    expect(() =>
      vault.transaction((w) =>
        withMailSources(w, vault.mailSourcesDir, (writer) => {
          writer.put(idOf(1), sourceOf(99, 50_000));
          throw new Error('the batch fails after its write');
        }),
      ),
    ).toThrow('the batch fails');
    expect(queries.getSource(idOf(1))).toEqual(sourceOf(1));
    expect(segments()[0]!.size).toBe(before);

    sync.insertMessages([message(2, sourceOf(2))]);
    const after = segments()[0]!.size;
    expect(after).toBe(before + sourceOf(2).length + MAIL_SOURCE_RECORD_OVERHEAD);
    expect(queries.getSource(idOf(2))).toEqual(sourceOf(2));
    // What the rolled-back batch wrote past the row's size is dead bytes at the end, never a live record.
    expect(statSync(join(vault.mailSourcesDir, '1')).size).toBeGreaterThanOrEqual(after);
  });

  test('a batch past the write buffer (8 MiB) is written in several writes, still read back whole and counted once', () => {
    // Eleven sources of 1 MiB in one transaction: the encrypted records are written before the batch ends.
    const big = (uid: number) => sourceOf(uid, 1024 * 1024);
    sync.insertMessages(Array.from({ length: 11 }, (_, i) => message(i + 1, big(i + 1))));
    // (Buffer.equals: a deep comparison of 1 MiB buffers element by element takes minutes.)
    const same = (uid: number, source: Buffer) => queries.getSource(idOf(uid))?.equals(source) ?? false;
    for (let uid = 1; uid <= 11; uid++) expect(same(uid, big(uid)), `uid ${uid}`).toBe(true);
    const file = join(vault.mailSourcesDir, '1');
    const expected = HEADER + 11 * (1024 * 1024 + MAIL_SOURCE_RECORD_OVERHEAD);
    expect(statSync(file).size).toBe(expected);
    expect(segments()).toEqual([{ segment: 1, size: expected, live: expected - HEADER }]);

    // The same size of batch failing after its first records reached the file: no reference, no size, and
    // the next batch writes over those bytes.
    expect(() =>
      vault.transaction((w) =>
        withMailSources(w, vault.mailSourcesDir, (writer) => {
          for (let uid = 1; uid <= 11; uid++) writer.put(idOf(uid), big(100 + uid));
          throw new Error('the batch fails after its writes');
        }),
      ),
    ).toThrow('the batch fails');
    expect(statSync(file).size).toBeGreaterThan(expected);
    expect(segments()).toEqual([{ segment: 1, size: expected, live: expected - HEADER }]);
    for (let uid = 1; uid <= 11; uid++) expect(same(uid, big(uid)), `uid ${uid}`).toBe(true);
    sync.insertMessages([message(12, sourceOf(12))]);
    expect(queries.getSource(idOf(12))).toEqual(sourceOf(12));
    expect(segments()[0]!.size).toBe(expected + sourceOf(12).length + MAIL_SOURCE_RECORD_OVERHEAD);
  });

  test('a transaction that fails after its records were written and synced names none of them', () => {
    sync.insertMessages([message(1, sourceOf(1))]);
    const before = segments()[0]!;
    expect(() =>
      vault.transaction((w) => {
        withMailSources(w, vault.mailSourcesDir, (writer) => writer.put(idOf(1), sourceOf(98, 20_000)));
        throw new Error('a later step of the transaction fails');
      }),
    ).toThrow('a later step');
    expect(segments()[0]).toEqual(before);
    expect(queries.getSource(idOf(1))).toEqual(sourceOf(1));
    expect(statSync(join(vault.mailSourcesDir, '1')).size).toBe(before.size + 20_000 + MAIL_SOURCE_RECORD_OVERHEAD);
    sync.insertMessages([message(2, sourceOf(2))]);
    expect(queries.getSource(idOf(2))).toEqual(sourceOf(2));
    expect(segments()[0]!.size).toBe(before.size + sourceOf(2).length + MAIL_SOURCE_RECORD_OVERHEAD);
  });

  test('compaction moves the live records out of mostly dead segments, deletes those files and keys, and removes orphans', () => {
    // Small segments: about three records each.
    const size = 1_000;
    const perSegment = HEADER + 3 * (size + MAIL_SOURCE_RECORD_OVERHEAD);
    for (let uid = 1; uid <= 12; uid++) sync.insertMessages([{ ...message(uid, Buffer.alloc(0)), source: null }]);
    vault.transaction((w) =>
      withMailSources(
        w,
        vault.mailSourcesDir,
        (writer) => {
          for (let uid = 1; uid <= 12; uid++) writer.put(idOf(uid), sourceOf(uid, size));
        },
        perSegment,
      ),
    );
    expect(segments().map((s) => s.segment)).toEqual([1, 2, 3, 4]);
    const keysBefore = db.prepare('SELECT key FROM mail_source_segments').pluck().all() as Buffer[];
    expect(new Set(keysBefore.map((k) => k.toString('hex'))).size).toBe(4);

    // Segment 1 loses two of three records (the server expunged them), segment 2 one of three.
    sync.removeUids('INBOX', [1, 2, 4]);
    expect(segments()[0]!.live).toBe(size + MAIL_SOURCE_RECORD_OVERHEAD);
    // A segment file a crash left without its row.
    writeFileSync(join(vault.mailSourcesDir, '77'), randomBytes(100));

    const result = compactMailSources(vault, vault.mailSourcesDir);
    expect(result).toEqual({ segments: 1, moved: 1, orphans: 1 });
    expect(segments().map((s) => s.segment)).toEqual([2, 3, 4]);
    expect(readdirSync(vault.mailSourcesDir).sort()).toEqual(['2', '3', '4']);
    // Every message left has its source; the moved one now lives in the newest segment.
    for (const uid of [3, 5, 6, 7, 8, 9, 10, 11, 12])
      expect(queries.getSource(idOf(uid)), `uid ${uid}`).toEqual(sourceOf(uid, size));
    expect(db.prepare('SELECT segment FROM mail_source_refs WHERE message = ?').pluck().get(idOf(3))).toBe(4);
    // Segment 2 is still two-thirds live: it stays.
    expect(compactMailSources(vault, vault.mailSourcesDir)).toEqual({ segments: 0, moved: 0, orphans: 0 });
  });

  test('two vaults in one folder keep their segments apart (segments are numbered per vault)', () => {
    const { vault: other, db: otherDb } = openKeyedVault(join(dir, 'other.db'));
    try {
      const otherSync = new MailSyncRepository(other);
      otherSync.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
      sync.insertMessages([message(1, sourceOf(1))]);
      const [otherId] = otherSync.insertMessages([message(1, sourceOf(2))]);
      expect(other.mailSourcesDir).not.toBe(vault.mailSourcesDir);
      expect(queries.getSource(idOf(1))).toEqual(sourceOf(1));
      expect(new MailQueryRepository(other).getSource(otherId!)).toEqual(sourceOf(2));
      // Each vault's compaction sweeps only its own folder.
      expect(compactMailSources(other, other.mailSourcesDir).orphans).toBe(0);
      expect(queries.getSource(idOf(1))).toEqual(sourceOf(1));
    } finally {
      otherDb.close();
    }
  });

  test('the offline period and a changed UIDVALIDITY release sources; compaction then frees the space', () => {
    sync.insertMessages([1, 2, 3].map((uid) => message(uid, sourceOf(uid))));
    sync.setFolders([
      { path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' },
      { path: 'Archiv', name: 'Archiv', delimiter: '/', role: 'archive' },
    ]);
    sync.insertMessages([{ ...message(10, sourceOf(10)), folder: 'Archiv' }]);
    expect(sync.dropBodiesBefore(new Date(Date.UTC(2026, 2, 1) + 2.5 * 60_000))).toBe(2);
    expect(queries.getSource(idOf(1))).toBeNull();
    expect(queries.getSource(idOf(3))).toEqual(sourceOf(3));
    sync.clearFolder('Archiv');
    const live = segments().reduce((n, s) => n + s.live, 0);
    expect(live).toBe(sourceOf(3).length + MAIL_SOURCE_RECORD_OVERHEAD);
  });
});
