import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import {
  bidiMail,
  brokenBoundaryMail,
  hugeSubjectMail,
  inlineImagesMail,
  nestedChainMail,
  plainLinksMail,
  spoofedNameMail,
} from '../support/reading-fidelity-mail';
import { startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';

// Issue #10 item 3 and issue #19 items 1, 2, 4, 5 and 8 in the real pipeline: Dovecot → sync → the list and
// the reading pane in Chromium, with the project's own hostile and broken mails (test/support).
const USER = { user: 'anna', pass: 'Rathaus-2020!' };
const MB = 1024 * 1024;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

describe('reading fidelity in Chromium: nothing shown empty, own images, spoofing and bidi made visible', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  const day = (d: number) => new Date(Date.UTC(2026, 2, d, 9, 0));

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      {
        subject: 'Vor der langen Betreffzeile',
        body: 'eins',
        date: day(1),
        from: 'Kämmerei <kaemmerei@stadt.example>',
      },
      { subject: '', raw: hugeSubjectMail(MB) },
      { subject: 'Nach der langen Betreffzeile', body: 'drei', date: day(2), from: 'Bauamt <bauamt@stadt.example>' },
      { subject: '', raw: brokenBoundaryMail('missing') },
      { subject: '', raw: nestedChainMail(40) },
      { subject: '', raw: inlineImagesMail() },
      { subject: '', raw: spoofedNameMail() },
      { subject: '', raw: bidiMail() },
      { subject: '', raw: plainLinksMail() },
    ]);
    host = await startSignedIn(dovecot, USER);
  });

  afterAll(async () => {
    await host?.close();
    await stopAndRemove(dovecot);
  });

  const list = () => host.page.getByRole('listbox', { name: 'Nachrichten' });
  const pane = () => host.page.getByRole('region', { name: 'Nachricht', exact: true });
  const row = (text: string) => list().getByRole('option').filter({ hasText: text });

  async function openMessage(listed: string, heading = listed) {
    await row(listed).first().click();
    await pane().getByRole('heading', { name: heading }).first().waitFor();
  }

  test('#10.3: a megabyte subject does not blind the inbox: every message is listed, the long one cut', async () => {
    await expect.poll(() => list().getByRole('option').count(), { timeout: 30_000 }).toBe(9);
    for (const subject of ['Vor der langen Betreffzeile', 'Nach der langen Betreffzeile', 'Mit Wappen und Scan']) {
      expect(await row(subject).count(), subject).toBe(1);
    }
    const long = row('Sehr wichtige Angelegenheit');
    const text = (await long.locator('.subject').textContent()) ?? '';
    expect(text.length).toBeLessThanOrEqual(1100);
    expect(text.trimEnd().endsWith('…')).toBe(true);
    expect(await host.page.getByText('Ein unerwarteter Fehler ist aufgetreten').count()).toBe(0);
    await host.screenshot('fidelity-inbox-huge-subject');
  });

  test('#19.1: a multipart without a boundary shows its text and the notice, with the source one click away', async () => {
    await openMessage('Niederschrift (Grenze missing)');
    const notice = pane().locator('[data-malformed="true"]');
    await expect.poll(() => notice.textContent()).toContain('fehlerhaft aufgebaut');
    expect(await pane().locator('.mail-text').textContent()).toContain('Die Niederschrift der Sitzung vom 2. März');
    const source = pane().locator('details.reader-source');
    expect(await source.locator('pre').isVisible()).toBe(false);
    await source.getByText('Quelltext anzeigen').click();
    await expect.poll(() => source.locator('pre').isVisible()).toBe(true);
    expect(await source.locator('pre').textContent()).toContain('Content-Type: multipart/mixed');
    await host.screenshot('fidelity-malformed-boundary');
  });

  test('#19.1: a deep chain of attached messages is never an empty pane: it says where the content is', async () => {
    await openMessage('Kette weitergeleiteter Nachrichten');
    const said = pane().locator('[data-no-text="true"], .mail-text');
    await expect.poll(() => said.first().textContent()).toMatch(/\S/);
    const attachments = pane().getByRole('region', { name: 'Anhänge' });
    expect(await attachments.getByRole('listitem').count()).toBe(1);
    await host.screenshot('fidelity-nested-chain');
  });

  test('#19.2: inline images show from the message itself, without consent or network; they are not listed again', async () => {
    await openMessage('Mit Wappen und Scan');
    const frame = host.page.frameLocator('iframe.mail-frame');
    const wappen = frame.getByAltText('Wappen');
    await expect.poll(() => wappen.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(60);
    expect(await frame.getByAltText('Scan').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
    // The SVG and the fake PNG are not shown inline; nothing asks to load remote content.
    expect(await frame.getByAltText('Zeichen').evaluate((img) => img.getAttribute('src'))).toBeNull();
    expect(await host.page.getByRole('button', { name: 'Externe Inhalte laden' }).count()).toBe(0);
    const names = await pane().getByRole('region', { name: 'Anhänge' }).getByRole('listitem').allTextContents();
    expect(names.map((n) => n.split(' (')[0]!.trim())).toEqual(['zeichen.svg', 'kaputt.png', 'foto.png']);
    expect(host.foreignRequests).toEqual([]);
    await host.screenshot('fidelity-inline-images');
  });

  test('#19.4: a display name holding another address shows the real address with a warning, list and pane', async () => {
    const spoofed = row('Zugangsdaten bestätigen');
    expect(await spoofed.getAttribute('data-misleading-sender')).toBe('true');
    // The real address first (a narrow column cuts the claimed name, never the address).
    expect(await spoofed.locator('.from').textContent()).toMatch(
      /^⚠\s*attacker@evil\.example \(ratsbuero@stadt\.example\)$/,
    );
    expect(await spoofed.getByRole('img', { name: /Achtung/ }).count()).toBe(1);
    // An ordinary sender has no mark.
    expect(await row('Mit Wappen und Scan').getAttribute('data-misleading-sender')).toBeNull();
    await openMessage('Zugangsdaten bestätigen', 'Dringend: Zugangsdaten bestätigen');
    const from = pane().locator('dd[data-misleading-sender="true"]');
    expect(await from.textContent()).toContain('<attacker@evil.example>');
    expect(await from.textContent()).toContain('Achtung: Der Name nennt eine andere Adresse');
    await host.screenshot('fidelity-misleading-sender');
  });

  test('#19.5: bidi overrides are gone from subject, name and file name, and each untrusted string is isolated', async () => {
    const bidi = row('Protokoll (fdp.exe)');
    const listed = (await bidi.textContent()) ?? '';
    expect(listed).toContain('Protokoll (fdp.exe) Beschluss');
    expect(listed).not.toMatch(BIDI_CONTROLS);
    expect(await bidi.locator('.subject bdi').count()).toBe(1);
    await openMessage('Protokoll (fdp.exe)', 'Protokoll (fdp.exe) Beschluss');
    expect(await pane().locator('h2 bdi').textContent()).toBe('Protokoll (fdp.exe) Beschluss');
    const header = (await pane().locator('.reader-header').textContent()) ?? '';
    expect(header).toContain('Amt redlaw');
    expect(header).not.toMatch(BIDI_CONTROLS);
    const attachment = pane().getByRole('region', { name: 'Anhänge' }).locator('li bdi');
    expect(await attachment.textContent()).toBe('Vorlagefdp.exe');
    // Isolated: the subject's direction does not leak into what stands around it.
    expect(
      await pane()
        .locator('h2')
        .evaluate((h) => getComputedStyle(h).unicodeBidi),
    ).toBe('isolate');
    await host.screenshot('fidelity-bidi');
  });

  test('#19.8: the link list offers https and mailto; http, IP addresses and localhost stay text', async () => {
    await openMessage('Links im Text');
    const links = pane().getByRole('region', { name: 'Links in dieser Nachricht' });
    await expect.poll(() => links.getByRole('listitem').count()).toBeGreaterThan(0);
    const offered = links.locator('li:not([data-offered="false"])');
    const notOffered = links.locator('li[data-offered="false"]');
    const offeredText = (await offered.allTextContents()).join('\n');
    expect(offeredText).toContain('https://ratsinfo.stadt.example/to/4711');
    expect(offeredText).toContain('mailto:ratsbuero@stadt.example');
    const shown = (await notOffered.allTextContents()).join('\n');
    for (const url of [
      'http://ratsinfo.stadt.example/to/4711',
      'https://192.168.1.1/admin',
      'https://127.0.0.1:8443/x',
      'https://localhost/y',
    ]) {
      expect(shown, url).toContain(url);
    }
    expect(await notOffered.getByRole('button').count()).toBe(0);
    await host.screenshot('fidelity-links');
  });
});
