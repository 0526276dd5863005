import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, type SeedMessage, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { BUDGET_CONVERSATION, conversationMail } from '../support/conversation-mail';
import type { SignedInOptions } from '../support/e2e-account';
import { A11Y_LANGUAGES, type A11yLanguage, AREA_LABEL, openMail, signedInWithLanguage } from './harness/a11y-mailbox';
import { type AppHost, startAppHost } from './harness/app-host';
import { AxeReport, type AxeViolation } from './harness/axe-check';
import { makeTestPdf } from './harness/test-pdf';

const PASSWORD = 'Barrierefrei-2026!';
const LANGUAGES = A11Y_LANGUAGES;
type Language = A11yLanguage;
const AREA = AREA_LABEL;

const report = new AxeReport();

/**
 * axe-core (WCAG 2.1 A/AA and best practices) inside Chromium on every view and dialog of #13, in German and
 * English, against the real services: 0 serious or critical violations. Every view's result goes to
 * test-results/axe.json.
 */
describe('accessibility check (axe-core) of every view, German and English', () => {
  let dovecot: DovecotServer;
  let host: AppHost | undefined;
  let mailboxes = 0;
  let pdf: Uint8Array;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    pdf = await makeTestPdf({ pages: 2 });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });
  afterAll(async () => {
    report.write();
    await stopAndRemove(dovecot);
  });

  /** Runs axe on the page as it is and expects no serious or critical violation (named in the failure; the test goes on to the next view). */
  async function expectAccessible(view: string, language: Language): Promise<void> {
    const bad: AxeViolation[] = await report.check(requireHost().page, view, language);
    await requireHost().screenshot(`axe-${view}-${language}`);
    expect.soft(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).join(', ')}`)).toEqual([]);
  }
  function requireHost(): AppHost {
    if (!host) throw new Error('no app host');
    return host;
  }

  async function signedIn(
    language: Language,
    options: SignedInOptions & { moreMail?: SeedMessage[] } = {},
  ): Promise<AppHost> {
    host = await signedInWithLanguage(dovecot, { user: `axel${++mailboxes}`, pass: PASSWORD }, pdf, language, options);
    return host;
  }
  const list = (h: AppHost) => h.page.locator('[role="listbox"]').first();

  describe.each(LANGUAGES)('in %s', (language) => {
    test('mail: inbox, reading pane (plain, HTML), compose, drafts/outbox, move picker, documents, PDF viewer, settings, remove-account confirmation, lock', async () => {
      const h = await signedIn(language);
      const { page } = h;
      await list(h).locator('[role="option"]').filter({ hasText: 'Klartext' }).waitFor();
      await expectAccessible('inbox', language);

      await openMail(h, 'Klartext: Tagesordnung');
      await expectAccessible('reading-pane-plain', language);
      await openMail(h, 'HTML: Pressemitteilung');
      await page.locator('iframe').first().waitFor();
      await expectAccessible('reading-pane-html', language);

      await list(h).focus();
      await page.keyboard.press('n');
      const compose = page.getByRole('dialog');
      await compose.waitFor();
      await expectAccessible('compose', language);
      await page.keyboard.press('Escape');
      await compose.waitFor({ state: 'hidden' });

      await list(h).focus();
      await page.keyboard.press('d');
      await page.getByRole('dialog').waitFor();
      await expectAccessible('drafts-outbox', language);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });

      await openMail(h, 'Klartext: Tagesordnung');
      await list(h).focus();
      await page.keyboard.press('m');
      await page.getByRole('dialog').waitFor();
      await expectAccessible('move-picker', language);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });

      // The message's context menu, opened from the keyboard (Shift+F10) on the active row.
      await list(h).focus();
      await page.keyboard.press('Shift+F10');
      await page.getByRole('menu').waitFor();
      await expectAccessible('context-menu', language);
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'hidden' });

      // The PDF attachment opens in the in-app viewer.
      await openMail(h, 'PDF: Haushaltssatzung');
      await page.locator('.reader-attachments button').first().click();
      await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
      await expectAccessible('pdf-viewer', language);

      // The viewer's notes panel with a page note in it, its editor open.
      const panel = page.locator('.notes-panel');
      await panel.locator('.notes-page-note textarea').fill('Axe');
      await panel.locator('.notes-page-note button[type="submit"]').click();
      await panel.locator('.notes-item').first().waitFor();
      await panel.locator('.notes-actions button').first().click();
      await panel.locator('.note-editor textarea').waitFor();
      await expectAccessible('pdf-notes-panel', language);

      // Back from the viewer to the documents list.
      await page.locator('.document-viewer-header button').first().click();
      await page.locator('.document-row').first().waitFor();
      await expectAccessible('documents-list', language);

      await page.getByRole('navigation').first().getByRole('button', { name: AREA[language].settings }).click();
      await page.locator('.settings-group').first().waitFor();
      await expectAccessible('settings', language);
      // "Konto entfernen" asks first (an alertdialog in the settings); Escape steps back.
      await page.locator('.danger-confirm button.danger').last().click();
      await page.getByRole('alertdialog').waitFor();
      await expectAccessible('remove-account-confirm', language);
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });

      await page.locator('button[aria-keyshortcuts="Control+Shift+L"]').click();
      await page.locator('input[type="password"]').waitFor();
      await expectAccessible('lock', language);
    });

    test('mail: the conversation list and an open conversation', async () => {
      const h = await signedIn(language, {
        moreMail: BUDGET_CONVERSATION.map((m) => ({ subject: m.subject, raw: conversationMail(m) })),
      });
      const { page } = h;
      await list(h).locator('[role="option"]').filter({ hasText: 'Haushalt 2027' }).first().waitFor();
      await page.locator('#mail-list-conversations').check();
      const conversation = list(h).locator('[role="option"][data-conversation="3"]');
      await conversation.waitFor();
      await expectAccessible('conversation-list', language);
      await conversation.click();
      const pane = page.locator('.reading-pane[data-conversation="3"]');
      await pane.waitFor();
      await pane.locator('.reader-conversation summary').last().click();
      await pane.getByText('Meine Anmerkungen zum Entwurf.').waitFor();
      await expectAccessible('conversation-reading-pane', language);
    });

    test('council information: search, paper, meeting, my bodies', async () => {
      const oparl: OparlTestServer = await startOparlServer({
        papers: 12,
        meetings: 4,
        organizations: 3,
        persons: 4,
        itemsPerMeeting: 3,
        pageSize: 20,
      });
      try {
        const h = await signedIn(language, {
          trust: { extraCaPem: [oparl.caPem] },
          ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
          async beforeOpen(x) {
            for (const body of await x.services.handlers.ris.bodies())
              await x.services.handlers.ris.sync({ bodyId: body.id });
          },
        });
        const { page } = h;
        await page.getByRole('navigation').first().getByRole('button', { name: AREA[language].ris }).click();
        await page.locator('.ris-bodies').waitFor();
        await page.locator('.ris-bodies li').first().waitFor();
        await expectAccessible('ris-my-bodies', language);

        const paper = oparl.generated.papersOfMeeting(1)[0] as number;
        await page.locator('.ris-search [role="search"] input').fill('Vorlage');
        await page.locator('.ris-hit').first().waitFor();
        await expectAccessible('ris-search', language);

        await page.locator('.ris-link-input input[type="url"]').fill(oparl.generated.paperWebUrl(paper));
        await page.locator('.ris-link-input button[type="submit"]').click();
        await page.locator('.ris-main article h1').waitFor();
        await expectAccessible('ris-paper', language);

        await page
          .locator('.ris-link-input input[type="url"]')
          .fill(oparl.generated.meetingWebUrl(oparl.generated.meetings - 1));
        await page.locator('.ris-link-input button[type="submit"]').click();
        await page.locator('.ris-main article ol, .ris-main article ul').first().waitFor();
        await expectAccessible('ris-meeting', language);
      } finally {
        await host?.close();
        host = undefined;
        await oparl.stop();
      }
    });

    test('onboarding: the first start without an account', async () => {
      host = await startAppHost();
      await host.context.addInitScript((lng) => localStorage.setItem('ratsdesk.language', lng), language);
      await host.open();
      await host.page.locator('form input').first().waitFor();
      await expectAccessible('onboarding', language);
    });
  });
});
