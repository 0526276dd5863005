import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { signedInWithLanguage } from './harness/a11y-mailbox';
import type { AppHost } from './harness/app-host';
import { AxeReport } from './harness/axe-check';
import { makeTestPdf } from './harness/test-pdf';

const PASSWORD = 'Heute-2026!';

/**
 * "Heute" in Chromium against real Dovecot, the OParl server, the vault and the keychain: the next meetings
 * (made available offline with one click), unread mail, recently opened documents and the sync state —
 * and all of it still there when mail server and council server are gone.
 */
describe('the start page "Heute"', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost;
  let pdf: Uint8Array;
  const report = new AxeReport();

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
    pdf = await makeTestPdf({ pages: 2 });
  });
  afterEach(async () => {
    await host?.close();
    await oparl?.stop().catch(() => undefined);
  });
  afterAll(async () => {
    report.write();
    await stopAndRemove(dovecot);
  });

  test('meetings with their offline state, unread mail, recent documents and sync state; offline too', async () => {
    oparl = await startOparlServer({
      papers: 8,
      meetings: 4,
      organizations: 2,
      persons: 3,
      itemsPerMeeting: 2,
      pageSize: 20,
    });
    let docId = '';
    host = await signedInWithLanguage(dovecot, { user: 'hanna', pass: PASSWORD }, pdf, 'de', {
      trust: { extraCaPem: [oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
      async beforeOpen(h) {
        for (const body of await h.services.handlers.ris.bodies())
          await h.services.handlers.ris.sync({ bodyId: body.id });
        // A document the person opened earlier.
        docId = (await h.services.documents()).put({
          bytes: pdf,
          name: 'Fraktionsbeschluss.pdf',
          mimeType: 'application/pdf',
          source: { kind: 'upload', ref: 'e2e' },
        }).id;
        await h.services.handlers.documents.open({ id: docId });
      },
    });
    const { page } = host;
    const upcoming = (await host.services.handlers.ris.upcomingMeetings({ limit: 5 })).map((m) => m.name ?? '');
    expect(upcoming.length).toBeGreaterThan(0);

    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Heute' }).click();
    await page.getByRole('heading', { level: 1, name: 'Heute' }).waitFor();
    const meetings = page.getByRole('region', { name: 'Nächste Sitzungen meiner Gremien' });
    const unread = page.getByRole('region', { name: 'Ungelesen im Posteingang' });
    const documents = page.getByRole('region', { name: 'Zuletzt geöffnete Dokumente' });
    const sync = page.getByRole('region', { name: 'Abgleich' });

    await expect.poll(() => meetings.getByRole('listitem').count()).toBe(upcoming.length);
    const first = meetings.getByRole('listitem').first();
    expect(await first.textContent()).toContain(upcoming[0]);
    expect(await first.textContent()).toContain('Nicht offline verfügbar');
    await expect
      .poll(() => unread.getByRole('listitem').allTextContents())
      .toEqual([
        expect.stringContaining('PDF: Haushaltssatzung'),
        expect.stringContaining('HTML: Pressemitteilung'),
        expect.stringContaining('Klartext: Tagesordnung'),
      ]);
    await documents.getByRole('button', { name: 'Fraktionsbeschluss.pdf' }).waitFor();
    await sync.getByText('E-Mail: Verbunden').waitFor();
    expect(await sync.getByRole('status').textContent()).toMatch(
      /Ratsinfo „.+“: zuletzt abgeglichen \S+ \d\d\.\d\d\.\d{4}/,
    );

    // One click makes the next meeting available offline (files into the vault).
    await first.getByRole('button', { name: `Offline verfügbar machen: „${upcoming[0]}“` }).click();
    await expect.poll(() => first.getAttribute('data-offline'), { timeout: 60_000 }).toBe('complete');
    expect(await first.textContent()).toContain('Offline verfügbar');
    const offlineMeetingId = (await host.services.handlers.ris.upcomingMeetings({ limit: 1 }))[0]?.id ?? '';
    expect((await host.services.handlers.ris.meeting({ id: offlineMeetingId })).offline).toBe('complete');

    const found = await report.check(page, 'heute', 'de');
    await host.screenshot('heute');
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    found.push(...(await report.check(page, 'heute', 'en')));
    await host.screenshot('heute-en');
    expect(found.map((v) => `${v.language} ${v.id}: ${v.nodes.join(', ')}`)).toEqual([]);
    await page.getByLabel('Language').selectOption('de');

    // Mail server and council server go away; the app restarts over the same vault.
    await dovecot.stop();
    await oparl.stop();
    await host.restartServices();
    await host.open();
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Heute' }).click();
    await expect.poll(() => meetings.getByRole('listitem').count()).toBe(upcoming.length);
    expect(await meetings.getByRole('listitem').first().getAttribute('data-offline')).toBe('complete');
    await expect.poll(() => unread.getByRole('listitem').count()).toBe(3);
    await documents.getByRole('button', { name: 'Fraktionsbeschluss.pdf' }).waitFor();
    await expect.poll(() => sync.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/E-Mail: Offline/);
    await host.screenshot('heute-offline');

    // From Heute into the work: the meeting (offline, from the vault), then the unread mail.
    await meetings.getByRole('button', { name: upcoming[0] }).click();
    await page.getByRole('article').getByRole('heading', { level: 1, name: upcoming[0] }).waitFor();
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Heute' }).click();
    await unread.getByRole('button', { name: 'Klartext: Tagesordnung' }).click();
    await page
      .getByRole('region', { name: 'Nachricht', exact: true })
      .getByRole('heading', { name: 'Klartext: Tagesordnung' })
      .waitFor();
    expect(host.foreignRequests).toEqual([]);
    await dovecot.start();
  });
});
