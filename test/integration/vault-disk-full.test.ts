import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { type DocumentMeta, DocumentCache } from '../../electron/services/documents/document-cache';
import { openVault } from '../../electron/services/vault/vault';
import { makeVaultFixture, sha512Hex, type VaultFixture } from './helpers/vault-fixture';

let mountDir: string;
let fx: VaultFixture;

beforeAll(() => {
  mountDir = mkdtempSync(join(tmpdir(), 'ratsdesk-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountDir]);
  fx = makeVaultFixture(mountDir);
});
afterAll(async () => {
  for (const account of await fx.keychain.accounts()) await fx.keychain.delete(account);
  execFileSync('umount', [mountDir]);
  rmSync(mountDir, { recursive: true, force: true });
});

/** The cache lists exactly `stored`, and each reads back whole. */
function checkAll(cache: DocumentCache, stored: DocumentMeta[]): void {
  expect(
    cache
      .list()
      .map((m) => m.id)
      .sort(),
  ).toEqual(stored.map((m) => m.id).sort());
  for (const meta of stored) {
    const { bytes } = cache.open(meta.id);
    expect(sha512Hex(bytes)).toBe(meta.sha512);
  }
}

describe('vault on a full disk (8 MiB tmpfs)', () => {
  test('VAULT_DISK_FULL, the failed document is not stored, everything stored before stays readable', async () => {
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const cache = new DocumentCache(vault);
    const stored: DocumentMeta[] = [];
    let failure: unknown;
    for (let n = 0; n < 40 && !failure; n++) {
      try {
        stored.push(
          cache.put({
            bytes: randomBytes(700 * 1024),
            name: `vorlage-${n}.pdf`,
            mimeType: 'application/pdf',
            source: { kind: 'url', ref: `https://ris/${n}` },
          }),
        );
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(RatsdeskError);
    expect((failure as RatsdeskError).code).toBe('VAULT_DISK_FULL');
    expect(stored.length).toBeGreaterThan(2);
    // Same connection: the failed put left nothing behind, the earlier documents read back whole.
    expect(cache.findBySource({ kind: 'url', ref: `https://ris/${stored.length}` })).toBeUndefined();
    checkAll(cache, stored);
    // The failed document's file (or its temporary file) is not left taking space.
    expect(readdirSync(vault.documentsDir)).toHaveLength(stored.length);
    vault.close();

    // After a restart too.
    const reopened = await openVault({ file: fx.file, keychain: fx.keychain });
    expect(reopened.integrityCheck()).toBe('ok');
    const again = new DocumentCache(reopened);
    expect(again.usage().count).toBe(stored.length);
    checkAll(again, stored);
    reopened.close();
  });

  test('putAsync (files flushed off the main thread): VAULT_DISK_FULL, nothing half-written left, the rest readable', async () => {
    const vault = await openVault({ file: fx.file, keychain: fx.keychain });
    const cache = new DocumentCache(vault);
    const before = cache.list();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        cache.putAsync({
          bytes: randomBytes(700 * 1024),
          name: `anlage-${n}.pdf`,
          mimeType: 'application/pdf',
          source: { kind: 'url', ref: `https://ris/anlage/${n}` },
        }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect((f as PromiseRejectedResult).reason).toMatchObject({ code: 'VAULT_DISK_FULL' });
    const stored = [
      ...before,
      ...results.flatMap((r) => (r.status === 'fulfilled' ? [(r as PromiseFulfilledResult<DocumentMeta>).value] : [])),
    ];
    checkAll(cache, stored);
    expect(readdirSync(vault.documentsDir)).toHaveLength(stored.length);
    vault.close();
  });
});
