import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { exportableDocument } from '../../electron/services/documents/document-export';
import { documentFileLength, DOCUMENT_FILE_CHUNK_BYTES } from '../../electron/services/documents/document-file-format';
import {
  DocumentPageTrees,
  PAGE_TREE_VERSION,
  type PageTreeComputed,
} from '../../electron/services/documents/document-page-trees';
import { DocumentWorker } from '../../electron/services/documents/document-worker-thread';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { documentWorkerFile } from '../support/document-worker-file';
import { readPdfPages } from '../support/pdf-pages-read';
import { makeTestPdf } from '../e2e/harness/test-pdf';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

const MiB = DOCUMENT_FILE_CHUNK_BYTES;
const PAGES = 600;
const CHECKED = [1, 2, 33, 300, 599, 600];

let fx: VaultFixture;
let vault: Vault;
let cache: DocumentCache;
let worker: DocumentWorker;
let trees: DocumentPageTrees;
let computed: PageTreeComputed[];
let workerFile: string;
/** A flat 600-page PDF of ~3 MB (pdf-lib writes every page under the root node), made once. */
let flat: Uint8Array;

beforeAll(async () => {
  workerFile = await documentWorkerFile();
  flat = await makeTestPdf({ pages: PAGES, targetBytes: 3_000_000, objectStreams: true });
});

function start(now?: () => Date): void {
  cache = new DocumentCache(vault, now ? { now } : {});
  computed = [];
  worker = new DocumentWorker({ file: workerFile });
  trees = new DocumentPageTrees({ vault, documents: cache, worker, onComputed: (c) => computed.push(c) });
}

beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  start();
});
afterEach(async () => {
  trees.dispose();
  await worker.dispose();
  vault.close();
  await fx.cleanup();
});

function putPdf(bytes: Uint8Array, slug: string, name = `${slug}.pdf`) {
  return cache.put({
    bytes,
    name,
    mimeType: 'application/pdf',
    source: { kind: 'url', ref: `https://ris.example/${slug}.pdf` },
  });
}

/** The document as the viewer reads it: head and tail from openHead, the rest by readRange. */
function viewerBytes(id: string): { size: number; viewSize: number; bytes: Buffer; tailText: string } {
  const opened = cache.openHead(id, MiB);
  const parts: Buffer[] = [Buffer.from(opened.bytes)];
  const tailBegin = opened.tail?.begin ?? opened.viewSize;
  for (let at = opened.bytes.byteLength; at < tailBegin; at += MiB)
    parts.push(Buffer.from(cache.readRange(id, at, Math.min(tailBegin, at + MiB))));
  if (opened.tail) parts.push(Buffer.from(opened.tail.bytes));
  const bytes = Buffer.concat(parts);
  return {
    size: opened.meta.size,
    viewSize: opened.viewSize,
    bytes,
    tailText: Buffer.from(opened.tail?.bytes ?? new Uint8Array()).toString('latin1'),
  };
}

function documentFilesOnDisk(): string[] {
  return readdirSync(vault.documentsDir).sort();
}

const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('hex');

describe('a cached PDF with a flat page tree gets a balanced-page-tree update beside it (#15 target 3)', () => {
  test('computed at caching, read after the document by the viewer: pdf.js reads the same pages; the tail carries the trailer', async () => {
    const meta = putPdf(flat, 'bebauungsplan');
    await trees.idle();
    expect(computed).toHaveLength(1);
    const updateBytes = computed[0]?.updateBytes ?? 0;
    expect(updateBytes).toBeGreaterThan(1000);

    const view = viewerBytes(meta.id);
    expect(view.size).toBe(flat.byteLength);
    expect(view.viewSize).toBe(flat.byteLength + updateBytes);
    expect(view.bytes.subarray(0, flat.byteLength).equals(Buffer.from(flat))).toBe(true);
    // The first answer (head + last chunk) ends with the update's trailer and startxref: no extra round trip.
    expect(view.tailText).toMatch(/trailer\n<< \/Size \d+ \/Root \d+ 0 R \/Prev \d+[^>]*>>\nstartxref\n\d+\n%%EOF\n$/);
    // A range across the end of the stored bytes: the last stored bytes, then the update's first.
    const across = cache.readRange(meta.id, flat.byteLength - 10, flat.byteLength + 10);
    expect(Buffer.from(across).equals(view.bytes.subarray(flat.byteLength - 10, flat.byteLength + 10))).toBe(true);

    const [original, throughUpdate] = await Promise.all([
      readPdfPages(flat, CHECKED),
      readPdfPages(view.bytes, CHECKED),
    ]);
    expect(throughUpdate.numPages).toBe(PAGES);
    expect(throughUpdate).toEqual(original);
    expect(throughUpdate.pages[1]?.text).toContain('Haushaltssatzung der Stadt Musterstadt 2026');
    expect(throughUpdate.pages[600]?.text).toContain('Seite 600 von 600');
  });

  test('"Speichern unter", open and the checksum give the original bytes, not the update', async () => {
    const meta = putPdf(flat, 'bebauungsplan');
    await trees.idle();
    expect(cache.openHead(meta.id, MiB).viewSize).toBeGreaterThan(flat.byteLength);
    const exported = exportableDocument(cache, meta.id, true);
    expect(Buffer.from(exported.bytes).equals(Buffer.from(flat))).toBe(true);
    expect(sha512(exported.bytes)).toBe(meta.sha512);
    expect(Buffer.from(cache.open(meta.id).bytes).equals(Buffer.from(flat))).toBe(true);
    expect(Buffer.from(cache.readBytes(meta.id)).equals(Buffer.from(flat))).toBe(true);
    expect(cache.get(meta.id)?.size).toBe(flat.byteLength);
  });

  test('the update is encrypted at rest: its file is ciphertext of the recorded length, bound to its document', async () => {
    const meta = putPdf(flat, 'bebauungsplan');
    await trees.idle();
    const view = viewerBytes(meta.id);
    const update = view.bytes.subarray(flat.byteLength);
    const files = documentFilesOnDisk();
    expect(files).toHaveLength(2);
    const row = vault.guard((db) =>
      db
        .prepare<[string], { file_id: string; page_tree_file_id: string; page_tree_size: number }>(
          'SELECT file_id, page_tree_file_id, page_tree_size FROM documents WHERE id = ?',
        )
        .get(meta.id),
    );
    expect(row?.page_tree_size).toBe(update.byteLength);
    const onDisk = readFileSync(join(vault.documentsDir, row?.page_tree_file_id ?? ''));
    expect(onDisk.byteLength).toBe(documentFileLength(update.byteLength));
    for (const plain of ['/Type /Pages', 'startxref', 'trailer', update.subarray(0, 64).toString('latin1')])
      expect(onDisk.includes(Buffer.from(plain, 'latin1'))).toBe(false);

    // The update's file put in the document's place (same key): fails to decrypt rather than being read as it.
    const documentFile = join(vault.documentsDir, row?.file_id ?? '');
    writeFileSync(documentFile, onDisk);
    expect(() => cache.readRange(meta.id, 0, 10)).toThrow(expect.objectContaining({ code: 'VAULT_UNREADABLE' }));
  });

  test('removal, replacement, retention and eviction delete the update with the document', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    trees.dispose();
    await worker.dispose();
    start(() => now);
    const first = putPdf(flat, 'bebauungsplan');
    await trees.idle();
    expect(documentFilesOnDisk()).toHaveLength(2);
    cache.remove(first.id);
    expect(documentFilesOnDisk()).toEqual([]);

    // Replaced by a new fetch from the same address: the old document's update goes with it; the new one gets its own.
    const again = putPdf(flat, 'bebauungsplan');
    await trees.idle();
    const before = documentFilesOnDisk();
    const replaced = putPdf(flat, 'bebauungsplan');
    expect(documentFilesOnDisk().filter((f) => before.includes(f))).toEqual([]);
    await trees.idle();
    expect(documentFilesOnDisk()).toHaveLength(2);
    expect(cache.get(again.id)).toBeUndefined();
    expect(cache.openHead(replaced.id, MiB).viewSize).toBeGreaterThan(flat.byteLength);

    // Retention: not opened for longer than the retention days.
    now = new Date('2026-06-01T10:00:00Z');
    expect(cache.applyRetention()).toBe(1);
    expect(documentFilesOnDisk()).toEqual([]);

    // Eviction: a lower quota.
    putPdf(flat, 'bebauungsplan');
    await trees.idle();
    expect(documentFilesOnDisk()).toHaveLength(2);
    cache.setLimits({ quotaBytes: 1000 });
    expect(documentFilesOnDisk()).toEqual([]);
  });

  test('a document removed while its update is computed keeps nothing behind', async () => {
    const meta = putPdf(flat, 'bebauungsplan');
    const fileId = vault.guard((db) =>
      db.pluck<[string], string>('SELECT file_id FROM documents WHERE id = ?').get(meta.id),
    );
    cache.remove(meta.id);
    await trees.idle();
    expect(cache.storePageTree(meta.id, fileId ?? '', PAGE_TREE_VERSION, new Uint8Array(100))).toBe(false);
    expect(documentFilesOnDisk()).toEqual([]);
  });

  test('a damaged update file is dropped (at the next open, or when the cache opens): the document is read as stored', async () => {
    const meta = putPdf(flat, 'bebauungsplan');
    const cut = putPdf(flat, 'flaechennutzungsplan');
    await trees.idle();
    const treeFile = (id: string) =>
      join(
        vault.documentsDir,
        vault.guard((db) =>
          db.pluck<[string], string>('SELECT page_tree_file_id FROM documents WHERE id = ?').get(id),
        ) ?? '',
      );
    // One byte changed: found when the viewer opens it.
    const damaged = readFileSync(treeFile(meta.id));
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;
    writeFileSync(treeFile(meta.id), damaged);
    // Cut short: found when the cache opens.
    const whole = readFileSync(treeFile(cut.id));
    writeFileSync(treeFile(cut.id), whole.subarray(0, whole.byteLength - 7));
    expect(documentFilesOnDisk()).toHaveLength(4);
    trees.dispose();
    await worker.dispose();
    start();
    expect(documentFilesOnDisk()).toHaveLength(3);
    for (const id of [meta.id, cut.id]) {
      const view = viewerBytes(id);
      expect(view.viewSize).toBe(flat.byteLength);
      expect(view.bytes.equals(Buffer.from(flat))).toBe(true);
    }
    expect(documentFilesOnDisk()).toHaveLength(2);
    // Not computed again in this version (it was looked at): the viewer reads the file as it is.
    await trees.idle();
    expect(computed).toEqual([]);
  });

  test('no update for what does not need or allow one: a small PDF, a non-PDF, a damaged PDF; each looked at once', async () => {
    const small = putPdf(await makeTestPdf({ pages: 20 }), 'klein');
    const text = cache.put({
      bytes: Buffer.from('Tagesordnung\n'.repeat(1000)),
      name: 'tagesordnung.txt',
      mimeType: 'text/plain',
      source: { kind: 'url', ref: 'https://ris.example/to.txt' },
    });
    const damaged = putPdf(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(flat).subarray(5000)]), 'kaputt');
    await trees.idle();
    expect(Object.fromEntries(computed.map((c) => [c.documentId, [c.updateBytes, c.reason]]))).toEqual({
      [small.id]: [0, 'small or balanced'],
      [text.id]: [0, 'not a PDF'],
      [damaged.id]: [0, expect.any(String)],
    });
    for (const meta of [small, text, damaged]) expect(cache.openHead(meta.id, MiB).viewSize).toBe(meta.size);
    expect(documentFilesOnDisk()).toHaveLength(3);
    trees.kick();
    await trees.idle();
    expect(computed).toHaveLength(3);
  });
});
