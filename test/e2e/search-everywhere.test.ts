import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import { makeGermanPdf, makeScannedPdf } from '../support/german-test-pdf';
import type { AppHost } from './harness/app-host';

const USER = { user: 'suse', pass: 'Ueberall-Suchen-2026!' };

describe('"Überall suchen" (Ctrl+K) in Chromium over the real vault, Dovecot and the document text index', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let planPdf: Uint8Array;
  let scanPdf: Uint8Array;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { subject: 'Radweg Hauptstraße: Stellungnahme der Fraktion', body: 'Anbei unsere Stellungnahme zum Radweg.' },
      { subject: 'Einladung zum Sommerfest', body: 'Grillen im Stadtpark.' },
    ]);
    const pages = [1, 2, 3, 4, 5].map((n) => ({
      lines:
        n === 4
          ? [
              `Seite ${n}: Die Verwaltung legt die Radwegeplanung für die Hauptstraße vor.`,
              'Die Bürger-',
              'beteiligung beginnt im Mai.',
            ]
          : [`Seite ${n}: Allgemeine Hinweise zum Haushalt.`],
    }));
    planPdf = await makeGermanPdf(pages);
    scanPdf = await makeScannedPdf(2);
  });

  /** Two PDFs in the vault, their text indexed, the seeded mail synced: what the search reads. */
  async function putDocuments(h: AppHost): Promise<void> {
    const cache = await h.services.documents();
    cache.put({
      bytes: planPdf,
      name: 'Vorlage Radwegeplanung.pdf',
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/radweg.pdf' },
    });
    cache.put({
      bytes: scanPdf,
      name: 'Lageplan (Scan).pdf',
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/lageplan.pdf' },
    });
    await (await h.services.documentReaders())?.indexer.idle();
    await (await h.services.mailSessions.current()).sync.syncAll();
  }

  // Each test starts signed in with a vault of its own.
  beforeEach(async () => {
    host = await startSignedIn(dovecot, USER, { beforeOpen: putDocuments });
  });

  afterEach(async () => {
    await host?.close();
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('Ctrl+K searches mail and document text together; a document hit opens the viewer at its page, highlighted', async () => {
    const { page } = host;
    await page.getByRole('button', { name: 'Überall suchen' }).waitFor();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Überall suchen' });
    await dialog.waitFor();
    const field = dialog.getByRole('searchbox', { name: 'Suchbegriffe' });
    // ß folded to ss on both sides, prefix words: finds the mail ("Hauptstraße") and page 4 of the PDF.
    await field.fill('hauptstrasse radweg');
    const mails = dialog.getByRole('region', { name: /E-Mails/ });
    const documents = dialog.getByRole('region', { name: /Dokumente/ });
    await mails.getByRole('button', { name: /Radweg Hauptstraße/ }).waitFor();
    const hit = documents.getByRole('button', { name: /Vorlage Radwegeplanung\.pdf/ });
    await hit.waitFor();
    expect(await hit.textContent()).toContain('Seite 4');
    expect(await hit.textContent()).toContain('Radwegeplanung für die Hauptstraße');
    // Not matched: the summer party.
    expect(await dialog.getByText('Einladung zum Sommerfest').count()).toBe(0);
    await host.screenshot('search-everywhere-dialog');

    // Keyboard: from the field down to the hits; Enter opens the document hit.
    await field.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Radweg');
    await hit.focus();
    await page.keyboard.press('Enter');
    await page.locator('.pdf-page canvas[data-rendered-page="4"]').waitFor();
    // The words of the hit are highlighted on that page.
    await page.locator('.pdf-hit').first().waitFor();
    expect(await page.locator('.pdf-hit').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('searchbox', { name: 'Im Dokument suchen' }).inputValue()).toMatch(/Hauptstraße/);
    await host.screenshot('search-everywhere-document-at-page');
  });

  test('a word hyphenated at a line end is found whole and highlighted in the viewer', async () => {
    const { page } = host;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Überall suchen' });
    await dialog.getByRole('searchbox', { name: 'Suchbegriffe' }).fill('Bürgerbeteiligung');
    // The answer to this query (the last one's hits stay until it arrives).
    await dialog.getByRole('status').getByText('1 Treffer').waitFor();
    const hit = dialog
      .getByRole('region', { name: /Dokumente/ })
      .getByRole('button', { name: /Vorlage Radwegeplanung/ });
    await hit.click();
    await page.locator('.pdf-page canvas[data-rendered-page="4"]').waitFor();
    await expect.poll(() => page.locator('.pdf-search-status').textContent()).toBe('Treffer 1 von 1');
    // Two highlight boxes: "Bürger-" at the end of one line, "beteiligung" on the next.
    expect(await page.locator('.pdf-hit').count()).toBe(2);
  });

  test('the documents list marks a PDF without a text layer as "kein Text (gescannt)"', async () => {
    const { page } = host;
    await page.getByRole('button', { name: 'Dokumente' }).click();
    const row = page.getByRole('listitem', { name: 'Lageplan (Scan).pdf' });
    await row.waitFor();
    expect(await row.textContent()).toContain('kein Text (gescannt)');
    expect(await page.getByRole('listitem', { name: 'Vorlage Radwegeplanung.pdf' }).textContent()).not.toContain(
      'kein Text',
    );
  });
});
