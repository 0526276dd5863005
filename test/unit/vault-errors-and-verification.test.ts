import { createHash } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { verifyDocument } from '../../electron/services/documents/document-verification';
import { toVaultError } from '../../electron/services/vault/vault-error';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}

describe('verifyDocument', () => {
  const bytes = new TextEncoder().encode('Beschlussvorlage 2026/0815');
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  const sha1 = createHash('sha1').update(bytes).digest('hex');

  test('returns the sha-512 when size and checksums match (hex in any case)', () => {
    expect(verifyDocument(bytes, {})).toBe(sha512);
    expect(
      verifyDocument(bytes, { expectedSha512: sha512.toUpperCase(), expectedSha1: sha1, expectedSize: bytes.length }),
    ).toBe(sha512);
  });

  test('shorter than announced is truncated; longer or another checksum is a mismatch', () => {
    expect(codeOf(() => verifyDocument(bytes.subarray(1), { expectedSize: bytes.length }))).toBe('DOCUMENT_TRUNCATED');
    expect(codeOf(() => verifyDocument(bytes, { expectedSize: bytes.length - 1 }))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(codeOf(() => verifyDocument(bytes, { expectedSha512: '00'.repeat(64) }))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(codeOf(() => verifyDocument(bytes, { expectedSha1: '00'.repeat(20) }))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
  });
});

describe('toVaultError', () => {
  test('maps SQLite result codes to stable codes', () => {
    const { SqliteError } = Database;
    expect(toVaultError(new SqliteError('database or disk is full', 'SQLITE_FULL'), '/tmp/x').code).toBe(
      'VAULT_DISK_FULL',
    );
    expect(toVaultError(new SqliteError('file is not a database', 'SQLITE_NOTADB'), '/tmp/x').code).toBe(
      'VAULT_UNREADABLE',
    );
    expect(toVaultError(new SqliteError('database disk image is malformed', 'SQLITE_CORRUPT'), '/tmp/x').code).toBe(
      'VAULT_UNREADABLE',
    );
    expect(toVaultError(new SqliteError('no such table: x', 'SQLITE_ERROR'), '/tmp/x').code).toBe('INTERNAL');
    const own = new RatsdeskError('DOCUMENT_NOT_FOUND');
    expect(toVaultError(own, '/tmp/x')).toBe(own);
  });
});
