import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { showArea, startSignedIn } from '../support/e2e-account';
import { buildMimeMessage } from '../support/mime-message';
import type { AppHost } from './harness/app-host';
import { makeTestPdf } from './harness/test-pdf';

const USER = { user: 'mara', pass: 'Menue-2026!' };

/**
 * The context menus of attachments (reading pane) and documents (documents list) in Chromium against real
 * Dovecot and the vault: right-click, the Menu key and Shift+F10 open them, they offer what the buttons do,
 * and Escape puts the focus back where it was.
 */
describe('context menus on attachments and documents', () => {
  let dovecot: DovecotServer;
  let host: AppHost;

  beforeAll(async () => {
    const pdf = await makeTestPdf({ pages: 1 });
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      {
        subject: '',
        raw: buildMimeMessage({
          from: 'Kämmerei <kaemmerei@stadt.example>',
          to: 'mara@stadt.example',
          subject: 'Satzung mit Anlage',
          date: new Date(),
          messageId: 'menu-1@stadt.example',
          text: 'Anbei die Satzung.',
          attachments: [{ filename: 'Satzung.pdf', contentType: 'application/pdf', content: pdf }],
        }),
      },
    ]);
    host = await startSignedIn(dovecot, USER, {
      async beforeOpen(h) {
        (await h.services.documents()).put({
          bytes: new TextEncoder().encode('Beschluss des Rates'),
          name: 'Beschluss.txt',
          mimeType: 'text/plain',
          source: { kind: 'upload', ref: 'e2e' },
        });
      },
    });
  });
  afterAll(async () => {
    await host?.close();
    await stopAndRemove(dovecot);
  });

  const focusedLabel = () =>
    host.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);

  test('an attachment: right-click, Shift+F10 and the Menu key open "Öffnen"; Escape returns focus; Öffnen opens it', async () => {
    const { page } = host;
    await page.locator('[role="listbox"] [role="option"]').filter({ hasText: 'Satzung mit Anlage' }).click();
    const attachments = page.getByRole('region', { name: 'Anhänge' });
    const item = attachments.getByRole('listitem').filter({ hasText: 'Satzung.pdf' });
    const button = attachments.getByRole('button', { name: '„Satzung.pdf“ öffnen' });
    await button.waitFor();
    const menu = page.getByRole('menu', { name: 'Anhang „Satzung.pdf“' });

    await item.click({ button: 'right' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Öffnen']);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusedLabel()).toBe('„Satzung.pdf“ öffnen');

    for (const key of ['Shift+F10', 'ContextMenu']) {
      await button.focus();
      await page.keyboard.press(key);
      await menu.waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      expect(await focusedLabel(), key).toBe('„Satzung.pdf“ öffnen');
    }

    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    await showArea(host, 'mail');
  });

  test('a document: right-click, Shift+F10 and the Menu key offer Öffnen, Anheften, Entfernen; Escape returns focus', async () => {
    const { page } = host;
    await showArea(host, 'documents');
    const back = page.locator('.document-viewer-header button').first();
    if (await back.isVisible()) await back.click();
    const row = page.getByRole('listitem', { name: 'Beschluss.txt' });
    const name = row.locator('.doc-name button');
    await name.waitFor();
    const menu = page.getByRole('menu', { name: 'Dokument „Beschluss.txt“' });

    await row.click({ button: 'right' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Öffnen', 'Anheften', 'Entfernen']);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusedLabel()).toBe('Beschluss.txt');

    // Shift+F10: "Anheften" with the arrow key and Enter; the menu says so when it opens again (Menu key).
    await name.focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Anheften');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    await name.focus();
    await page.keyboard.press('ContextMenu');
    await menu.waitFor();
    await expect
      .poll(() => menu.getByRole('menuitem').allTextContents())
      .toEqual(['Öffnen', 'Nicht mehr anheften', 'Entfernen']);
    await host.screenshot('documents-context-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusedLabel()).toBe('Beschluss.txt');
  });
});
