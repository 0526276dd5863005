import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NOTES_FOLDER } from '../../electron/services/notes/notes-sync';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { showArea, startSignedIn } from '../support/e2e-account';
import { makeGermanPdf } from '../support/german-test-pdf';
import { messagesOnServer } from '../support/server-folder';
import { until } from '../support/wait-until';
import type { AppHost } from './harness/app-host';

const USER = { user: 'nele', pass: 'Notizen-Markieren-2026!' };
const SENTENCE = 'Die Verwaltung schlägt vor, den Radweg an der Hauptstraße zu verbreitern.';
const NOTE_TEXT = 'Mit der Fraktion vor der Sitzung abstimmen';
const SOURCE = 'https://ris.musterstadt.example/files/radweg.pdf';

describe('Highlights and notes in the PDF viewer, in Chromium over the real vault, keychain and Dovecot', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let pdf: Uint8Array;
  let documentId = '';

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    pdf = await makeGermanPdf([
      { lines: ['Seite 1: Allgemeine Hinweise zum Haushalt.'] },
      { lines: ['Seite 2: Beschlussvorschlag', SENTENCE, 'Die Kosten trägt die Stadt.'] },
    ]);
  });

  // Each test signs in with a vault of its own holding the PDF, and opens it in the viewer.
  beforeEach(async () => {
    host = await startSignedIn(dovecot, USER, {
      beforeOpen: async (h) => {
        const cache = await h.services.documents();
        documentId = cache.put({
          bytes: pdf,
          name: 'Vorlage Radweg.pdf',
          mimeType: 'application/pdf',
          source: { kind: 'url', ref: SOURCE },
        }).id;
      },
    });
  });

  afterEach(async () => {
    await host?.close();
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  async function openPdf(): Promise<void> {
    const { page } = host;
    await showArea(host, 'documents');
    await page
      .getByRole('listitem', { name: 'Vorlage Radweg.pdf' })
      .getByRole('button', { name: 'Vorlage Radweg.pdf', exact: true })
      .click();
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
  }

  test('a sentence selected with the mouse is highlighted, gets a note, is listed in the panel, found by Ctrl+K and survives a restart', async () => {
    const { page } = host;
    await openPdf();
    await page.getByRole('button', { name: 'Nächste Seite' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();

    // Drag across the sentence's text in the text layer, as a person selects it.
    const line = page.locator('.pdf-text-layer span', { hasText: 'Radweg an der Hauptstraße' });
    const box = await line.boundingBox();
    if (!box) throw new Error('sentence not in the text layer');
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();

    const panel = page.getByRole('complementary', { name: 'Notizen zu diesem Dokument' });
    await panel.getByText(/Ausgewählt: „Die Verwaltung schlägt vor/).waitFor();
    await panel.getByRole('radio', { name: 'Grün' }).check();
    await panel.getByRole('button', { name: 'Markieren' }).click();

    // The highlight is drawn over the page, in its colour; the note's field has focus for the text.
    await page.locator('.pdf-note-mark.note-color-gruen').first().waitFor();
    const field = panel.getByRole('textbox', { name: 'Notiz', exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(NOTE_TEXT);
    await panel.getByRole('button', { name: 'Speichern' }).click();
    const item = panel.getByRole('listitem').filter({ hasText: NOTE_TEXT });
    await item.waitFor();
    expect(await item.textContent()).toContain(SENTENCE);
    expect(await item.textContent()).toContain('Seite 2');

    // Stored in the vault with its anchor (the quote and its page).
    const stored = (await host.services.handlers.notes.of({ kind: 'document', ref: `url:${SOURCE}` }))[0];
    expect(stored?.body).toMatchObject({
      page: 2,
      color: 'gruen',
      text: NOTE_TEXT,
      anchor: { page: 2, exact: SENTENCE },
    });

    // The panel's entry jumps back to its page.
    await page.getByRole('button', { name: 'Vorherige Seite' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="1"]').waitFor();
    expect(await page.locator('.pdf-note-mark').count()).toBe(0);
    await item.getByRole('button', { name: 'Seite 2' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();
    await page.locator('.pdf-note-mark.note-color-gruen').first().waitFor();

    // "Überall suchen" finds the note by a word of its text (folded: "abstimmen" by "ABSTIMM").
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Überall suchen' });
    await dialog.getByRole('searchbox', { name: 'Suchbegriffe' }).fill('fraktion ABSTIMM');
    const hit = dialog
      .getByRole('region', { name: /Notizen/ })
      .getByRole('button')
      .first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain('Vorlage Radweg.pdf');
    expect(await hit.textContent()).toContain('Seite 2');
    await page.keyboard.press('Escape');

    // The note went to the hidden folder of the own mailbox (sealed; notes-sync.test.ts checks the ciphertext).
    await (await host.services.notes()).syncNow();
    await until(
      'the note in the notes folder',
      async () => (await messagesOnServer(dovecot, USER, NOTES_FOLDER).catch(() => [])).length >= 1 || undefined,
    );

    // Services restarted, page reloaded: the highlight and its note are still there, at their place.
    await host.restartServices();
    await host.open();
    await page.locator('.today h1').waitFor();
    await openPdf();
    await page.getByRole('button', { name: 'Nächste Seite' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();
    await page.locator('.pdf-note-mark.note-color-gruen').first().waitFor();
    await panel.getByRole('listitem').filter({ hasText: NOTE_TEXT }).waitFor();

    // A note hit of "Überall suchen" opens the document at the note's page.
    await showArea(host, 'mail');
    await page.keyboard.press('Control+k');
    await dialog.getByRole('searchbox', { name: 'Suchbegriffe' }).fill('Fraktion abstimmen');
    await dialog
      .getByRole('region', { name: /Notizen/ })
      .getByRole('button')
      .first()
      .click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();
    await host.screenshot('notes-pdf-highlight');
  });

  test('keyboard only: a search hit is highlighted with "Markieren"; a page note is added; in a revised file a moved quote re-attaches and a vanished one shows "Text geändert"', async () => {
    const { page } = host;
    await openPdf();
    const searchField = page.getByRole('searchbox', { name: 'Im Dokument suchen' });
    // Into the viewer (as Tab would go), then its search.
    await page
      .getByRole('region', { name: /Vorlage Radweg\.pdf/ })
      .locator('.pdf-page-scroll')
      .focus();
    await page.keyboard.press('Control+f');
    await expect.poll(() => searchField.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Kosten trägt');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.pdf-search-status').textContent()).toBe('Treffer 1 von 1');
    const panel = page.getByRole('complementary', { name: 'Notizen zu diesem Dokument' });
    const mark = panel.getByRole('button', { name: 'Markieren' });
    await mark.focus();
    await page.keyboard.press('Enter');
    await page.locator('.pdf-note-mark.note-color-gelb').first().waitFor();
    await page.keyboard.press('Escape');

    const pageNote = panel.getByRole('textbox', { name: 'Notiz zu Seite 2' });
    await pageNote.focus();
    await page.keyboard.type('Kosten im Haushaltsausschuss nachfragen');
    await panel.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await panel.getByRole('listitem').filter({ hasText: 'Haushaltsausschuss' }).waitFor();
    expect(await panel.getByRole('listitem').count()).toBe(2);

    // Also a passage of the sentence that will move: found by search, highlighted in blue.
    await searchField.fill('Radweg an der Hauptstraße');
    await searchField.press('Enter');
    await expect.poll(() => page.locator('.pdf-search-status').textContent()).toBe('Treffer 1 von 1');
    await panel.getByRole('radio', { name: 'Blau' }).check();
    await mark.click();
    await page.locator('.pdf-note-mark.note-color-blau').first().waitFor();
    expect(await panel.getByRole('listitem').count()).toBe(3);

    // The RIS publishes a revised file at the same address: the sentence moved to page 1, the costs are gone.
    await page.getByRole('button', { name: 'Zurück zur Liste' }).click();
    const cache = await host.services.documents();
    const revised = cache.put({
      bytes: await makeGermanPdf([
        { lines: ['Seite 1: Überarbeitete Fassung', SENTENCE] },
        { lines: ['Seite 2: Beschlussvorschlag', 'Die Stadt beantragt Fördermittel.'] },
      ]),
      name: 'Vorlage Radweg.pdf',
      mimeType: 'application/pdf',
      source: { kind: 'url', ref: SOURCE },
    });
    expect(revised.id).not.toBe(documentId);
    // Elsewhere and back: the list is read again (the revised file has a new id).
    await showArea(host, 'mail');
    await openPdf();
    // The moved highlight is on page 1 now, drawn there; the vanished quote is kept and flagged "Text geändert".
    await page.locator('.pdf-note-mark.note-color-blau').first().waitFor();
    const moved = panel.getByRole('listitem').filter({ hasText: 'Radweg an der Hauptstraße' });
    expect(await moved.getByRole('button').first().textContent()).toBe('Seite 1');
    const orphan = panel.getByRole('listitem').filter({ hasText: 'Kosten trägt' });
    expect(await orphan.textContent()).toContain('Text geändert');
    expect(await page.locator('.pdf-note-mark.note-color-gelb').count()).toBe(0);
    await page.getByRole('button', { name: 'Nächste Seite' }).click();
    await page.locator('.pdf-page canvas[data-rendered-page="2"]').waitFor();
    expect(await page.locator('.pdf-note-mark').count()).toBe(0);
    // The page note still belongs to page 2.
    expect(await panel.getByRole('listitem').filter({ hasText: 'Haushaltsausschuss' }).textContent()).toContain(
      'Seite 2',
    );
    await host.screenshot('notes-pdf-revised');
  });
});
