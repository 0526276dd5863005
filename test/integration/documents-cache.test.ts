import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import {
  DOCUMENT_CHUNK_BYTES,
  DocumentCache,
  type PutDocumentInput,
} from '../../electron/services/documents/document-cache';
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
    const chunks = vault.db
      .prepare<[string], { n: number; biggest: number }>(
        'SELECT count(*) AS n, max(length(data)) AS biggest FROM document_chunks WHERE document_id = ?',
      )
      .get(meta.id);
    expect(chunks).toEqual({ n: Math.ceil(bytes.length / DOCUMENT_CHUNK_BYTES), biggest: DOCUMENT_CHUNK_BYTES });
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
    expect(vault.db.prepare('SELECT count(*) FROM document_chunks').pluck().get()).toBe(0);
  });

  test('a second document from the same source replaces the first and keeps its pin', () => {
    const cache = new DocumentCache(vault);
    const first = cache.put({ ...doc(1), pinned: true });
    const second = cache.put(doc(1, 3 * KiB));
    expect(cache.get(first.id)).toBeUndefined();
    expect(cache.list().map((m) => m.id)).toEqual([second.id]);
    expect(second.pinned).toBe(true);
    expect(cache.usage().usedBytes).toBe(3 * KiB);
    expect(vault.db.prepare('SELECT count(*) FROM document_chunks').pluck().get()).toBe(1);
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
    expect(
      vault.db
        .prepare('SELECT count(*) FROM document_chunks WHERE document_id NOT IN (SELECT id FROM documents)')
        .pluck()
        .get(),
    ).toBe(0);
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
    expect(vault.db.prepare('SELECT count(*) FROM document_chunks').pluck().get()).toBe(0);
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
