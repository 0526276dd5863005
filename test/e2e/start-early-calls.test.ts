import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type AppHost, startAppHost } from './harness/app-host';
import { type NodeRenderer, startNodeRenderer } from './harness/node-renderer';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { connectAccount } from '../support/e2e-account';

const USER = { user: 'greta', pass: 'Rathaus-Start-2026!' };
const OTHER = { user: 'hugo', pass: 'Rathaus-Start-2026!' };

/**
 * In the page before the app: when each contract call was asked, and when the app's first element, the mail
 * view and the council page first appeared in the DOM (performance.now() of the page).
 */
const PROBE = `(() => {
  const calls = [];
  window.__startCalls = calls;
  const invoke = window.__ratsdeskInvoke;
  window.__ratsdeskInvoke = (channel, input) => {
    calls.push({ channel, at: performance.now() });
    return invoke(channel, input);
  };
  const seen = {};
  window.__startSeen = seen;
  const watch = { app: '#root > *', mailView: '.mail-view', risMain: '.ris-main' };
  new MutationObserver(() => {
    for (const [name, selector] of Object.entries(watch)) {
      if (seen[name] === undefined && document.querySelector(selector)) seen[name] = performance.now();
    }
  }).observe(document, { subtree: true, childList: true });
})();`;

interface StartRecord {
  calls: { channel: string; at: number }[];
  seen: { app?: number; mailView?: number; risMain?: number };
}

async function record(host: AppHost): Promise<StartRecord> {
  return host.page.evaluate(() => {
    const w = globalThis as unknown as { __startCalls: StartRecord['calls']; __startSeen: StartRecord['seen'] };
    return { calls: w.__startCalls, seen: w.__startSeen };
  });
}

const firstAsked = (r: StartRecord, call: string) =>
  r.calls.find((c) => c.channel === `ratsdesk:${call}`)?.at ?? Number.NaN;
const timesAsked = (r: StartRecord, call: string) => r.calls.filter((c) => c.channel === `ratsdesk:${call}`).length;

/**
 * The start asks for what the first screen shows while the app is still loading (#15 target 4,
 * `npm run bench -- startup`; renderer/src/app/start-calls.ts): the account's status before React rendered
 * anything, the inbox's first page and the council's bodies before their area rendered — and each only once,
 * the stores taking those answers instead of asking again. (The e2e build is React's development build, whose
 * StrictMode mounts every component twice and so asks again on its second mount: "once" is checked over the
 * stores in Node below.)
 */
describe('the calls of the first screen, asked by the start script (Chromium, real services)', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [{ subject: 'Haushaltsrede 2027' }, { subject: 'Fraktionssitzung am Montag' }]);
    oparl = await startOparlServer({ papers: 12, meetings: 4, organizations: 2, persons: 3, itemsPerMeeting: 2 });
    host = await startAppHost({
      trust: { extraCaPem: [dovecot.cert.caPem, oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
    });
    await host.page.addInitScript({ content: PROBE });
    await connectAccount(host.services, dovecot, USER);
    const [body] = await host.services.ris.bodies();
    await host.services.ris.syncBody(body?.id ?? '');
  });

  afterAll(async () => {
    await host?.close();
    await oparl?.stop().catch(() => undefined);
    await stopAndRemove(dovecot);
  });

  test('a window opened at the mail area: status and restore asked before the app rendered, folders and first page before the mail view', async () => {
    await host.page.goto(`${host.origin}/index.html#area=mail`);
    const list = host.page.getByRole('listbox', { name: 'Nachrichten' });
    await list.getByRole('option').filter({ hasText: 'Haushaltsrede 2027' }).waitFor();
    await list.getByRole('option').filter({ hasText: 'Fraktionssitzung am Montag' }).waitFor();
    const r = await record(host);
    expect(r.seen.app).toBeDefined();
    expect(r.seen.mailView).toBeDefined();
    // Without start-calls.ts the status is asked by the app's first effect, i.e. after its first render.
    expect(firstAsked(r, 'account:status')).toBeLessThan(r.seen.app ?? 0);
    // ... and the list's first page by the mail store, after the mail view rendered.
    expect(firstAsked(r, 'mailSync:listPage')).toBeLessThan(r.seen.mailView ?? 0);
    expect(firstAsked(r, 'mailSync:folders')).toBeLessThan(r.seen.mailView ?? 0);
    // The restore travels beside the status; the list waits for the vault the restore opens.
    expect(firstAsked(r, 'account:restore')).toBeLessThan(r.seen.app ?? 0);
    expect(firstAsked(r, 'mailSync:listPage')).toBeGreaterThan(firstAsked(r, 'account:restore'));
    // The folder tree came with the same answers: the inbox with its two unread messages.
    await host.page.locator('.mail-folders .unread-count').first().waitFor();
    expect(await host.page.locator('.mail-folders .folder-name').first().textContent()).toBe('Posteingang');
  });

  test('a window opened at the council area: the bodies and upcoming meetings asked before the council page rendered', async () => {
    await host.page.goto('about:blank');
    await host.page.goto(`${host.origin}/index.html#area=ris`);
    await host.page.locator('.ris-body-list li').first().waitFor();
    const r = await record(host);
    expect(r.seen.risMain).toBeDefined();
    expect(firstAsked(r, 'ris:bodies')).toBeLessThan(r.seen.risMain ?? 0);
    expect(firstAsked(r, 'ris:upcomingMeetings')).toBeLessThan(r.seen.risMain ?? 0);
    // Nothing of the mail area was asked ahead for a council window.
    expect(timesAsked(r, 'mailSync:listPage')).toBe(0);
  });

  test('a window opened at "Heute": nothing of an area asked ahead; the mail area opened later asks for its own first page', async () => {
    await host.page.goto('about:blank');
    await host.page.goto(`${host.origin}/index.html`);
    await host.page.locator('.today h1').waitFor();
    const r = await record(host);
    expect(firstAsked(r, 'account:status')).toBeLessThan(r.seen.app ?? 0);
    expect(timesAsked(r, 'mailSync:listPage')).toBe(0);
    // The mail area opened later asks for its own first page (no answer from the start is waiting for it).
    await host.page.locator('.area-nav button[data-area="mail"]').click();
    await host.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first().waitFor();
    expect(timesAsked(await record(host), 'mailSync:listPage')).toBeGreaterThanOrEqual(1);
  });
});

/**
 * The same start over the renderer's stores in Node (no React, so no second mount): each answer asked at start
 * is taken by the store that needs it, and neither the session nor the mail store asks the same question again.
 */
describe('the answers asked at start, taken once by the stores (Node, real services)', () => {
  let dovecot: DovecotServer;
  let renderer: NodeRenderer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [OTHER] });
    dovecot.seed(OTHER.user, [{ subject: 'Antrag Radweg' }]);
    renderer = startNodeRenderer({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    await connectAccount(renderer.host.services, dovecot, OTHER);
    const mail = renderer.host.services.handlers.mailSync;
    for (let i = 0; i < 100 && (await mail.listPage({ folder: 'INBOX', offset: 0, limit: 10 })).total < 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    Reflect.deleteProperty(globalThis, 'location');
    await renderer?.close();
    await stopAndRemove(dovecot);
  });

  test('status, restore, folders and first page: asked when the start script runs, then taken, not asked again', async () => {
    // A window opened at the mail area; the stores' modules loaded afresh, as the start script loads them.
    Object.defineProperty(globalThis, 'location', { value: { hash: '#area=mail' }, configurable: true });
    vi.resetModules();
    const before = renderer.calls.length;
    await import('../../renderer/src/app/start-calls');
    // Asked by the module's body (what follows — the folders and the first page — waits for their answers).
    expect(renderer.calls.slice(before, before + 2)).toEqual(['ratsdesk:account:status', 'ratsdesk:account:restore']);
    const { useSession } = await import('../../renderer/src/app/session-store');
    const { useMail } = await import('../../renderer/src/features/mail/mail-store');

    await useSession.getState().start();
    expect(useSession.getState().phase).toBe('inbox');
    // What was asked until the first page is in the store (a sync finishing later refreshes it: not counted).
    let shownAt = -1;
    const unsubscribe = useMail.subscribe((m) => {
      if (shownAt < 0 && m.pages[0]?.length) shownAt = renderer.calls.length;
    });
    const stop = useMail.getState().init();
    await vi.waitFor(() => expect(useMail.getState().itemAt(0)?.subject).toBe('Antrag Radweg'), { timeout: 10_000 });
    unsubscribe();
    const asked = renderer.calls.slice(before, shownAt);
    for (const call of ['account:status', 'account:restore', 'mailSync:folders', 'mailSync:listPage']) {
      expect({ call, times: asked.filter((c) => c === `ratsdesk:${call}`).length }).toEqual({ call, times: 1 });
    }

    // A later start (e.g. after unlocking) asks the services again: the start's answers were taken once.
    await useSession.getState().start();
    expect(renderer.calls.slice(before).filter((c) => c === 'ratsdesk:account:status')).toHaveLength(2);
    stop();
    useMail.getState().reset();
  });
});
