import { randomBytes } from 'node:crypto';
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { DOCUMENT_FILE_CHUNK_BYTES } from '../../electron/services/documents/document-file-format';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

const MiB = DOCUMENT_FILE_CHUNK_BYTES;
/** Header of a document file, then per chunk: nonce (12) · ciphertext · tag (16). */
const HEADER = 12;
const OVERHEAD = 28;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}

let fx: VaultFixture;
let vault: Vault;
let cache: DocumentCache;

beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  cache = new DocumentCache(vault);
});
afterEach(async () => {
  vault.close();
  await fx.cleanup();
});

function fileOf(id: string): string {
  const fileId = vault.guard((db) => db.pluck<[string], string>('SELECT file_id FROM documents WHERE id = ?').get(id));
  if (!fileId) throw new Error(`no file for ${id}`);
  return join(vault.documentsDir, fileId);
}

/** Stores `bytes` as a PDF fetched from `https://ris.example/<slug>.pdf`. */
function putPdf(bytes: Buffer, slug: string) {
  return cache.put({
    bytes,
    name: `${slug}.pdf`,
    mimeType: 'application/pdf',
    source: { kind: 'url', ref: `https://ris.example/${slug}.pdf` },
  });
}

/** Flips one ciphertext byte inside chunk `index` of a document file. */
function damageChunk(path: string, index: number): void {
  const fd = openSync(path, 'r+');
  try {
    const at = HEADER + index * (MiB + OVERHEAD) + 12 + 100;
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = (b[0] ?? 0) ^ 0xff;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

describe('reading a cached document by ranges (#15 target 3): only the chunks that hold the range are decrypted', () => {
  test('any range equals the same slice of the stored bytes; whole chunks are decrypted, no more', () => {
    const bytes = randomBytes(5 * MiB + 12_345);
    const meta = putPdf(bytes, 'haushalt');
    const cases: [number, number][] = [
      [0, 1],
      [0, MiB],
      [MiB - 10, MiB + 10],
      [2 * MiB + 5, 4 * MiB + 7],
      [5 * MiB, 5 * MiB + 12_345],
      [bytes.length - 1, bytes.length],
      [3 * MiB, 3 * MiB],
    ];
    for (const [begin, end] of cases) {
      const before = cache.rangeBytesDecrypted;
      const got = cache.readRange(meta.id, begin, end);
      expect(Buffer.from(got).equals(bytes.subarray(begin, end))).toBe(true);
      const chunks = end === begin ? 0 : Math.floor((end - 1) / MiB) - Math.floor(begin / MiB) + 1;
      const lastChunk = Math.floor((end - 1) / MiB) === 5;
      const expected = end === begin ? 0 : (chunks - (lastChunk ? 1 : 0)) * MiB + (lastChunk ? 12_345 : 0);
      expect(cache.rangeBytesDecrypted - before).toBe(expected);
    }
    // The head: the first chunk, and the open is recorded.
    const head = cache.openHead(meta.id, MiB);
    expect(head.bytes.byteLength).toBe(MiB);
    expect(head.meta.lastOpenedAt).not.toBeNull();
    expect(Buffer.from(head.bytes).equals(bytes.subarray(0, MiB))).toBe(true);
  });

  test('openHead sends the last chunk with the head (where a PDF keeps its trailer), decrypting nothing more', () => {
    const cases: { size: number; headBytes: number; tailBegin: number | undefined }[] = [
      // The last chunk as the viewer asks for it (whole chunks): from its first byte to the end.
      { size: 5 * MiB + 12_345, headBytes: MiB, tailBegin: 5 * MiB },
      { size: 3 * MiB, headBytes: MiB, tailBegin: 2 * MiB },
      { size: MiB + 1, headBytes: MiB, tailBegin: MiB },
      // A head that reaches into the last chunk: the tail starts where the head ends.
      { size: 3 * MiB - 10, headBytes: 2 * MiB + 100, tailBegin: 2 * MiB + 100 },
      // A head that is all of it: no tail.
      { size: MiB, headBytes: MiB, tailBegin: undefined },
      { size: 1000, headBytes: MiB, tailBegin: undefined },
    ];
    for (const { size, headBytes, tailBegin } of cases) {
      const bytes = randomBytes(size);
      const meta = putPdf(bytes, `anlage-${size}`);
      const before = cache.rangeBytesDecrypted;
      const opened = cache.openHead(meta.id, headBytes);
      const headEnd = Math.min(size, headBytes);
      expect(Buffer.from(opened.bytes).equals(bytes.subarray(0, headEnd))).toBe(true);
      expect(opened.tail?.begin).toBe(tailBegin);
      if (opened.tail) expect(Buffer.from(opened.tail.bytes).equals(bytes.subarray(opened.tail.begin))).toBe(true);
      const chunksOf = (from: number, to: number) =>
        to === from ? 0 : Math.min(size, (Math.floor((to - 1) / MiB) + 1) * MiB) - Math.floor(from / MiB) * MiB;
      expect(cache.rangeBytesDecrypted - before).toBe(
        chunksOf(0, headEnd) + (opened.tail ? chunksOf(opened.tail.begin, size) : 0),
      );
    }
  });

  test('a damaged last chunk fails openHead before the open is recorded', () => {
    const bytes = randomBytes(3 * MiB + 500);
    const meta = putPdf(bytes, 'anlage-damaged');
    damageChunk(fileOf(meta.id), 3);
    expect(codeOf(() => cache.openHead(meta.id, MiB))).toBe('VAULT_UNREADABLE');
    expect(cache.get(meta.id)?.lastOpenedAt).toBeNull();
  });

  test('a range outside the document is refused; a damaged chunk fails only the ranges that need it', () => {
    const bytes = randomBytes(3 * MiB);
    const meta = putPdf(bytes, 'anlage');
    expect(codeOf(() => cache.readRange(meta.id, 0, 3 * MiB + 1))).toBe('INVALID_INPUT');
    expect(codeOf(() => cache.readRange(meta.id, 10, 5))).toBe('INVALID_INPUT');
    expect(codeOf(() => cache.readRange(meta.id, -1, 5))).toBe('INVALID_INPUT');
    expect(codeOf(() => cache.readRange('3f2a1c9e-0000-4000-8000-000000000000', 0, 5))).toBe('DOCUMENT_NOT_FOUND');

    damageChunk(fileOf(meta.id), 1);
    // Chunks 0 and 2 still authenticate: a reader of those ranges never touches chunk 1.
    expect(Buffer.from(cache.readRange(meta.id, 0, MiB)).equals(bytes.subarray(0, MiB))).toBe(true);
    expect(Buffer.from(cache.readRange(meta.id, 2 * MiB, 3 * MiB)).equals(bytes.subarray(2 * MiB))).toBe(true);
    expect(codeOf(() => cache.readRange(meta.id, MiB - 1, MiB + 1))).toBe('VAULT_UNREADABLE');
    expect(codeOf(() => cache.open(meta.id))).toBe('VAULT_UNREADABLE');
  });
});
