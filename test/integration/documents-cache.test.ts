import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import {
  DOCUMENT_CHUNK_BYTES,
  DocumentCache,
  type PutDocumentInput,
} from '../../electron/services/documents/document-cache';
import { readDocumentFile } from '../../electron/services/documents/document-file-format';
import { documentMigrations } from '../../electron/services/documents/document-migrations';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { makeVaultFixture, sha512Hex, type VaultFixture } from './helpers/vault-fixture';

const DAY = 24 * 60 * 60 * 1000;
const KiB = 1024;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-03-01T08:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

function doc(n: number, size = 10 * KiB, extra: Partial<PutDocumentInput> = {}): PutDocumentInput {
  return {
    bytes: randomBytes(size),
    name: `vorlage-${n}.pdf`,
    mimeType: 'application/pdf',
    source: { kind: 'url', ref: `https://ris.example/file/${n}` },
    ...extra,
  };
}

/** Names in the documents folder next to the vault. */
function documentFiles(v: Vault): string[] {
  return existsSync(v.documentsDir) ? readdirSync(v.documentsDir) : [];
}

function fileIdOf(v: Vault, id: string): string {
  const fileId = v.guard((db) => db.pluck<[string], string>('SELECT file_id FROM documents WHERE id = ?').get(id));
  if (!fileId) throw new Error(`no file for ${id}`);
  return fileId;
}

let fx: VaultFixture;
let vault: Vault;

beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
});
afterEach(async () => {
  vault.close();
  await fx.cleanup();
});

describe('DocumentCache in the real vault', () => {
  test('stores a 20 MB document in 1 MiB chunks and returns identical bytes with its metadata', () => {
    const clock = manualClock();
    const cache = new DocumentCache(vault, { now: clock.now });
    const bytes = randomBytes(20 * 1000 * 1000);
    const meta = cache.put({ ...doc(1), bytes, source: { kind: 'message', ref: 'anna@example/INBOX/17/2' } });
    expect(meta).toMatchObject({
      size: bytes.length,
      sha512: sha512Hex(bytes),
      mimeType: 'application/pdf',
      lastOpenedAt: null,
      pinned: false,
    });
    // The bytes are in one file of the documents folder: 12-byte header, per 1 MiB chunk a nonce and a tag.
    const chunkCount = Math.ceil(bytes.length / DOCUMENT_CHUNK_BYTES);
    expect(documentFiles(vault)).toEqual([fileIdOf(vault, meta.id)]);
    expect(statSync(join(vault.documentsDir, fileIdOf(vault, meta.id))).size).toBe(12 + chunkCount * 28 + bytes.length);
    expect(vault.guard((db) => db.pluck('SELECT count(*) FROM document_chunks').get())).toBe(0);
    clock.advance(1000);
    const opened = cache.open(meta.id);
    expect(Buffer.from(opened.bytes).equals(bytes)).toBe(true);
    expect(opened.meta.lastOpenedAt).toBe(clock.now().toISOString());
    expect(cache.get(meta.id)?.lastOpenedAt).toBe(clock.now().toISOString());
    expect(cache.findBySource({ kind: 'message', ref: 'anna@example/INBOX/17/2' })?.id).toBe(meta.id);
    expect(cache.usage()).toEqual({ usedBytes: bytes.length, quotaBytes: 2 * 1024 * 1024 * 1024, count: 1 });
  });

  test('accepts a document whose announced sha-512, sha-1 and size match', () => {
    const cache = new DocumentCache(vault);
    const input = doc(1);
    const meta = cache.put({
      ...input,
      expectedSha512: sha512Hex(input.bytes).toUpperCase(),
      expectedSha1: createHash('sha1').update(input.bytes).digest('hex'),
      expectedSize: input.bytes.byteLength,
    });
    expect(cache.get(meta.id)?.sha512).toBe(sha512Hex(input.bytes));
  });

  test('rejects a checksum mismatch or a truncated download and stores nothing', () => {
    const cache = new DocumentCache(vault);
    const input = doc(1);
    const other = randomBytes(32);
    expect(codeOf(() => cache.put({ ...input, expectedSha512: sha512Hex(other) }))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(codeOf(() => cache.put({ ...input, expectedSha1: createHash('sha1').update(other).digest('hex') }))).toBe(
      'DOCUMENT_CHECKSUM_MISMATCH',
    );
    expect(
      codeOf(() => cache.put({ ...input, bytes: input.bytes.subarray(0, 5000), expectedSize: input.bytes.byteLength })),
    ).toBe('DOCUMENT_TRUNCATED');
    expect(codeOf(() => cache.put({ ...input, expectedSize: input.bytes.byteLength - 1 }))).toBe(
      'DOCUMENT_CHECKSUM_MISMATCH',
    );
    expect(cache.list()).toEqual([]);
    expect(documentFiles(vault)).toEqual([]);
  });

  test('a second document from the same source replaces the first and keeps its pin', () => {
    const cache = new DocumentCache(vault);
    const first = cache.put({ ...doc(1), pinned: true });
    const second = cache.put(doc(1, 3 * KiB));
    expect(cache.get(first.id)).toBeUndefined();
    expect(cache.list().map((m) => m.id)).toEqual([second.id]);
    expect(second.pinned).toBe(true);
    expect(cache.usage().usedBytes).toBe(3 * KiB);
    expect(documentFiles(vault)).toEqual([fileIdOf(vault, second.id)]);
  });

  test('putAsync: documents stored side by side are whole files with rows, read back identical; a bad one leaves nothing', async () => {
    const cache = new DocumentCache(vault);
    const inputs = Array.from({ length: 12 }, (_, n) => doc(n, n === 3 ? 2 * DOCUMENT_CHUNK_BYTES + 5 : 4 * KiB));
    const metas = await Promise.all(inputs.map((input) => cache.putAsync({ ...input, pinned: true })));
    for (const [n, meta] of metas.entries()) {
      expect(Buffer.from(cache.open(meta.id).bytes).equals(Buffer.from((inputs[n] as PutDocumentInput).bytes))).toBe(
        true,
      );
      expect(meta.pinned).toBe(true);
    }
    // One file per document, no temporary file left.
    expect(documentFiles(vault).sort()).toEqual(metas.map((m) => fileIdOf(vault, m.id)).sort());
    // Checked before anything is written: a mismatch stores nothing.
    const bad = doc(99);
    await expect(cache.putAsync({ ...bad, expectedSha512: sha512Hex(randomBytes(8)) })).rejects.toMatchObject({
      code: 'DOCUMENT_CHECKSUM_MISMATCH',
    });
    expect(cache.findBySource(bad.source)).toBeUndefined();
    // A replacement from the same source removes the earlier file.
    const replaced = await cache.putAsync(doc(0, 1 * KiB));
    expect(cache.get((metas[0] as { id: string }).id)).toBeUndefined();
    expect(documentFiles(vault)).toHaveLength(12);
    expect(documentFiles(vault)).toContain(fileIdOf(vault, replaced.id));
  });

  test('quota: evicts least recently opened first and never a pinned document', () => {
    const clock = manualClock();
    const cache = new DocumentCache(vault, { quotaBytes: 400 * KiB, now: clock.now });
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      ids.push(cache.put(doc(n, 100 * KiB)).id);
      clock.advance(1000);
    }
    const [d0, d1, d2, d3] = ids as [string, string, string, string];
    cache.pin(d1); // oldest but one, pinned
    cache.open(d0); // the oldest fetched is now the most recently opened
    clock.advance(1000);
    // Full (400 KiB). One more evicts d2: least recently used among the unpinned (d2 fetched before d3).
    const d4 = cache.put(doc(4, 100 * KiB)).id;
    clock.advance(1000);
    expect(new Set(cache.list().map((m) => m.id))).toEqual(new Set([d0, d1, d3, d4]));
    expect(cache.get(d2)).toBeUndefined();
    // 200 KiB more: d3 then d0 go (d0 was opened before d4 was fetched); pinned d1 stays.
    cache.put(doc(5, 200 * KiB));
    const left = cache.list();
    expect(left.map((m) => m.id)).not.toContain(d3);
    expect(left.map((m) => m.id)).not.toContain(d0);
    expect(left.map((m) => m.id)).toContain(d1);
    expect(cache.usage().usedBytes).toBeLessThanOrEqual(400 * KiB);
    // Evicted documents' files are gone: one file per remaining document.
    expect(documentFiles(vault).sort()).toEqual(left.map((m) => fileIdOf(vault, m.id)).sort());
  });

  test('quota: pinned documents are not evicted to make room; bigger than the quota is refused', () => {
    const cache = new DocumentCache(vault, { quotaBytes: 300 * KiB });
    const a = cache.put(doc(1, 100 * KiB, { pinned: true }));
    const b = cache.put(doc(2, 100 * KiB, { pinned: true }));
    expect(codeOf(() => cache.put(doc(3, 200 * KiB)))).toBe('DOCUMENT_TOO_LARGE');
    expect(codeOf(() => cache.put(doc(4, 301 * KiB)))).toBe('DOCUMENT_TOO_LARGE');
    expect(
      cache
        .list()
        .map((m) => m.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    // Lowering the quota evicts unpinned documents right away, never pinned ones.
    const c = cache.put(doc(5, 50 * KiB));
    cache.setLimits({ quotaBytes: 150 * KiB });
    expect(cache.get(c.id)).toBeUndefined();
    expect(cache.usage()).toMatchObject({ count: 2, quotaBytes: 150 * KiB });
  });

  test('retention: deletes unpinned documents not opened (or fetched) for N days', () => {
    const clock = manualClock();
    const cache = new DocumentCache(vault, { retentionDays: 30, now: clock.now });
    const neverOpened = cache.put(doc(1));
    const openedLater = cache.put(doc(2));
    const pinned = cache.put(doc(3, 10 * KiB, { pinned: true }));
    const pinExpires = cache.put(
      doc(4, 10 * KiB, { pinned: true, pinnedUntil: new Date(clock.now().getTime() + 10 * DAY) }),
    );
    clock.advance(20 * DAY);
    cache.open(openedLater.id);
    clock.advance(9 * DAY);
    expect(cache.applyRetention()).toBe(0); // 29 days
    clock.advance(2 * DAY);
    expect(cache.get(pinExpires.id)?.pinned).toBe(false);
    expect(cache.applyRetention()).toBe(2); // 31 days: never opened + expired pin
    expect(new Set(cache.list().map((m) => m.id))).toEqual(new Set([openedLater.id, pinned.id]));
    expect(cache.get(neverOpened.id)).toBeUndefined();
    cache.setLimits({ retentionDays: 5 });
    expect(cache.applyRetention()).toBe(1); // opened 11 days ago
    cache.unpin(pinned.id);
    expect(cache.applyRetention()).toBe(1);
    expect(cache.usage().count).toBe(0);
    expect(documentFiles(vault)).toEqual([]);
  });

  test('pin, unpin, remove and open of an unknown id answer DOCUMENT_NOT_FOUND', () => {
    const cache = new DocumentCache(vault);
    const a = cache.put(doc(1));
    cache.pin(a.id, new Date(Date.now() + DAY));
    expect(cache.get(a.id)).toMatchObject({ pinned: true });
    expect(cache.get(a.id)?.pinnedUntil).not.toBeNull();
    cache.unpin(a.id);
    expect(cache.get(a.id)).toMatchObject({ pinned: false, pinnedUntil: null });
    cache.remove(a.id);
    for (const fn of [
      () => cache.open(a.id),
      () => cache.pin(a.id),
      () => cache.unpin(a.id),
      () => cache.remove(a.id),
    ]) {
      expect(codeOf(fn)).toBe('DOCUMENT_NOT_FOUND');
    }
    expect(codeOf(() => cache.put({ ...doc(2), name: '' }))).toBe('INVALID_INPUT');
  });
});

function codeOfRead(ref: Parameters<typeof readDocumentFile>[0]): string {
  return codeOf(() => readDocumentFile(ref));
}

describe('document files: AES-256-GCM per chunk, bound to document, index and end', () => {
  test('a changed byte, swapped chunks, a swapped file, a cut-off end or a wrong key: VAULT_UNREADABLE', () => {
    const cache = new DocumentCache(vault);
    const size = 3 * DOCUMENT_CHUNK_BYTES;
    const a = cache.put(doc(1, size));
    const b = cache.put(doc(2, size));
    const pathOf = (id: string) => join(vault.documentsDir, fileIdOf(vault, id));
    const keyOf = (id: string) =>
      vault.guard((db) => db.pluck<[string], Buffer>('SELECT file_key FROM documents WHERE id = ?').get(id)) ??
      Buffer.alloc(0);
    const refA = { path: pathOf(a.id), documentId: a.id, key: keyOf(a.id), size };
    expect(keyOf(a.id).length).toBe(32);
    expect(keyOf(a.id).equals(keyOf(b.id))).toBe(false);
    expect(sha512Hex(readDocumentFile(refA))).toBe(a.sha512);
    const original = readFileSync(refA.path);
    const box = DOCUMENT_CHUNK_BYTES + 28;

    // One byte changed in chunk 1.
    const flipped = Buffer.from(original);
    flipped[12 + box + 500] = (flipped[12 + box + 500] ?? 0) ^ 1;
    writeFileSync(refA.path, flipped);
    expect(codeOfRead(refA)).toBe('VAULT_UNREADABLE');
    expect(codeOf(() => cache.open(a.id))).toBe('VAULT_UNREADABLE');

    // Chunks 0 and 1 swapped (same length, each authentic on its own).
    const swapped = Buffer.concat([
      original.subarray(0, 12),
      original.subarray(12 + box, 12 + 2 * box),
      original.subarray(12, 12 + box),
      original.subarray(12 + 2 * box),
    ]);
    writeFileSync(refA.path, swapped);
    expect(codeOfRead(refA)).toBe('VAULT_UNREADABLE');

    // The last chunk cut off, even with the size to match: chunk 1 is not marked as the last one.
    writeFileSync(refA.path, original.subarray(0, 12 + 2 * box));
    expect(codeOfRead(refA)).toBe('VAULT_UNREADABLE');
    expect(codeOfRead({ ...refA, size: 2 * DOCUMENT_CHUNK_BYTES })).toBe('VAULT_UNREADABLE');

    // B's file in A's place: with A's key it fails, and with B's key under A's id the binding fails.
    writeFileSync(refA.path, readFileSync(pathOf(b.id)));
    expect(codeOfRead(refA)).toBe('VAULT_UNREADABLE');
    expect(codeOfRead({ ...refA, key: keyOf(b.id) })).toBe('VAULT_UNREADABLE');

    // Restored, it reads again; B was never affected.
    writeFileSync(refA.path, original);
    expect(sha512Hex(cache.open(a.id).bytes)).toBe(a.sha512);
    expect(sha512Hex(cache.open(b.id).bytes)).toBe(b.sha512);
    expect(codeOfRead({ ...refA, key: randomBytes(32) })).toBe('VAULT_UNREADABLE');
  });

  test('an empty document is one authenticated chunk', () => {
    const cache = new DocumentCache(vault);
    const meta = cache.put({ ...doc(1), bytes: new Uint8Array(0) });
    expect(cache.open(meta.id).bytes.byteLength).toBe(0);
    expect(statSync(join(vault.documentsDir, fileIdOf(vault, meta.id))).size).toBe(12 + 28);
  });

  test('at open: files without a row are deleted, rows whose file is missing or cut short are removed and reported', async () => {
    const cache = new DocumentCache(vault);
    const keep = cache.put(doc(1, 300 * KiB));
    const lost = cache.put(doc(2, 300 * KiB));
    const cut = cache.put(doc(3, 300 * KiB));
    const dir = vault.documentsDir;
    const lostPath = join(dir, fileIdOf(vault, lost.id));
    const cutPath = join(dir, fileIdOf(vault, cut.id));
    vault.close();
    // What a crash leaves: a temporary file being written, a renamed file whose row was never committed.
    writeFileSync(join(dir, `${'a'.repeat(32)}.tmp`), randomBytes(1000));
    writeFileSync(join(dir, 'b'.repeat(32)), randomBytes(1000));
    // Outside damage: one file gone, one cut short.
    rmSync(lostPath);
    writeFileSync(cutPath, readFileSync(cutPath).subarray(0, 1000));

    vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const again = new DocumentCache(vault);
    expect(again.repair).toEqual({
      orphanFilesRemoved: 2,
      brokenDocumentsRemoved: expect.arrayContaining([lost.id, cut.id]) as unknown as string[],
      movedToFiles: 0,
    });
    expect(again.repair.brokenDocumentsRemoved).toHaveLength(2);
    expect(again.list().map((m) => m.id)).toEqual([keep.id]);
    expect(documentFiles(vault)).toEqual([fileIdOf(vault, keep.id)]);
    expect(sha512Hex(again.open(keep.id).bytes)).toBe(keep.sha512);
    expect(vault.integrityCheck()).toBe('ok');
  });
});

describe('migration from documents in the vault (document_chunks) to files', () => {
  test('an older vault keeps its documents: moved into files at open, chunks dropped, metadata and pins kept', async () => {
    vault.close();
    await fx.cleanup();
    fx = makeVaultFixture();
    // A vault as the first version left it: schema documents-001 only, bytes in document_chunks.
    const firstSchema = documentMigrations.filter((m) => m.id === 'documents-001-blobs');
    vault = await openVault({ file: fx.file, keychain: fx.keychain, migrations: firstSchema });
    const docs = [randomBytes(2.5 * 1024 * 1024), randomBytes(10 * KiB), Buffer.alloc(0)];
    vault.transaction((db) => {
      const insertDoc = db.prepare(
        `INSERT INTO documents (id, name, mime_type, size, sha512, source_kind, source_ref, fetched_at, last_opened_at, pinned, pinned_until, chunk_count)
         VALUES (?, ?, 'application/pdf', ?, ?, 'url', ?, '2026-03-01T08:00:00.000Z', NULL, ?, NULL, ?)`,
      );
      const insertChunk = db.prepare('INSERT INTO document_chunks (document_id, seq, data) VALUES (?, ?, ?)');
      docs.forEach((bytes, n) => {
        const chunks = Math.ceil(bytes.length / DOCUMENT_CHUNK_BYTES);
        insertDoc.run(
          `old-${n}`,
          `alt-${n}.pdf`,
          bytes.length,
          sha512Hex(bytes),
          `https://ris/old/${n}`,
          n === 0 ? 1 : 0,
          chunks,
        );
        for (let seq = 0; seq < chunks; seq++)
          insertChunk.run(
            `old-${n}`,
            seq,
            bytes.subarray(seq * DOCUMENT_CHUNK_BYTES, (seq + 1) * DOCUMENT_CHUNK_BYTES),
          );
      });
    });
    vault.close();
    // A move interrupted earlier left a file behind without its row.
    mkdirSync(join(fx.dir, 'documents'));
    writeFileSync(join(fx.dir, 'documents', 'c'.repeat(32)), randomBytes(100));

    vault = await openVault({ file: fx.file, keychain: fx.keychain, migrations: documentMigrations });
    const cache = new DocumentCache(vault);
    expect(cache.repair).toEqual({ orphanFilesRemoved: 1, brokenDocumentsRemoved: [], movedToFiles: 3 });
    expect(vault.guard((db) => db.pluck('SELECT id FROM vault_migrations ORDER BY rowid').all())).toEqual([
      'documents-001-blobs',
      'documents-002-files',
      'documents-003-text',
      'documents-004-page-tree',
    ]);
    expect(vault.guard((db) => db.pluck('SELECT count(*) FROM document_chunks').get())).toBe(0);
    expect(vault.guard((db) => db.pluck('SELECT count(*) FROM documents WHERE file_id IS NULL').get())).toBe(0);
    expect(documentFiles(vault)).toHaveLength(3);
    docs.forEach((bytes, n) => {
      const { meta, bytes: back } = cache.open(`old-${n}`);
      expect(Buffer.from(back).equals(bytes)).toBe(true);
      expect(meta).toMatchObject({ name: `alt-${n}.pdf`, size: bytes.length, pinned: n === 0 });
    });
    expect(cache.usage().usedBytes).toBe(docs.reduce((s, b) => s + b.length, 0));
    vault.close();
    // Nothing to do the next time.
    vault = await openVault({ file: fx.file, keychain: fx.keychain });
    expect(new DocumentCache(vault).repair).toEqual({
      orphanFilesRemoved: 0,
      brokenDocumentsRemoved: [],
      movedToFiles: 0,
    });
    expect(vault.integrityCheck()).toBe('ok');
  });
});
