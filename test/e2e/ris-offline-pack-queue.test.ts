import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { signedInWithLanguage } from './harness/a11y-mailbox';
import type { AppHost } from './harness/app-host';
import { AxeReport } from './harness/axe-check';
import { makeTestPdf } from './harness/test-pdf';

const PASSWORD = 'Offline-Paket-2026!';

/**
 * The automatic offline pack's queue on "Heute", in Chromium against the real services, the vault and the
 * loopback OParl server: the line counts the meetings of my bodies in the window and how many are offline,
 * says while it loads, is a polite live region that leaves the focus where it is, and passes axe.
 */
describe('offline pack queue on "Heute"', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer | undefined;
  let host: AppHost | undefined;
  let pdf: Uint8Array;
  const report = new AxeReport();

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    pdf = await makeTestPdf({ pages: 1 });
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
    await oparl?.stop().catch(() => undefined);
  });
  afterAll(async () => {
    report.write();
    await stopAndRemove(dovecot);
  });

  test('"2 von 2 Sitzungen offline verfügbar": the line while it loads and when done, focus kept, axe clean', async () => {
    // Meeting 8 is today; organization 0 holds meetings 9 (tomorrow) and 12 (in four days) in a 5-day window.
    // Each answer takes a while, so the loading state can be seen.
    const server = await startOparlServer({
      papers: 160,
      meetings: 16,
      organizations: 3,
      persons: 3,
      itemsPerMeeting: 3,
      pageSize: 50,
    });
    oparl = server;
    host = await signedInWithLanguage(dovecot, { user: 'paula', pass: PASSWORD }, pdf, 'de', {
      trust: { extraCaPem: [server.caPem] },
      ris: { systemUrl: server.generated.systemUrl, allowedOrigins: [server.origin] },
      async beforeOpen(h) {
        const calls = h.services.handlers;
        // Off until the page is open: then the setting starts it.
        await calls.policy.setUserValue({ key: 'offlinePackDays', value: 0 });
        const [body] = await calls.ris.bodies();
        await calls.ris.sync({ bodyId: body!.id });
        await calls.ris.chooseOrganizations({
          bodyId: body!.id,
          organizationIds: [`${server.generated.base}/organization/0`],
        });
      },
    });
    const { page } = host;
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Heute' }).click();
    const heading = page.getByRole('heading', { level: 1, name: 'Heute' });
    await heading.waitFor();
    await page.getByRole('region', { name: 'Nächste Sitzungen meiner Gremien' }).waitFor();
    const queue = page.locator('.today-meetings .today-pack');
    expect(await queue.getAttribute('role')).toBe('status');
    expect(await queue.getAttribute('aria-live')).toBe('polite');
    expect((await queue.textContent())?.trim()).toBe('');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    server.misbehave.latencyMs = 250;
    await host.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 5 });
    await expect
      .poll(() => queue.textContent(), { timeout: 30_000 })
      .toMatch(/^[01] von 2 Sitzungen offline verfügbar – wird geladen …$/);
    server.misbehave.latencyMs = 0;
    await expect.poll(() => queue.textContent(), { timeout: 60_000 }).toBe('2 von 2 Sitzungen offline verfügbar');
    // The live region spoke; the focus stayed on the heading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Heute');
    const ids = [server.generated.meetingUrl(9), server.generated.meetingUrl(12)];
    for (const id of ids) expect((await host.services.handlers.ris.meeting({ id })).offline).toBe('complete');

    const found = await report.check(page, 'heute-offline-pack', 'de');
    await host.screenshot('heute-offline-pack');
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await expect.poll(() => queue.textContent()).toBe('2 of 2 meetings available offline');
    found.push(...(await report.check(page, 'heute-offline-pack', 'en')));
    await host.screenshot('heute-offline-pack-en');
    expect(found.map((v) => `${v.language} ${v.id}: ${v.nodes.join(', ')}`)).toEqual([]);
  });
});
