import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { makeDocx, makeXlsx } from '../support/office-test-files';
import { type AppHost, startAppHost } from './harness/app-host';

const USER = { user: 'otto', pass: 'Office-Vorschau-2026!' };

describe('office previews in Chromium: Word in a sandboxed frame, workbooks with a sheet switcher, no network', () => {
  let dovecot: DovecotServer;
  let host: AppHost;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    await host.services.handlers.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      password: USER.pass,
    });
    const cache = await host.services.documents();
    cache.put({
      bytes: await makeDocx('Beschlussvorlage Radverkehr', [
        'Die Verwaltung schlägt vor, den Radweg zu verbreitern.',
        '<img src="https://tracker.example/pixel.png"> bleibt Text.',
      ]),
      name: 'Vorlage.docx',
      mimeType: 'application/octet-stream',
      source: { kind: 'message', ref: 'acct/INBOX/3/2' },
    });
    cache.put({
      bytes: await makeXlsx({
        Haushalt: [
          ['Produkt', 'Ansatz'],
          ['Straßenunterhaltung', 1200000],
        ],
        Stellen: [
          ['Amt', 'Stellen'],
          ['Tiefbauamt', 42],
        ],
      }),
      name: 'Haushalt.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      source: { kind: 'message', ref: 'acct/INBOX/3/3' },
    });
    cache.put({
      bytes: await makeDocx('Bombe', ['x'], { 'word/media/zeros.bin': new Uint8Array(40 * 1024 * 1024) }),
      name: 'Bombe.docx',
      mimeType: 'application/octet-stream',
      source: { kind: 'message', ref: 'acct/INBOX/3/4' },
    });
    await host.open();
    await host.page.getByRole('button', { name: 'Dokumente' }).click();
  });

  afterAll(async () => {
    await host?.close();
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
