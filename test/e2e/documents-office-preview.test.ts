import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import { makeDocx, makeXlsx } from '../support/office-test-files';
import type { AppHost } from './harness/app-host';

const USER = { user: 'otto', pass: 'Office-Vorschau-2026!' };

describe('office previews in Chromium: Word in a sandboxed frame, workbooks with a sheet switcher, no network', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  const files: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    files.docx = await makeDocx('Beschlussvorlage Radverkehr', [
      'Die Verwaltung schlägt vor, den Radweg zu verbreitern.',
      '<img src="https://tracker.example/pixel.png"> bleibt Text.',
    ]);
    files.xlsx = await makeXlsx({
      Haushalt: [
        ['Produkt', 'Ansatz'],
        ['Straßenunterhaltung', 1200000],
      ],
      Stellen: [
        ['Amt', 'Stellen'],
        ['Tiefbauamt', 42],
      ],
    });
    files.bomb = await makeDocx('Bombe', ['x'], { 'word/media/zeros.bin': new Uint8Array(40 * 1024 * 1024) });
  });

  /** A Word document, a workbook and a zip bomb, as mail attachments in the vault. */
  async function putDocuments(h: AppHost): Promise<void> {
    const cache = await h.services.documents();
    const put = (name: string, bytes: Uint8Array | undefined, mimeType: string, uid: number) =>
      cache.put({
        bytes: bytes ?? new Uint8Array(0),
        name,
        mimeType,
        source: { kind: 'message', ref: `acct/INBOX/3/${uid}` },
      });
    put('Vorlage.docx', files.docx, 'application/octet-stream', 2);
    put('Haushalt.xlsx', files.xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 3);
    put('Bombe.docx', files.bomb, 'application/octet-stream', 4);
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

  const open = async (name: string) => {
    const list = host.page.getByRole('list', { name: 'Gespeicherte Dokumente' });
    await list.waitFor();
    await list.getByRole('listitem', { name }).getByRole('button', { name, exact: true }).click();
  };
  const back = () => host.page.getByRole('button', { name: 'Zurück zur Liste' }).click();

  test('a Word document shows as HTML in a frame with an empty sandbox; markup in its text stays text', async () => {
    const { page } = host;
    await open('Vorlage.docx');
    const frame = page.locator('iframe.office-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const inner = page.frameLocator('iframe.office-frame');
    await inner.getByRole('heading', { name: 'Beschlussvorlage Radverkehr' }).waitFor();
    expect(await inner.locator('body').textContent()).toContain('<img src="https://tracker.example/pixel.png">');
    expect(await inner.locator('img').count()).toBe(0);
    await host.screenshot('documents-office-word');
    await back();
    expect(host.foreignRequests).toEqual([]);
  });

  test('a workbook shows its sheets as tables; the arrow keys switch sheets', async () => {
    const { page } = host;
    await open('Haushalt.xlsx');
    const tabs = page.getByRole('tablist', { name: 'Tabellenblätter' });
    await tabs.waitFor();
    await page.getByRole('table', { name: 'Haushalt' }).getByRole('cell', { name: 'Straßenunterhaltung' }).waitFor();
    await tabs.getByRole('tab', { name: 'Haushalt' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('table', { name: 'Stellen' }).getByRole('cell', { name: 'Tiefbauamt' }).waitFor();
    expect(await tabs.getByRole('tab', { name: 'Stellen' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stellen');
    await back();
  });

  test('a zip bomb is refused with a sentence, and the app goes on', async () => {
    const { page } = host;
    await open('Bombe.docx');
    const alert = page.locator('[data-error-code="DOCUMENT_PREVIEW_REFUSED"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Die Vorschau wurde zu Ihrem Schutz abgebrochen');
    await back();
    await open('Vorlage.docx');
    await page.locator('iframe.office-frame').waitFor();
  });
});
