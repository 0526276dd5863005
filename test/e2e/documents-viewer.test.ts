import { existsSync, readFileSync, statSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';
import { makeTestPdf, TEST_PDF_PAGE1_WORDS } from './harness/test-pdf';
import { inkedPixels } from './harness/canvas-ink';

const USER = { user: 'dora', pass: 'Dokumente-2026!' };

/** A small valid PNG (solid colour), built with zlib: enough for the inline image viewer. */
function solidPng(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([0x0b, 0x5c, 0xad]))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('Documents area and in-app viewer, in Chromium over the real vault and keychain', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let pdfBytes: Uint8Array;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [{ subject: 'Einladung zur Ratssitzung' }]);
    pdfBytes = await makeTestPdf({ pages: 12 });
  });

  /** Three documents in the vault: a PDF from the RIS, an image from a mail, a text the person added. */
  async function putDocuments(h: AppHost): Promise<void> {
    const cache = await h.services.documents();
    ids.pdf = cache.put({
      bytes: pdfBytes,
      name: 'Haushaltssatzung 2026.pdf',
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/4711/haushalt.pdf' },
    }).id;
    ids.png = cache.put({
      bytes: solidPng(64, 48),
      name: 'Lageplan.png',
      mimeType: 'image/png',
      source: { kind: 'message', ref: 'acct/INBOX/7/2' },
    }).id;
    ids.txt = cache.put({
      bytes: new TextEncoder().encode('Protokoll'),
      name: 'Protokoll.txt',
      mimeType: 'text/plain',
      source: { kind: 'upload', ref: 'upload-1' },
    }).id;
  }

  // Each test starts signed in with a vault of its own holding the three documents, on the Documents area.
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

  const row = (name: string) => host.page.getByRole('listitem', { name });

  test('lists name, source, size, pinned and last opened; pin, unpin and remove work; usage follows', async () => {
    const { page } = host;
    const list = page.getByRole('list', { name: 'Gespeicherte Dokumente' });
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(3);
    const pdfRow = row('Haushaltssatzung 2026.pdf');
    const pdfText = (await pdfRow.textContent()) ?? '';
    expect(pdfText).toContain('ris.musterstadt.example');
    expect(pdfText).toContain('noch nie geöffnet');
    expect(pdfText).toMatch(/\d+(,\d)? KB/);
    expect(await row('Lageplan.png').textContent()).toContain('E-Mail-Anhang');
    expect(await row('Protokoll.txt').textContent()).toContain('9 B');

    const usage = page.getByText(/^Belegt: /);
    expect(await usage.textContent()).toContain('von 2,1 GB');
    expect(await page.getByText('3 Dokumente').count()).toBe(1);

    // pin, then unpin: the state is the vault's, not just the button's
    const pin = pdfRow.getByRole('button', { name: 'Anheften' });
    await pin.click();
    await expect.poll(() => pin.getAttribute('aria-pressed')).toBe('true');
    expect((await host.services.documents()).get(ids.pdf ?? '')?.pinned).toBe(true);
    expect(await pdfRow.textContent()).toContain('angeheftet');
    await pin.click();
    await expect.poll(() => pin.getAttribute('aria-pressed')).toBe('false');
    expect((await host.services.documents()).get(ids.pdf ?? '')?.pinned).toBe(false);

    // remove
    await page.getByRole('button', { name: 'Protokoll.txt entfernen' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect((await host.services.documents()).get(ids.txt ?? '')).toBeUndefined();
    await page.getByText('2 Dokumente').waitFor();
    expect((await host.services.documents()).usage().count).toBe(2);

    // the image opens inline, from a blob: URL
    await row('Lageplan.png').getByRole('button', { name: 'Lageplan.png', exact: true }).click();
    const img = page.getByRole('img', { name: 'Lageplan.png' });
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await page.keyboard.press('Escape');
    await list.waitFor();
    // opening recorded the time
    expect(await row('Lageplan.png').textContent()).not.toContain('noch nie geöffnet');
  });

  test('a cached PDF opens in the viewer: page 1 rendered, search finds and highlights a word, save as, keyboard', async () => {
    const { page } = host;
    await row('Haushaltssatzung 2026.pdf')
      .getByRole('button', { name: 'Haushaltssatzung 2026.pdf', exact: true })
      .click();
    const canvas = page.locator('.pdf-page canvas[data-rendered-page="1"]');
    await canvas.waitFor();
    // The page is really drawn: many pixels differ from the white page background.
    const inked = await inkedPixels(canvas);
    expect(inked.n).toBeGreaterThan(5000);
    expect(inked.n).toBeLessThan(inked.total);
    expect(await page.getByText('von 12').count()).toBeGreaterThan(0);

    // search: a word of page 1
    const search = page.getByRole('searchbox', { name: 'Im Dokument suchen' });
    await search.fill(TEST_PDF_PAGE1_WORDS[1].toLowerCase());
    await search.press('Enter');
    const status = page.locator('.pdf-search-status');
    await expect.poll(() => status.textContent()).toBe('Treffer 1 von 1');
    await page.locator('.pdf-hit.current').waitFor();
    const hit = await page.locator('.pdf-hit.current').boundingBox();
    expect(hit?.width).toBeGreaterThan(20);
    const shot = await host.screenshot('documents-pdf-viewer');
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    // a word on every page: hits across pages; "next" moves to page 2
    await search.fill('Abschnitt');
    await search.press('Enter');
    await expect.poll(() => status.textContent()).toBe('Treffer 1 von 12');
    await page.getByRole('button', { name: 'Nächster Treffer' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();

    // keyboard: PageDown / End / Home on the page, + zooms
    await page.locator('.pdf-page-scroll').focus();
    await page.keyboard.press('PageDown');
    await page.locator('.pdf-page canvas[data-rendered-page="3"]').waitFor();
    await page.keyboard.press('End');
    await page.locator('.pdf-page canvas[data-rendered-page="12"]').waitFor();
    await page.keyboard.press('Home');
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    const before = await page.locator('.pdf-page canvas').evaluate((c) => (c as HTMLCanvasElement).width);
    await page.keyboard.press('+');
    await expect.poll(() => page.locator('.pdf-toolbar output').textContent()).toBe('125 %');
    await expect
      .poll(() =>
        page.locator('.pdf-page canvas[data-rendered-page="1"]').evaluate((c) => (c as HTMLCanvasElement).width),
      )
      .toBeGreaterThan(before);

    // thumbnails: virtualized (far fewer than 12 exist), a click shows that page
    const thumbs = page.getByRole('navigation', { name: 'Seitenübersicht' }).getByRole('button');
    await thumbs.first().waitFor();
    expect(await thumbs.count()).toBeLessThan(12);
    await page.getByRole('button', { name: 'Seite 2', exact: true }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();

    // Save as…: the host writes the very bytes
    await page.getByRole('button', { name: 'Speichern unter …' }).click();
    await page.getByText('„Haushaltssatzung 2026.pdf“ wurde gespeichert.').waitFor();
    expect(host.savedFiles).toHaveLength(1);
    expect(Buffer.compare(readFileSync(host.savedFiles[0] ?? ''), Buffer.from(pdfBytes))).toBe(0);

    // when export is not allowed, the host refuses with a stable code
    host.services.setExportAllowed(false);
    const refused = await page.evaluate(
      (id) =>
        (
          window as unknown as { ratsdesk: { app: { saveDocumentAs(i: { id: string }): Promise<unknown> } } }
        ).ratsdesk.app.saveDocumentAs({ id }),
      ids.pdf ?? '',
    );
    expect(refused).toEqual({ ok: false, error: { code: 'EXPORT_FORBIDDEN' } });
    host.services.setExportAllowed(true);

    await page.getByRole('button', { name: 'Zurück zur Liste' }).click();
    await page.getByRole('list', { name: 'Gespeicherte Dokumente' }).waitFor();
    expect(host.foreignRequests).toEqual([]);
  });

  test('"remove all local data" deletes vault and key and returns to first run', async () => {
    const { page } = host;
    expect(existsSync(host.services.vaultFile)).toBe(true);
    await page.getByRole('button', { name: 'Alle lokalen Daten entfernen …' }).click();
    const confirm = page.getByRole('button', { name: 'Ja, alles entfernen' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await confirm.click();
    await page.getByRole('heading', { name: 'Dienstliches Postfach verbinden' }).waitFor();
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(`${host.services.vaultFile}${suffix}`)).toBe(false);
    expect(await host.services.keychain.accounts()).toEqual([]);
    expect((await host.services.account.status()).configured).toBe(false);
  });
});
