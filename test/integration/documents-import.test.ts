import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { importFile, MAX_IMPORTED_FILE } from '../../electron/services/documents/document-import';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

describe('"Attach file…": a picked file is copied into the encrypted document cache', () => {
  let fx: VaultFixture;
  let vault: Vault;
  let cache: DocumentCache;
  let files: string;

  beforeEach(async () => {
    fx = makeVaultFixture();
    vault = await openVault({ file: fx.file, keychain: fx.keychain });
    cache = new DocumentCache(vault);
    files = join(fx.dir, 'picked');
    mkdirSync(files);
  });

  afterEach(async () => {
    vault.close();
    await fx.cleanup();
  });

  test('bytes, name and type are kept; the document outlives the file on disk', async () => {
    const bytes = randomBytes(64 * 1024);
    const path = join(files, 'Redeentwurf Haushalt.docx');
    writeFileSync(path, bytes);
    const meta = await importFile(cache, path);
    expect(meta).toMatchObject({
      name: 'Redeentwurf Haushalt.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: bytes.length,
      source: { kind: 'upload' },
    });
    rmSync(path);
    expect(Buffer.from(cache.open(meta.id).bytes).equals(bytes)).toBe(true);
    // Picking the same file twice gives two documents (two attachments), never an overwrite.
    writeFileSync(path, bytes);
    expect((await importFile(cache, path)).id).not.toBe(meta.id);
  });

  test('a folder, a missing file or one over 50 MB is refused and nothing is stored', async () => {
    await expect(importFile(cache, files)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(importFile(cache, join(files, 'weg.pdf'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const big = join(files, 'Gutachten.pdf');
    writeFileSync(big, '');
    truncateSync(big, MAX_IMPORTED_FILE + 1); // sparse: no 50 MB written
    await expect(importFile(cache, big)).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    expect(cache.list()).toEqual([]);
  });
});
