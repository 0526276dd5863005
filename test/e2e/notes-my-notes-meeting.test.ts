import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { showArea, startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';

const USER = { user: 'mona', pass: 'Meine-Notizen-2026!' };

/**
 * "Meine Notizen" on a meeting, its agenda items and papers, in Chromium against the real services, vault and
 * keychain and a loopback HTTPS OParl server: written, gathered in the meeting's view, exported as Markdown
 * (only where the policy allows), found by "Überall suchen".
 */
describe('"Meine Notizen" on council meetings and papers', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
  });

  beforeEach(async () => {
    oparl = await startOparlServer({
      papers: 12,
      meetings: 3,
      organizations: 2,
      persons: 2,
      itemsPerMeeting: 3,
      pageSize: 20,
    });
    host = await startSignedIn(dovecot, USER, {
      trust: { extraCaPem: [oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
    });
  });

  afterEach(async () => {
    await host?.close();
    await oparl?.stop();
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  async function openMeeting(m: number) {
    const { page } = host;
    await showArea(host, 'ris');
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill(oparl.generated.meetingWebUrl(m));
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    await page.getByRole('article').getByRole('heading', { level: 1 }).filter({ hasText: 'Sitzung' }).waitFor();
  }

  test('notes on the meeting, an agenda item, its paper and a page of its file are gathered in the meeting, exported as Markdown, and found', async () => {
    const { page } = host;
    const paperNo = oparl.generated.papersOfMeeting(1)[0] as number;
    await openMeeting(1);
    const mine = page.getByRole('region', { name: 'Meine Notizen' });
    const field = mine.getByRole('textbox', { name: 'Neue Notiz' });
    const add = mine.getByRole('button', { name: 'Notiz hinzufügen' });

    // On agenda item 1, then on the meeting itself.
    await mine.getByRole('combobox', { name: 'Notiz zu' }).selectOption({ index: 1 });
    await field.fill('Antrag auf Vertagung prüfen');
    await add.click();
    await mine.getByRole('listitem').filter({ hasText: 'Vertagung' }).waitFor();
    await mine.getByRole('combobox', { name: 'Notiz zu' }).selectOption({ label: 'Zur Sitzung' });
    await field.fill('Fahrgemeinschaft zum Rathaus organisieren');
    await add.click();
    await mine.getByRole('listitem').filter({ hasText: 'Fahrgemeinschaft' }).waitFor();

    // The agenda item's paper: a note on it, and a page note in its main file.
    await page
      .getByRole('button', { name: new RegExp(`^Vorlage .* öffnen$`) })
      .first()
      .click();
    const paperTitle = page.getByRole('article').getByRole('heading', { level: 1 });
    await paperTitle.filter({ hasText: `(Vorlage ${paperNo})` }).waitFor();
    await mine.getByRole('textbox', { name: 'Neue Notiz' }).fill('Kostenaufstellung anfordern');
    await mine.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await mine.getByRole('listitem').filter({ hasText: 'Kostenaufstellung' }).waitFor();
    await page
      .getByRole('list', { name: 'Dokumente' })
      .getByRole('button', { name: /Vorlage öffnen/ })
      .click();
    await page.locator('.ris-document .pdf-page canvas[data-rendered-page="1"]').waitFor();
    const panel = page.getByRole('complementary', { name: 'Notizen zu diesem Dokument' });
    await panel.getByRole('textbox', { name: 'Notiz zu Seite 1' }).fill('Zahlen auf Seite 1 gegenprüfen');
    await panel.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await panel.getByRole('listitem').filter({ hasText: 'gegenprüfen' }).waitFor();
    await page.getByRole('button', { name: /Zurück/ }).click();
    await paperTitle.filter({ hasText: `(Vorlage ${paperNo})` }).waitFor();
    // The paper's view lists its own note and the one in its file (with the page).
    await expect.poll(() => mine.getByRole('listitem').count()).toBe(2);
    expect(await mine.getByRole('listitem').filter({ hasText: 'gegenprüfen' }).textContent()).toContain('Seite 1');

    // The meeting gathers all four, in the order of the agenda: the meeting's, the item's, the paper's, the file's.
    await openMeeting(1);
    await expect
      .poll(async () => (await mine.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ')))
      .toEqual([
        expect.stringContaining('Fahrgemeinschaft'),
        expect.stringContaining('Vertagung'),
        expect.stringContaining('Kostenaufstellung'),
        expect.stringContaining('gegenprüfen'),
      ]);

    // Export as Markdown, through "Speichern unter …" of the host.
    await mine.getByRole('button', { name: 'Notizen exportieren (Markdown) …' }).click();
    await expect.poll(() => host.savedFiles.length).toBe(1);
    const file = host.savedFiles[0] ?? '';
    expect(file).toMatch(/Notizen .*\.md$/);
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toMatch(/^# Notizen zur Sitzung: /);
    expect(markdown).toContain('## Zur Sitzung');
    expect(markdown).toMatch(/## TOP 1: .*\(Vorlage \d+\)\n\nAntrag auf Vertagung prüfen/);
    expect(markdown).toContain('Kostenaufstellung anfordern');
    expect(markdown).toMatch(/\*Seite 1\*\n\nZahlen auf Seite 1 gegenprüfen/);

    // Not allowed by the policy: refused with a sentence, nothing written.
    host.services.setExportAllowed(false);
    await mine.getByRole('button', { name: 'Notizen exportieren (Markdown) …' }).click();
    await mine.getByRole('alert').filter({ hasText: 'nicht erlaubt' }).waitFor();
    expect(host.savedFiles).toHaveLength(1);

    // "Überall suchen" finds the agenda item's note; opening it opens the meeting.
    await showArea(host, 'mail');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Überall suchen' });
    await dialog.getByRole('searchbox', { name: 'Suchbegriffe' }).fill('vertagung');
    await dialog
      .getByRole('region', { name: /Notizen/ })
      .getByRole('button')
      .first()
      .click();
    await page.getByRole('article').getByRole('heading', { level: 1 }).filter({ hasText: 'Sitzung' }).waitFor();
    await mine.getByRole('listitem').filter({ hasText: 'Vertagung' }).waitFor();
    await host.screenshot('notes-my-notes-meeting');
  });
});
