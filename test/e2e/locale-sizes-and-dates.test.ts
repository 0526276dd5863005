import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { showArea, startSignedIn } from '../support/e2e-account';
import { buildMimeMessage } from '../support/mime-message';
import { A11Y_LANGUAGES, AREA_LABEL } from './harness/a11y-mailbox';
import type { AppHost } from './harness/app-host';

/** What each UI language writes for the same sizes, dates and counts. */
const EXPECTED = {
  de: {
    attachment: '(45,3 KB)',
    document: '1,2 MB',
    date: /^\d{2}\.\d{2}\.2026, \d{2}:\d{2}$/,
    listed: /^\d{2}\.\d{2}\.2026$/,
  },
  en: {
    attachment: '(45.3 KB)',
    document: '1.2 MB',
    date: /^\d{2}\/\d{2}\/2026, \d{2}:\d{2}$/,
    listed: /^\d{2}\/\d{2}\/2026$/,
  },
} as const;

/**
 * Sizes, dates and times in the UI language in Chromium against real Dovecot and the vault: an attachment's
 * size and the date in the reading pane, the date in the list, a document's size in the documents list.
 */
describe('locale everywhere: sizes and dates follow the UI language', () => {
  let dovecot: DovecotServer;
  let host: AppHost | undefined;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  for (const language of A11Y_LANGUAGES) {
    test(`${language}: attachment size, mail date and document size`, async () => {
      const user = { user: `locale-${language}`, pass: 'Format-2026!' };
      await dovecot.addUser(user);
      dovecot.seed(user.user, [
        {
          subject: '',
          raw: buildMimeMessage({
            from: 'Kämmerei <kaemmerei@stadt.example>',
            to: 'axel@stadt.example',
            subject: 'Anlage: Zahlen',
            date: new Date(Date.UTC(2026, 10, 20, 9)),
            messageId: 'locale-1@stadt.example',
            text: 'Die Zahlen anbei.',
            attachments: [
              {
                filename: 'Zahlen.txt',
                contentType: 'text/plain',
                content: new TextEncoder().encode('x'.repeat(45_300)),
              },
            ],
          }),
        },
      ]);
      host = await startSignedIn(dovecot, user, {
        async beforeOpen(h) {
          await h.context.addInitScript((lng) => localStorage.setItem('ratsdesk.language', lng), language);
          (await h.services.documents()).put({
            bytes: new Uint8Array(1_234_567),
            name: 'Haushaltsplan.bin',
            mimeType: 'application/octet-stream',
            source: { kind: 'upload', ref: 'e2e' },
          });
        },
      });
      const { page } = host;
      const row = page.locator('[role="listbox"] [role="option"]').filter({ hasText: 'Anlage: Zahlen' });
      expect(await row.locator('time').textContent()).toMatch(EXPECTED[language].listed);
      await row.click();
      const pane = page.locator('.reading-pane');
      await pane.locator('h2').filter({ hasText: 'Anlage: Zahlen' }).waitFor();
      expect((await pane.locator('dd time').first().textContent())?.trim()).toMatch(EXPECTED[language].date);
      const attachment = pane.locator('li').filter({ hasText: 'Zahlen.txt' });
      await expect.poll(() => attachment.textContent()).toContain(EXPECTED[language].attachment);

      await page.getByRole('navigation').getByRole('button', { name: AREA_LABEL[language].documents }).click();
      const doc = page.locator('[role="row"], li').filter({ hasText: 'Haushaltsplan.bin' }).first();
      await expect.poll(() => doc.textContent()).toContain(EXPECTED[language].document);
      await showArea(host, 'mail');
    });
  }
});
