import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Route } from 'playwright-core';
import { type NodeRenderer, startNodeRenderer } from './harness/node-renderer';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import type { AppHost } from './harness/app-host';
import { startSignedIn } from '../support/e2e-account';

const USER = { user: 'ida', pass: 'Rathaus-Bereiche-2026!' };
const NODE_USER = { user: 'jonas', pass: 'Rathaus-Bereiche-2026!' };
const SUBJECTS = ['Antrag Spielplatz', 'Einladung Ausschuss', 'Niederschrift Juni'];

/**
 * Each area's view is its own script (#15 target 4): the start bundle holds the shell, the view of the area the
 * window opens at is asked for by the start script, and the mail store starts whoever first needs it — not only
 * the mail view when it mounts, which now may come late.
 */
describe('areas as their own scripts (Chromium, real services)', () => {
  let dovecot: DovecotServer;
  let host: AppHost;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(
      USER.user,
      SUBJECTS.map((subject) => ({ subject })),
    );
    host = await startSignedIn(dovecot, USER, { area: 'today' });
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemove(dovecot);
  });

  test('a window opened at the mail area asks for the mail view’s script before the app rendered anything', async () => {
    await host.page.addInitScript({
      content: `(() => {
        const seen = {};
        window.__seen = seen;
        new MutationObserver(() => {
          if (seen.app === undefined && document.querySelector('#root > *')) seen.app = performance.now();
        }).observe(document, { subtree: true, childList: true });
      })();`,
    });
    await host.page.goto('about:blank');
    await host.page.goto(`${host.origin}/index.html#area=mail`);
    await host.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first().waitFor();
    const { app, view } = await host.page.evaluate(() => ({
      app: (globalThis as unknown as { __seen: { app?: number } }).__seen.app,
      view: performance.getEntriesByType('resource').find((e) => /\/assets\/MailView-[\w-]+\.js$/.test(e.name))
        ?.startTime,
    }));
    expect(app).toBeDefined();
    // Without the start script's request the view's script is asked for only once React rendered the shell.
    expect(view).toBeDefined();
    expect(view ?? Number.POSITIVE_INFINITY).toBeLessThan(app ?? 0);
  });

  test('a message opened from "Heute" while the mail view’s script still loads stays open; the wait is announced', async () => {
    await host.page.goto('about:blank');
    // The mail view's script held back until released: the view mounts after the message was shown.
    let release = () => {};
    const released = new Promise<void>((ok) => (release = ok));
    const held = vi.fn();
    await host.page.route(/\/assets\/MailView-[\w-]+\.js$/, async (route: Route) => {
      held();
      await released;
      await route.continue();
    });
    try {
      await host.page.goto(`${host.origin}/index.html`);
      const unread = host.page.getByRole('region', { name: 'Ungelesen im Posteingang' });
      await unread.getByRole('button', { name: SUBJECTS[1] }).click();
      const waiting = host.page.getByRole('status').filter({ hasText: 'Bereich wird geladen …' });
      await waiting.waitFor();
      expect(held).toHaveBeenCalled();
      // What "show this message" needs is in the store before the view exists.
      await vi.waitFor(
        async () =>
          expect(await host.services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 })).toEqual(
            expect.objectContaining({
              items: expect.arrayContaining([expect.objectContaining({ subject: SUBJECTS[1], seen: true })]),
            }),
          ),
        { timeout: 10_000 },
      );
      release();
      await waiting.waitFor({ state: 'detached' });
      const pane = host.page.getByRole('region', { name: 'Nachricht', exact: true });
      await pane.getByRole('heading', { name: SUBJECTS[1] }).waitFor();
      const selected = host.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option', { selected: true });
      await expect.poll(() => selected.textContent()).toContain(SUBJECTS[1]);
      // The view's catch-up after mounting (a refresh) keeps it open.
      await new Promise((r) => setTimeout(r, 500));
      expect(await pane.getByRole('heading', { name: SUBJECTS[1] }).count()).toBe(1);
    } finally {
      release();
      await host.page.unroute(/\/assets\/MailView-[\w-]+\.js$/);
    }
  });

  test('a view whose script fails to load says so, and loads when tried again', async () => {
    await host.page.goto('about:blank');
    const chunk = /\/assets\/CalendarArea-[\w-]+\.js$/;
    await host.page.route(chunk, (route: Route) => route.abort('connectionrefused'));
    try {
      await host.page.goto(`${host.origin}/index.html`);
      await host.page.locator('.today h1').waitFor();
      await host.page.locator('.area-nav button[data-area="calendar"]').click();
      await host.page.getByRole('alert').filter({ hasText: 'Der Bereich konnte nicht geladen werden.' }).waitFor();
    } finally {
      await host.page.unroute(chunk);
    }
    await host.page.getByRole('button', { name: 'Erneut versuchen' }).click();
    await host.page.locator('section.calendar-area').waitFor();
    expect(await host.page.getByRole('alert').filter({ hasText: 'nicht geladen' }).count()).toBe(0);
  });
});

/**
 * The mail store in Node: "show this message" before the view mounted, then the view mounts. The message stays
 * open and selected (before, the view's `init` listed the inbox anew and closed it).
 */
describe('the mail store starts without its view (Node, real services)', () => {
  let dovecot: DovecotServer;
  let renderer: NodeRenderer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [NODE_USER] });
    dovecot.seed(
      NODE_USER.user,
      SUBJECTS.map((subject) => ({ subject })),
    );
    renderer = startNodeRenderer({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    const { connectAccount } = await import('../support/e2e-account');
    await connectAccount(renderer.host.services, dovecot, NODE_USER);
    const mail = renderer.host.services.handlers.mailSync;
    for (let i = 0; i < 100 && (await mail.listPage({ folder: 'INBOX', offset: 0, limit: 10 })).total < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await renderer?.close();
    await stopAndRemove(dovecot);
  });

  test('a message shown before the mail view mounts stays open and selected when it mounts', async () => {
    const { useMail } = await import('../../renderer/src/features/mail/mail-store');
    const { showMessageById } = await import('../../renderer/src/features/mail/show-message');
    const page = await renderer.host.services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
    const wanted = page.items.find((m) => m.subject === SUBJECTS[0]);
    expect(wanted).toBeDefined();
    const id = wanted?.id ?? -1;

    await showMessageById(id);
    await vi.waitFor(() => expect(useMail.getState().open?.item.id).toBe(id), { timeout: 10_000 });
    const asked = renderer.calls.length;
    const stop = useMail.getState().init();
    try {
      // The view's catch-up: the folder tree and the loaded page asked again ...
      await vi.waitFor(() => expect(renderer.calls.slice(asked)).toContain('ratsdesk:mailSync:listPage'), {
        timeout: 10_000,
      });
      await new Promise((r) => setTimeout(r, 300));
      // ... and the message still open and the active row.
      expect(useMail.getState().open?.item.id).toBe(id);
      expect(useMail.getState().itemAt(useMail.getState().active)?.id).toBe(id);
    } finally {
      stop();
      useMail.getState().reset();
    }
  });
});
