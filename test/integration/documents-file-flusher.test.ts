import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DocumentFileFlusher } from '../../electron/services/documents/document-file-flusher';
import {
  newDocumentFileId,
  newDocumentKey,
  readDocumentFile,
  writeDocumentFileUnsynced,
} from '../../electron/services/documents/document-file-format';

// Group commit of document files (#15 target 2, an offline meeting's files): real files in a real folder.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-flusher-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function written(size = 4096) {
  const fileId = newDocumentFileId();
  const documentId = randomUUID();
  const key = newDocumentKey();
  const bytes = randomBytes(size);
  const file = await writeDocumentFileUnsynced(dir, fileId, documentId, key, bytes);
  return { file, ref: { path: join(dir, fileId), documentId, key, size }, bytes, fileId };
}

describe('DocumentFileFlusher', () => {
  test('files written side by side become whole files under their names, in fewer flushes than files', async () => {
    const flusher = new DocumentFileFlusher(dir);
    const docs = await Promise.all(Array.from({ length: 24 }, () => written()));
    await Promise.all(docs.map((d) => flusher.flush(d.file)));
    expect(readdirSync(dir).sort()).toEqual(docs.map((d) => d.fileId).sort());
    for (const d of docs) expect(readDocumentFile(d.ref).equals(d.bytes)).toBe(true);
    // The 24 waited together: one folder fsync for the first, one for the 23 that arrived meanwhile.
    expect(flusher.flushes).toBeLessThanOrEqual(2);
  });

  test('a file that cannot be made durable fails alone and leaves neither name; its group still lands', async () => {
    const flusher = new DocumentFileFlusher(dir);
    const good = await Promise.all([written(), written()]);
    const bad = await written();
    await bad.file.handle.close(); // its fsync now fails (EBADF), as a failing disk would
    const results = await Promise.allSettled([...good, bad].map((d) => flusher.flush(d.file)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(readdirSync(dir).sort()).toEqual(good.map((d) => d.fileId).sort());
    for (const d of good) expect(readDocumentFile(d.ref).equals(d.bytes)).toBe(true);
  });
});
