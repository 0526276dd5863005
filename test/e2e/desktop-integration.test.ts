import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mailtoIntent } from '../../electron/main/app-intents';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type AppHost, startAppHost } from './harness/app-host';
import { untilServicesLocked } from './harness/lock-state';
import { showArea } from '../support/e2e-account';

// The desktop app's own paths, with the host's Electron side played by the test harness: the application
// menu's commands (contract event app.menuCommand), mailto: requests and notification clicks
// (app.intentsPending / app.takeIntents), the print layout (printed to PDF by Chromium) and the print policy.

const USER = { user: 'dora', pass: 'Stadtrat-2026!' };
const SUBJECT = 'Einladung zur Fraktionssitzung';
const BODY = 'Liebe Fraktion, die Sitzung beginnt um 18 Uhr im Rathaus.';

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  }
  const pages = doc.numPages;
  await doc.destroy();
  // Compared without white space: pdf.js splits words where a ligature or a kerning gap is.
  return { pages, text: text.replace(/\s+/g, '') };
}

describe('desktop integration in Chromium against real Dovecot: menu, mailto, print', () => {
  let dovecot: DovecotServer;
  const policyDir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-'));

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      {
        from: 'Fraktionsbüro <buero@stadt.example>',
        to: 'dora@stadt.example',
        subject: SUBJECT,
        date: new Date('2026-11-10T09:00:00Z'),
        body: BODY,
        // Already read, so the badge test does not depend on whether the print tests ran before it.
        seen: true,
      },
      // Never opened by these tests: the inbox keeps one unread message for the badge.
      { subject: 'Ältere Mitteilung', date: new Date('2026-11-01T09:00:00Z') },
    ]);
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
    rmSync(policyDir, { recursive: true, force: true });
  });

  async function signedIn(policy: Record<string, unknown> = {}): Promise<AppHost> {
    const file = join(policyDir, `policy-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        imapHost: '127.0.0.1',
        imapPort: dovecot.imapsPort,
        extraCaCertificates: [dovecot.cert.caPem],
        ...policy,
      }),
    );
    const host = await startAppHost({ policy: { file }, lock: { idleMs: 600_000 } });
    await host.open();
    await host.page.getByLabel('Benutzername').fill(USER.user);
    await host.page.getByLabel('Passwort').fill(USER.pass);
    await host.page.getByRole('button', { name: 'Verbinden' }).click();
    await showArea(host, 'mail');
    const first = host.page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first();
    await expect.poll(() => first.textContent(), { timeout: 30_000 }).toContain(SUBJECT);
    return host;
  }

  test('print layout: the header block and the text of the open mail, nothing of the app around it', async () => {
    const host = await signedIn();
    try {
      const { page } = host;
      await page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first().click();
      await page.getByRole('heading', { name: SUBJECT }).waitFor();
      await expect.poll(() => page.locator('.print-body').textContent()).toContain('18 Uhr');
      const { text, pages } = await pdfText(await page.pdf({ format: 'A4' }));
      expect(pages).toBe(1);
      const compact = (s: string) => s.replace(/\s+/g, '');
      for (const label of ['Von', 'An', 'Datum', 'Betreff']) expect(text).toContain(label);
      expect(text).toContain(compact('Fraktionsbüro <buero@stadt.example>'));
      expect(text).toContain(compact(SUBJECT));
      expect(text).toContain(compact(BODY));
      // No toolbar, no folder list, no navigation on paper.
      for (const chrome of ['Antworten', 'Weiterleiten', 'Posteingang', 'Einstellungen', 'Sperren']) {
        expect(text).not.toContain(chrome);
      }
      // "Drucken …" in the toolbar's "Mehr" prints the open mail through the host's system dialog.
      await page.getByRole('toolbar', { name: 'Aktionen' }).getByRole('button', { name: 'Mehr' }).click();
      await page.getByRole('menu', { name: 'Mehr' }).getByRole('menuitem', { name: 'Drucken …' }).click();
      await expect.poll(() => host.prints).toEqual(['mail']);
      host.emit('app', 'menuCommand', { command: 'print' });
      await expect.poll(() => host.prints).toEqual(['mail', 'mail']);
    } finally {
      await host.close();
    }
  });

  test('printAllowed false: no print button, the menu command does nothing, the call is refused', async () => {
    const host = await signedIn({ printAllowed: false });
    try {
      const { page } = host;
      await page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').first().click();
      await page.getByRole('heading', { name: SUBJECT }).waitFor();
      await page.getByRole('toolbar', { name: 'Aktionen' }).getByRole('button', { name: 'Mehr' }).click();
      const more = page.getByRole('menu', { name: 'Mehr' });
      await more.getByRole('menuitem').first().waitFor();
      expect(await more.getByRole('menuitem', { name: 'Drucken …' }).count()).toBe(0);
      await page.keyboard.press('Escape');
      host.emit('app', 'menuCommand', { command: 'print' });
      const refused = await page.evaluate(() =>
        (window as unknown as { ratsdesk: { app: { print(i: unknown): Promise<unknown> } } }).ratsdesk.app.print({
          what: 'mail',
        }),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'PRINT_FORBIDDEN' } });
      expect(host.prints).toEqual([]);
    } finally {
      await host.close();
    }
  });

  test('menu commands and a mailto: request, also one that arrives while locked (opened after unlock)', async () => {
    const host = await signedIn();
    try {
      const { page } = host;
      // The renderer gave the menu its language, and the inbox's unread count to the app icon.
      expect(host.languages.at(-1)).toBe('de');
      await expect.poll(() => host.unreadCounts.at(-1)).toBe(1);

      host.emit('app', 'menuCommand', { command: 'newMessage' });
      const compose = page.getByRole('dialog', { name: 'Nachricht verfassen' });
      await compose.waitFor();
      await page.getByRole('button', { name: 'Verwerfen' }).click();
      await compose.waitFor({ state: 'hidden' });

      // A mailto: URL (RFC 6068) while the app runs: the compose window opens filled in.
      host.intents.push(
        mailtoIntent(
          'mailto:chris@example.com,kai@stadt.example?cc=bob@example.com&subject=caf%C3%A9%20und%20Kuchen&body=Zeile%201%0D%0AZeile%202&attach=/etc/passwd',
        )!,
      );
      await compose.waitFor();
      expect(await page.getByLabel('An', { exact: true }).inputValue()).toBe('chris@example.com, kai@stadt.example');
      expect(await page.getByLabel('Kopie (Cc)', { exact: true }).inputValue()).toBe('bob@example.com');
      expect(await page.getByLabel('Betreff').inputValue()).toBe('café und Kuchen');
      expect(await page.getByLabel('Text', { exact: true }).inputValue()).toBe('Zeile 1\nZeile 2');
      await host.screenshot('mailto-compose');
      await page.getByRole('button', { name: 'Verwerfen' }).click();
      await compose.waitFor({ state: 'hidden' });

      // Locked: the request waits; the page is told only that something waits, and cannot take it.
      await page.getByRole('button', { name: 'Sperren', exact: true }).click();
      await page.getByRole('heading', { name: 'Ratsdesk ist gesperrt' }).waitFor();
      await untilServicesLocked(page);
      host.intents.push(mailtoIntent('mailto:rat@stadt.example?subject=Nach%20dem%20Entsperren')!);
      const taken = await page.evaluate(() =>
        (window as unknown as { ratsdesk: { app: { takeIntents(): Promise<unknown> } } }).ratsdesk.app.takeIntents(),
      );
      expect(taken).toMatchObject({ ok: false, error: { code: 'APP_LOCKED' } });
      expect(await page.content()).not.toContain('Nach dem Entsperren');
      await page.getByLabel('Passwort Ihres Postfachs').fill(USER.pass);
      await page.getByRole('button', { name: 'Entsperren' }).click();
      await compose.waitFor({ timeout: 30_000 });
      expect(await page.getByLabel('An', { exact: true }).inputValue()).toBe('rat@stadt.example');
      expect(await page.getByLabel('Betreff').inputValue()).toBe('Nach dem Entsperren');
    } finally {
      await host.close();
    }
  });

  test('files dropped on the compose window become attachments in the encrypted cache; a drop elsewhere does nothing', async () => {
    const host = await signedIn();
    try {
      const { page } = host;
      host.emit('app', 'menuCommand', { command: 'newMessage' });
      const compose = page.getByRole('dialog', { name: 'Nachricht verfassen' });
      await compose.waitFor();
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['Haushaltsentwurf 2027'], 'Entwurf.txt', { type: 'text/plain' }));
        const form = document.querySelector('.compose-dialog form')!;
        form.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        form.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await compose.getByText('Entwurf.txt').waitFor();
      const cached = (await host.services.handlers.documents.list()).find((d) => d.name === 'Entwurf.txt');
      expect(cached).toBeDefined();
      const opened = await host.services.handlers.documents.open({ id: cached!.id });
      expect(Buffer.from(opened.bytes).toString('utf8')).toBe('Haushaltsentwurf 2027');
      await page.getByRole('button', { name: 'Verwerfen' }).click();
      await compose.waitFor({ state: 'hidden' });

      const before = page.url();
      const prevented = await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['<script>alert(1)</script>'], 'evil.html', { type: 'text/html' }));
        const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
        document.querySelector('main')!.dispatchEvent(drop);
        return drop.defaultPrevented;
      });
      expect(prevented).toBe(true);
      expect(page.url()).toBe(before);
      expect((await host.services.handlers.documents.list()).some((d) => d.name === 'evil.html')).toBe(false);
    } finally {
      await host.close();
    }
  });
});
