import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';

const USER = { user: 'wlan', pass: 'Netz-zurück-2026' };

// After a connection the network ended, the mail sync waits a while before it reconnects (spread over
// minutes after a server restart). Joining a network again should not wait: the renderer asks the sync
// to run at once on the browser's "online" event — and not while the app is locked.
describe('back on the network, the mail connection tries at once', () => {
  let dovecot: DovecotServer;
  let host: AppHost | undefined;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('the "online" event asks the mail sync to run now, once per event; locked, it asks nothing', async () => {
    host = await startSignedIn(dovecot, USER);
    const mailSync = host.services.handlers.mailSync;
    const syncNow = mailSync.syncNow.bind(mailSync);
    const woken: unknown[] = [];
    // The same handler the dispatcher serves, counted: calls for the whole account (no folder) only.
    mailSync.syncNow = async (input) => {
      if (input.folder === undefined) woken.push(input);
      return syncNow(input);
    };
    await host.context.setOffline(true);
    await host.context.setOffline(false);
    await expect.poll(() => woken.length).toBe(1);
    await host.context.setOffline(true);
    await host.context.setOffline(false);
    await expect.poll(() => woken.length).toBe(2);

    await host.services.appLock.lockFromHost('os'); // as the OS screen lock does
    await host.page.locator('input[type="password"]').waitFor();
    await host.context.setOffline(true);
    await host.context.setOffline(false);
    // Give a wrongly attached listener the time to call (the page's events are handled within a frame).
    await host.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
    expect(woken).toHaveLength(2);
  });
});
