import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { showArea, startSignedIn } from '../support/e2e-account';
import { buildMimeMessage } from '../support/mime-message';
import type { AppHost } from './harness/app-host';

const USER = { user: 'rolf', pass: 'Ruhig-2026!' };
const SUBJECT = 'Newsletter: Jetzt neu';

/** The longest transition or animation (seconds) of any element in `frame`, with the element that has it. */
function longestMotion(frame: Page | Frame): Promise<{ seconds: number; where: string }> {
  return frame.evaluate(() => {
    const seconds = (list: string) =>
      Math.max(0, ...list.split(',').map((v) => (v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v))));
    let worst = { seconds: 0, where: '' };
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const s = Math.max(seconds(style.transitionDuration), seconds(style.animationDuration));
        if (s > worst.seconds)
          worst = { seconds: s, where: `${el.tagName.toLowerCase()}.${el.className}${pseudo ?? ''}` };
      }
    }
    return worst;
  });
}

/**
 * prefers-reduced-motion in Chromium against real Dovecot: with the system asking for less motion no view of
 * the app moves — and neither does an HTML mail that brings its own animation (its frame is outside app.css).
 */
describe('prefers-reduced-motion', () => {
  let dovecot: DovecotServer;
  let host: AppHost;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      {
        subject: '',
        raw: buildMimeMessage({
          from: 'Verlag <news@verlag.example>',
          to: 'rolf@stadt.example',
          subject: SUBJECT,
          date: new Date(),
          messageId: 'motion-1@verlag.example',
          text: 'Jetzt neu',
          html:
            '<style>@keyframes pulse{from{opacity:1}to{opacity:.2}}.banner{animation:pulse 1.5s infinite;transition:color 2s}</style>' +
            '<p class="banner">Jetzt neu</p>',
        }),
      },
    ]);
    host = await startSignedIn(dovecot, USER, { area: 'today' });
  });
  afterAll(async () => {
    await host?.close();
    await stopAndRemove(dovecot);
  });

  async function mailFrame(): Promise<Frame> {
    const { page } = host;
    await showArea(host, 'mail');
    await page.locator('[role="listbox"] [role="option"]').filter({ hasText: SUBJECT }).click();
    const element = await page.locator('iframe.mail-frame').elementHandle();
    const frame = await element?.contentFrame();
    if (!frame) throw new Error('no mail frame');
    await frame.locator('p.banner').waitFor();
    return frame;
  }

  test('the mail brings an animation: without the request it moves (the check can see motion)', async () => {
    await host.page.emulateMedia({ reducedMotion: 'no-preference' });
    expect((await longestMotion(await mailFrame())).seconds).toBeGreaterThan(1);
  });

  test('with the request: no transition or animation on Heute, inbox, reading pane, mail frame, documents, settings', async () => {
    const { page } = host;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const views: Record<string, { seconds: number; where: string }> = {};
    views['mail-frame'] = await longestMotion(await mailFrame());
    views['inbox-reading-pane'] = await longestMotion(page);
    for (const area of ['today', 'documents', 'settings']) {
      await showArea(host, area);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      views[area] = await longestMotion(page);
    }
    for (const [view, motion] of Object.entries(views))
      expect.soft(motion.seconds, `${view}: ${motion.where}`).toBeLessThanOrEqual(0.01);
  });
});
