import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';
import { makeTestPdf } from './harness/test-pdf';

const USER = { user: 'rita', pass: 'Bereiche-2026!' };
const NAME = 'Haushaltsplan 2026 (Entwurf).pdf';
const FLAT = 'Altbestand Haushaltsplan 2019.pdf';
const PAGES = 40;
/** Many pages under one /Pages node, as LibreOffice or Ghostscript write them: cached with a page-tree update. */
const MANY = 'Bebauungsplan Anlagen.pdf';
const MANY_PAGES = 600;

describe('a large cached PDF is read by ranges (#15 target 3), in Chromium over the real vault', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let compact: Uint8Array;
  let flat: Uint8Array;
  let many: Uint8Array;
  let size = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    // As PDF 1.5+ producers write it: page dictionaries together in object streams.
    compact = await makeTestPdf({ pages: PAGES, targetBytes: 16_000_000, objectStreams: true });
    size = compact.byteLength;
    // As older producers write it: each page dictionary next to its page's image, in a flat page tree.
    flat = await makeTestPdf({ pages: PAGES, targetBytes: 16_000_000, title: 'Altbestand' });
    many = await makeTestPdf({ pages: MANY_PAGES, targetBytes: 6_000_000, objectStreams: true });
  });

  async function putDocuments(h: AppHost): Promise<void> {
    const cache = await h.services.documents();
    cache.put({
      bytes: compact,
      name: NAME,
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/haushalt-2026.pdf' },
    });
    cache.put({
      bytes: flat,
      name: FLAT,
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/haushalt-2019.pdf' },
    });
    cache.put({
      bytes: many,
      name: MANY,
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/bebauungsplan-anlagen.pdf' },
    });
  }

  // Each test starts signed in with a vault of its own, on the Documents area.
  beforeEach(async () => {
    host = await startSignedIn(dovecot, USER, { beforeOpen: putDocuments });
    await host.page.getByRole('button', { name: 'Dokumente' }).click();
  });

  afterEach(async () => {
    await host?.close();
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('the first page shows after a few MiB are decrypted; later pages and search read what they need', async () => {
    const { page } = host;
    const cache = await host.services.documents();
    const ranges = vi.spyOn(cache, 'readRange');
    const before = cache.rangeBytesDecrypted;
    await page.getByRole('button', { name: NAME, exact: true }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    expect(await page.getByText(`von ${PAGES}`).count()).toBeGreaterThan(0);
    const forPage1 = cache.rangeBytesDecrypted - before;
    // The last chunk (trailer, cross-reference stream, page tree) came with the head: pdf.js's first question
    // after the head costs no second round trip.
    expect(ranges.mock.calls.filter(([, , end]) => end === size)).toEqual([]);
    // The head chunk, the chunk with the trailer and page tree, the chunks of page 1 and of the first
    // thumbnails drawn beside it: a few MiB of the 16 MB file, never all of it.
    expect(forPage1).toBeGreaterThan(0);
    expect(forPage1).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(size).toBeGreaterThan(15_000_000);

    // The last page: its chunk is read then.
    await page.locator('.pdf-page-scroll').focus();
    await page.keyboard.press('End');
    await page.locator(`.pdf-page canvas[data-rendered-page="${PAGES}"]`).waitFor();
    expect(cache.rangeBytesDecrypted - before).toBeGreaterThan(forPage1);

    // Search reads the text of every page (by ranges too) and finds a word on the last one.
    const search = page.getByRole('searchbox', { name: 'Im Dokument suchen' });
    await search.fill('Abschnitt');
    await search.press('Enter');
    await expect
      .poll(() => page.locator('.pdf-search-status').textContent(), { timeout: 30_000 })
      .toBe(`Treffer 1 von ${PAGES}`);
    expect(host.foreignRequests).toEqual([]);
  });

  test('a PDF whose page dictionaries are spread over the file opens too (read whole after a few ranges)', async () => {
    const { page } = host;
    const cache = await host.services.documents();
    const before = cache.rangeBytesDecrypted;
    await page.getByRole('button', { name: FLAT, exact: true }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    expect(await page.getByText(`von ${PAGES}`).count()).toBeGreaterThan(0);
    // Read whole, once: not every chunk over and over.
    const read = cache.rangeBytesDecrypted - before;
    expect(read).toBeGreaterThan(15_000_000);
    expect(read).toBeLessThan(2 * 17_000_000);
  });

  test('a PDF with 600 pages under one node opens through its page-tree update: same pages, the update read with the head', async () => {
    const { page } = host;
    const readers = await host.services.documentReaders();
    await readers?.pageTrees.idle();
    const cache = await host.services.documents();
    const meta = cache.list().find((d) => d.name === MANY);
    if (!meta) throw new Error('not cached');
    const heads = vi.spyOn(cache, 'openHead');
    const ranges = vi.spyOn(cache, 'readRange');
    await page.getByRole('button', { name: MANY, exact: true }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    expect(await page.getByText(`von ${MANY_PAGES}`).count()).toBeGreaterThan(0);
    // The viewer was given the document with its update after it, and the update's trailer came with the head.
    const viewSize = heads.mock.results[0]?.type === 'return' ? heads.mock.results[0].value.viewSize : 0;
    expect(viewSize).toBeGreaterThan(meta.size);
    expect(ranges.mock.calls.filter(([, , end]) => end > meta.size)).toEqual([]);

    // The last page is the file's last page (its own text), drawn through the new tree.
    await page.locator('.pdf-page-scroll').focus();
    await page.keyboard.press('End');
    await page.locator(`.pdf-page canvas[data-rendered-page="${MANY_PAGES}"]`).waitFor();
    await expect
      .poll(() => page.locator('.pdf-page').textContent(), { timeout: 15_000 })
      .toContain(`Seite ${MANY_PAGES} von ${MANY_PAGES}`);

    // "Speichern unter" writes the stored bytes, not the update.
    await page.getByRole('button', { name: 'Speichern unter …' }).click();
    await page.getByText(`„${MANY}“ wurde gespeichert.`).waitFor();
    expect(host.savedFiles).toHaveLength(1);
    expect(Buffer.compare(readFileSync(host.savedFiles[0] ?? ''), Buffer.from(many))).toBe(0);
  });
});
