import { statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { startSignedIn } from '../support/e2e-account';
import { councilLinkInMail } from '../support/e2e-council-link';
import type { AppHost } from './harness/app-host';

const PASSWORD = 'Ratssaal-2026!';

/**
 * The council-information area in Chromium against the real services, the real vault and keychain,
 * and a loopback HTTPS OParl server (generated ALLRIS-style body).
 */
describe('council information (RIS) in Chromium', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost;
  /** A paper on the agenda of meeting 1 (set once the server is up). */
  let PAPER = 0;

  let mailboxes = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [] });
  });

  // Each test: its own council server, its own mailbox with a mail that links to a paper in the council's
  // ALLRIS front end, and the app signed in to both.
  beforeEach(async () => {
    oparl = await startOparlServer({
      papers: 40,
      meetings: 6,
      organizations: 4,
      persons: 8,
      itemsPerMeeting: 4,
      pageSize: 20,
    });
    PAPER = oparl.generated.papersOfMeeting(1)[0] as number;
    const user = { user: `ruth${++mailboxes}`, pass: PASSWORD };
    await dovecot.addUser(user);
    dovecot.seed(user.user, [
      {
        from: 'Fraktionsbüro <buero@fraktion.example>',
        subject: 'Vorlage für Donnerstag',
        date: new Date(),
        seen: false,
        body: `Liebe Ruth,\r\n\r\nbitte lies vorab die Vorlage:\r\n${oparl.generated.paperWebUrl(PAPER)}\r\n\r\nGruß\r\n`,
      },
    ]);
    host = await startSignedIn(dovecot, user, {
      trust: { extraCaPem: [oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
    });
  });

  afterEach(async () => {
    await host?.close();
    await oparl?.stop().catch(() => undefined); // the offline test stops it itself
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('an ALLRIS paper link in a mail opens the paper view with its consultations and files', async () => {
    const { page } = host;
    const paperNo = PAPER;
    // The mail's reading pane marks the link as a council link; the person takes it into the council area.
    const council = await councilLinkInMail(page, 'Vorlage für Donnerstag');
    const link = ((await council.locator('.link-target').textContent()) ?? '').trim();
    expect(link).toBe(oparl.generated.paperWebUrl(paperNo));
    await host.screenshot('ris-mail-with-council-link');

    // One click on the marked link opens it inside the app, in the council viewer.
    await council.getByRole('button').click();
    await expect.poll(() => page.getByRole('button', { name: 'Ratsinfo' }).getAttribute('aria-current')).toBe('page');

    const article = page.getByRole('article');
    await article
      .getByRole('heading', { level: 1 })
      .filter({ hasText: `(Vorlage ${paperNo})` })
      .waitFor();
    const facts = await article.locator('.ris-facts').textContent();
    expect(facts).toContain(`VO/2025/${String(paperNo).padStart(4, '0')}`);
    expect(facts).toMatch(/Beschlussvorlage|Anfrage/);

    // Beratungsfolge: one row per consultation, with body, meeting date and role.
    const consultations = article.getByRole('table', { name: 'Beratungsfolge' });
    const rows = consultations.locator('tbody tr');
    const meetingsOfPaper = Array.from({ length: oparl.generated.meetings }, (_, m) => m).filter((m) =>
      oparl.generated.papersOfMeeting(m).includes(paperNo),
    );
    expect(meetingsOfPaper.length).toBeGreaterThan(0);
    expect(await rows.count()).toBe(meetingsOfPaper.length);
    expect(await rows.first().textContent()).toMatch(/Entscheidung|Vorberatung/);

    // Main file and attachment, opening in the in-app viewer (fetched into the vault on demand).
    const files = article.getByRole('list', { name: 'Dokumente' });
    expect(await files.getByRole('listitem').count()).toBe(2);
    expect(await files.textContent()).toMatch(/Hauptdokument.*Anlage/s);
    await host.screenshot('ris-paper');
    await files.getByRole('button', { name: /Vorlage öffnen/ }).click();
    const doc = page.locator('.ris-document');
    await doc.waitFor();
    await expectDocumentShown(host);
    expect(
      (await host.services.documents()).findBySource({ kind: 'url', ref: oparl.generated.fileUrl(2 * paperNo) }),
    ).toBeDefined();
    await host.screenshot('ris-paper-file');
    await page.getByRole('button', { name: /Zurück/ }).click();
    await article
      .getByRole('heading', { level: 1 })
      .filter({ hasText: `(Vorlage ${paperNo})` })
      .waitFor();

    // A RIS page without an OParl object goes to the sandboxed RIS window; a foreign link is not opened.
    const personPage = `${oparl.origin}/gen/bi/kp020.asp?KPLFDNR=3`;
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill(personPage);
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    await page.getByRole('status').filter({ hasText: 'geschützten Ratsinfo-Fenster' }).waitFor();
    expect(host.risPages).toEqual([personPage]);
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill('https://www.example.org/vo020.html?x=1');
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    await page.getByRole('status').filter({ hasText: 'keinem bekannten Ratsinformationssystem' }).waitFor();
    expect(host.risPages).toHaveLength(1);
    expect(host.foreignRequests).toEqual([]);
  });

  test('a meeting made available offline keeps its agenda and every file when the RIS is gone', async () => {
    const { page } = host;
    const m = oparl.generated.meetings - 1; // an upcoming meeting
    // This is the person's own "Offline verfügbar machen": the automatic offline pack stays off here.
    await host.services.handlers.policy.setUserValue({ key: 'offlinePackDays', value: 0 });
    // Starting state: the council is imported (through the services), the council area is shown.
    for (const body of await host.services.handlers.ris.bodies())
      await host.services.handlers.ris.sync({ bodyId: body.id });
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Ratsinfo' }).click();

    // My bodies: choose one committee; the upcoming meetings are that committee's, each with its agenda.
    await page.getByRole('button', { name: 'Gremien auswählen' }).click();
    const chooser = page.getByRole('group', { name: /Gremien von/ });
    await chooser.getByRole('checkbox', { name: 'Haupt- und Finanzausschuss' }).check();
    await chooser.getByRole('button', { name: 'Auswahl speichern' }).click();
    const upcoming = page.getByRole('list', { name: 'Anstehende Sitzungen' });
    await expect
      .poll(async () =>
        (await upcoming.locator(':scope > li').allTextContents()).map((t) => t.includes('Finanzausschuss')),
      )
      .toEqual([true]);
    await upcoming.getByRole('button', { name: 'Tagesordnung zeigen' }).click();
    const upcomingAgenda = upcoming.getByRole('list', { name: /^Tagesordnung/ });
    await expect
      .poll(() => upcomingAgenda.getByRole('listitem').count())
      .toBe(oparl.generated.papersOfMeeting(m).length);
    await host.screenshot('ris-my-bodies');
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill(oparl.generated.meetingWebUrl(m));
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    const article = page.getByRole('article');
    await article.getByRole('heading', { level: 1 }).filter({ hasText: 'Sitzung' }).waitFor();
    const title = (await article.getByRole('heading', { level: 1 }).textContent()) ?? '';
    const agenda = article.getByRole('list', { name: /^Tagesordnung/ });
    const papers = oparl.generated.papersOfMeeting(m);
    await expect.poll(() => agenda.getByRole('listitem').count()).toBe(papers.length);

    await article.getByRole('button', { name: 'Offline verfügbar machen' }).click();
    const total = oparl.generated.filesOfMeeting(m).length;
    await article
      .getByRole('status')
      .filter({ hasText: `${total} von ${total} Dateien gespeichert` })
      .waitFor();
    await article.getByRole('button', { name: 'Offline verfügbar', exact: true }).waitFor();
    expect(await article.locator('progress').getAttribute('value')).toBe(String(total));
    await host.screenshot('ris-meeting-offline');

    // The RIS goes away. The app restarts (fresh services over the same vault, fresh page).
    await oparl.stop();
    await host.restartServices();
    await host.open();
    await page.getByRole('button', { name: 'Ratsinfo' }).click();

    // Offline search finds the meeting in the vault; its agenda is there.
    await page.getByRole('searchbox', { name: 'Vorlagen und Sitzungen durchsuchen' }).fill(title);
    const results = page.getByRole('list', { name: 'Suchergebnisse' });
    await results.getByRole('button', { name: title }).first().click();
    await article.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect.poll(() => agenda.getByRole('listitem').count()).toBe(papers.length);
    await article.getByRole('button', { name: 'Offline verfügbar', exact: true }).waitFor();

    // Every file of the meeting opens.
    let opened = 0;
    const meetingFiles = article.getByRole('list', { name: /Einladung, Protokolle/ }).getByRole('button');
    const meetingFileCount = await meetingFiles.count();
    for (let i = 0; i < meetingFileCount; i++) {
      await meetingFiles.nth(i).click();
      await expectDocumentShown(host);
      opened++;
      await page.getByRole('button', { name: /Zurück/ }).click();
      await article.getByRole('heading', { level: 1, name: title }).waitFor();
    }
    // … and every file of every paper on its agenda.
    for (let i = 0; i < papers.length; i++) {
      await agenda.getByRole('listitem').nth(i).getByRole('button').click();
      await article
        .getByRole('heading', { level: 1 })
        .filter({ hasText: `(Vorlage ${papers[i]})` })
        .waitFor();
      const paperFiles = article.getByRole('list', { name: 'Dokumente' }).getByRole('button');
      const n = await paperFiles.count();
      for (let j = 0; j < n; j++) {
        await paperFiles.nth(j).click();
        await expectDocumentShown(host);
        opened++;
        await page.getByRole('button', { name: /Zurück/ }).click();
        await article
          .getByRole('heading', { level: 1 })
          .filter({ hasText: `(Vorlage ${papers[i]})` })
          .waitFor();
      }
      await page.getByRole('button', { name: /Zurück/ }).click();
      await article.getByRole('heading', { level: 1, name: title }).waitFor();
    }
    expect(opened).toBe(total);
    expect(await page.getByRole('alert').count()).toBe(0);
    const shot = await host.screenshot('ris-meeting-offline-after-stop');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(host.foreignRequests).toEqual([]);
  });
});

/** The document pane shows the file from the vault: the viewer's canvas, or the stored document's details. */
async function expectDocumentShown(host: AppHost): Promise<void> {
  const pane = host.page.locator('.ris-document');
  await pane.waitFor();
  await pane.locator('canvas, [data-document-size]').first().waitFor();
  expect(await host.page.getByRole('alert').count()).toBe(0);
}
