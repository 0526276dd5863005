import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import type { SignedInOptions } from '../support/e2e-account';
import { openMail, signedInWithLanguage } from './harness/a11y-mailbox';
import type { AppHost } from './harness/app-host';
import { runAxe } from './harness/axe-check';
import { makeTestPdf } from './harness/test-pdf';

const PASSWORD = 'Kontrast-2026!';

/** Relative luminance (WCAG) of a computed CSS colour `rgb(r, g, b)`. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/**
 * How the app looks for people who need it to: a dark theme that follows the system, Windows high contrast
 * (forced-colors), and 200% zoom without horizontal scrolling — in Chromium, against the real services.
 */
describe('dark theme, forced colours and 200% zoom', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost | undefined;
  let pdf: Uint8Array;
  let mailboxes = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    pdf = await makeTestPdf({ pages: 2 });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
    await oparl?.stop().catch(() => undefined);
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  /** Signed in (German), with a council of its own imported into the vault. */
  async function signedInWithCouncil(options: SignedInOptions = {}): Promise<AppHost> {
    oparl = await startOparlServer({
      papers: 8,
      meetings: 3,
      organizations: 2,
      persons: 3,
      itemsPerMeeting: 2,
      pageSize: 20,
    });
    const { beforeOpen, ...rest } = options;
    host = await signedInWithLanguage(dovecot, { user: `kira${++mailboxes}`, pass: PASSWORD }, pdf, 'de', {
      ...rest,
      trust: { extraCaPem: [oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
      async beforeOpen(h) {
        for (const body of await h.services.handlers.ris.bodies())
          await h.services.handlers.ris.sync({ bodyId: body.id });
        await beforeOpen?.(h);
      },
    });
    return host;
  }

  async function openMeeting(h: AppHost): Promise<void> {
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Ratsinfo' }).click();
    await h.page.getByLabel('Link aus dem Ratsinformationssystem').fill(oparl.generated.meetingWebUrl(0));
    await h.page.getByRole('button', { name: 'Link öffnen' }).click();
    await h.page
      .getByRole('article')
      .getByRole('list', { name: /^Tagesordnung/ })
      .waitFor();
  }

  async function openPdf(h: AppHost): Promise<void> {
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'E-Mail' }).click();
    await openMail(h, 'PDF: Haushaltssatzung');
    await h.page.getByRole('button', { name: '„Haushaltssatzung.pdf“ öffnen' }).click();
    await h.page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
  }

  /** The page background and the text colour of the view's main content, as computed. */
  async function colours(h: AppHost): Promise<{ bg: number; fg: number }> {
    const [bg, fg] = await h.page.evaluate(() => {
      const main = document.querySelector('main') as HTMLElement;
      return [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(main).color];
    });
    return { bg: luminance(bg), fg: luminance(fg) };
  }

  async function expectNoSeriousAxe(h: AppHost, view: string): Promise<void> {
    const bad = (await runAxe(h.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect.soft(bad.map((v) => `${view}: ${v.id} — ${v.nodes.slice(0, 3).join(', ')}`)).toEqual([]);
  }

  test('the system in dark mode: inbox, meeting and PDF viewer are dark, readable, and pass axe', async () => {
    const h = await signedInWithCouncil({
      async beforeOpen(x) {
        await x.page.emulateMedia({ colorScheme: 'dark' });
      },
    });
    await openMail(h, 'Klartext: Tagesordnung');
    const inbox = await colours(h);
    expect(inbox.bg).toBeLessThan(0.05);
    expect(inbox.fg).toBeGreaterThan(0.6);
    await expectNoSeriousAxe(h, 'inbox');
    await h.screenshot('dark-inbox');

    await openMeeting(h);
    await expectNoSeriousAxe(h, 'ris-meeting');
    await h.screenshot('dark-meeting');

    await openPdf(h);
    expect((await colours(h)).bg).toBeLessThan(0.05);
    await expectNoSeriousAxe(h, 'pdf-viewer');
    await h.screenshot('dark-pdf-viewer');

    // The system switches back to light while the app runs: the app follows at once.
    await h.page.emulateMedia({ colorScheme: 'light' });
    expect((await colours(h)).bg).toBeGreaterThan(0.9);
  });

  test('Windows high contrast (forced-colors): the selected message and the current area keep a visible mark', async () => {
    const h = await signedInWithCouncil({
      async beforeOpen(x) {
        await x.page.emulateMedia({ forcedColors: 'active' });
      },
    });
    await openMail(h, 'Klartext: Tagesordnung');
    const [selected, other, highlight] = await h.page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.backgroundColor = 'Highlight';
      document.body.append(probe);
      const hl = getComputedStyle(probe).backgroundColor;
      probe.remove();
      const sel = document.querySelector('[role="option"][aria-selected="true"]');
      const rest = document.querySelector('[role="option"]:not([aria-selected="true"])');
      return [sel ? getComputedStyle(sel).backgroundColor : '', rest ? getComputedStyle(rest).backgroundColor : '', hl];
    });
    expect(selected).toBe(highlight);
    expect(other).not.toBe(highlight);
    const current = await h.page.evaluate(() => {
      const b = document.querySelector('.area-nav [aria-current="page"]');
      return b ? getComputedStyle(b).backgroundColor : '';
    });
    expect(current).toBe(highlight);
    await h.screenshot('forced-colors-inbox');
  });

  test('200% zoom: inbox, reading pane, meeting, documents, PDF viewer, settings, Heute and Termine need no horizontal scrolling', async () => {
    const h = await signedInWithCouncil();
    // 200% zoom of the 1200×800 window: the page lays out in 600×400 CSS pixels.
    await h.page.setViewportSize({ width: 600, height: 400 });
    const overflow = () =>
      h.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const check = async (view: string) => {
      expect.soft(await overflow(), `${view} scrolls sideways at 200%`).toBeLessThanOrEqual(0);
      await h.screenshot(`zoom200-${view}`);
    };
    await h.page.locator('[role="listbox"] [role="option"]').first().waitFor();
    await check('inbox');
    await openMail(h, 'Klartext: Tagesordnung');
    await check('reading-pane');
    await openMeeting(h);
    await check('ris-meeting');
    await openPdf(h);
    await check('pdf-viewer');
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Dokumente' }).click();
    await h.page.locator('.document-viewer-header button').first().click();
    await h.page.locator('.document-row').first().waitFor();
    await check('documents-list');
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Einstellungen' }).click();
    await h.page.locator('.settings-group').first().waitFor();
    await check('settings');
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Heute' }).click();
    await h.page
      .getByRole('region', { name: 'Nächste Sitzungen meiner Gremien' })
      .getByRole('listitem')
      .first()
      .waitFor();
    await check('heute');
    await h.page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Termine' }).click();
    await h.page.locator('.calendar-area h1').waitFor();
    await check('calendar');
  });
});
