import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import { buildMimeMessage } from '../support/mime-message';
import type { AppHost } from './harness/app-host';

const USER = { user: 'anna', pass: 'Rathaus-2020!' };
// A 1×1 PNG: what the "remote" logo server answers.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function listen(server: Server): Promise<number> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
}

function hostileHtml(attacker: string, images: string): string {
  return `<html><head>
<meta http-equiv="refresh" content="0;url=${attacker}/meta-refresh">
<base href="${attacker}/base/">
<link rel="stylesheet" href="${attacker}/link.css">
<style>@import url(${attacker}/import.css); body { background: url(${attacker}/css-bg.png) }
@font-face { font-family: X; src: url(${attacker}/font.woff) }</style>
<script>window.__canary && window.__canary('head-script'); top.document.title = 'PWNED';</script>
</head><body background="${attacker}/body-bg.png" onload="__canary('onload')">
<p>Sehr geehrte Damen und Herren, hier der sichtbare Text der Einladung.</p>
<img src="x" onerror="__canary('onerror')">
<img src="${attacker}/pixel.gif" width="1" height="1">
<img src="${images}/tracker.png" width="1" height="1" alt="">
<img src="${images}/logo.png" alt="Logo der Stadt" width="120" height="40">
<a href="javascript:__canary('javascript-url')">Klick mich</a>
<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19jYW5hcnkoJ2RhdGEnKTwvc2NyaXB0Pg==">Daten</a>
<a href="https://ratsinfo.stadt.example/bi/vo020.asp?VOLFDNR=4711">Vorlage 4711</a>
<a href="https://www.example.org/spende">Spenden</a>
<form action="${attacker}/form" method="post"><input name="pw" value="geheim"><button>Senden</button></form>
<div style="background-image: url('${attacker}/inline-bg.png')">Hintergrund</div>
<svg xmlns="http://www.w3.org/2000/svg"><script>__canary('svg-script')</script><image href="${attacker}/svg-image.png"/></svg>
<iframe src="${attacker}/iframe.html"></iframe>
<object data="${attacker}/object.swf"></object><embed src="${attacker}/embed.swf">
<video poster="${attacker}/poster.png" src="${attacker}/video.mp4"></video>
<table background="${attacker}/table-bg.png"><tr><td>Tabelle</td></tr></table>
<img src="${images}/logo.png" srcset="${attacker}/srcset.png 2x" onmouseover="__canary('mouseover')">
</body></html>`;
}

/** An ordinary Outlook-style mail: its own stylesheet and inline styles, nothing remote. */
const styledHtml = `<html><head><style>
p.hinweis { color: rgb(180, 0, 0); font-weight: bold }
#kopf td { background-color: rgb(0, 80, 160); color: white }
</style></head><body>
<table id="kopf"><tr><td>Amtsblatt der Stadt</td></tr></table>
<p class="hinweis">Bitte beachten Sie die Fristen.</p>
<p style="border: 2px solid rgb(0, 128, 0); color: rgb(0, 0, 0)">Grün umrandet</p>
</body></html>`;

/** The mail frame's one stylesheet (a data: URL in its srcdoc), decoded; '' when there is none. */
function frameCss(srcdoc: string): string {
  const m = /<link rel="stylesheet" href="data:text\/css;base64,([A-Za-z0-9+/=]+)">/.exec(srcdoc);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
}

function htmlMessage(subject: string, html: string, date: Date): string {
  return buildMimeMessage({
    from: 'Werbung <newsletter@werbung.example>',
    to: 'anna@stadt.example',
    subject,
    date,
    messageId: `hostile-${date.getTime()}@werbung.example`,
    html,
  });
}

describe('reading mail in Chromium: hostile HTML stays inert, remote content only on request, offline reading', () => {
  let dovecot: DovecotServer;
  let attacker: Server;
  let attackerUrl: string;
  const attackerHits: string[] = [];
  let images: Server;
  let imagesUrl: string;
  const imageHits: string[] = [];
  let host: AppHost;
  let policyDir: string;
  let policyFile: string;
  const canary: string[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    attacker = createHttpServer((req, res) => {
      attackerHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x');
    });
    attackerUrl = `http://127.0.0.1:${await listen(attacker)}`;
    images = createHttpsServer(
      { cert: readFileSync(dovecot.cert.certFile), key: readFileSync(dovecot.cert.keyFile) },
      (req, res) => {
        imageHits.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      },
    );
    imagesUrl = `https://127.0.0.1:${await listen(images)}`;
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9, 0));
    dovecot.seed(USER.user, [
      {
        subject: 'Einladung zur Ratssitzung',
        body: 'Die Sitzung des Hauptausschusses beginnt um 17 Uhr im Bürgersaal.',
        date: day(3),
        from: 'Ratsbüro <ratsbuero@stadt.example>',
      },
      {
        subject: 'Haushaltsplan 2027: Beschlussvorschlag',
        body: 'Der Beschlussvorschlag zum Haushalt liegt bei.',
        date: day(4),
        from: 'Kämmerei <kaemmerei@stadt.example>',
      },
      { raw: htmlMessage('Ihr exklusives Angebot', hostileHtml(attackerUrl, imagesUrl), day(5)), subject: '' },
      { raw: htmlMessage('Amtsblatt mit Formatierung', styledHtml, day(2)), subject: '' },
    ]);
    // The logo server stands on loopback: remote images reach only public addresses unless the machine policy
    // names the host as an internal image server (issue #10 item 10), as it does here.
    policyDir = mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-policy-'));
    policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ internalImageHosts: ['127.0.0.1'] }));
  });

  // Each test starts signed in with a fresh app (vault, page) and nothing fetched or sung yet. The tests
  // only read the mailbox on the server.
  beforeEach(async () => {
    for (const seen of [attackerHits, imageHits, canary]) seen.length = 0;
    host = await startSignedIn(dovecot, USER, {
      policy: { file: policyFile },
      beforeOpen: (h) =>
        h.context.exposeBinding('__canary', (_source, what: unknown) => {
          canary.push(String(what));
        }),
    });
  });

  afterEach(async () => {
    await host?.close();
    await dovecot.start(); // the offline test stops it
  });

  afterAll(async () => {
    await new Promise((ok) => attacker?.close(ok));
    await new Promise((ok) => images?.close(ok));
    await stopAndRemove(dovecot);
    if (policyDir) rmSync(policyDir, { recursive: true, force: true });
  });

  async function openMessage(subject: string) {
    const option = host.page
      .getByRole('listbox', { name: 'Nachrichten' })
      .getByRole('option')
      .filter({ hasText: subject });
    await option.click();
    await host.page
      .getByRole('region', { name: 'Nachricht', exact: true })
      .getByRole('heading', { name: subject })
      .waitFor();
  }

  async function mailFrameLoaded() {
    await host.page.locator('iframe.mail-frame').waitFor();
    // The element can be attached a moment before Chromium reports its srcdoc frame: wait for both.
    const srcdocFrame = () => host.page.frames().find((f) => f.url() === 'about:srcdoc');
    await expect.poll(() => srcdocFrame() !== undefined, { timeout: 15_000 }).toBe(true);
    await srcdocFrame()?.waitForLoadState('load');
  }

  test('hostile HTML: nothing runs, nothing is fetched; the remote image loads only after "load remote content"', async () => {
    const { page } = host;
    await page
      .getByRole('listbox', { name: 'Nachrichten' })
      .getByRole('option')
      .filter({ hasText: 'Ihr exklusives Angebot' })
      .waitFor();
    await openMessage('Ihr exklusives Angebot');
    await mailFrameLoaded();

    const frame = page.locator('iframe.mail-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain('sichtbare Text der Einladung');
    for (const bad of [
      '<script',
      'onerror',
      'onload',
      'onmouseover',
      'javascript:',
      'data:text/html',
      '<form',
      '<input',
      'http-equiv',
      '<style',
      '<svg',
      '<iframe',
      '<object',
      '<embed',
      '<video',
      '<base',
      'srcset',
      'background',
      attackerUrl,
      imagesUrl,
    ]) {
      expect(srcdoc, bad).not.toContain(bad);
    }
    // The one <link> is the frame's own cleaned stylesheet: none of the mail's fetching CSS survived it.
    expect(srcdoc.match(/<link/g)).toHaveLength(1);
    const css = frameCss(srcdoc);
    expect(css).toContain('font-family');
    for (const bad of ['url(', '@import', '@font-face', 'background', attackerUrl, imagesUrl]) {
      expect(css, bad).not.toContain(bad);
    }
    // The sandboxed frame has no script: the canary never sang, the app's title is untouched.
    expect(canary).toEqual([]);
    expect(await page.title()).toBe('Ratsdesk');
    // Nothing was fetched: not by the page, not from the attacker, not the images.
    expect(host.foreignRequests).toEqual([]);
    expect(attackerHits).toEqual([]);
    expect(imageHits).toEqual([]);

    // Links: shown with their real target; opening goes through the app (which asks), council links marked.
    const links = page.getByRole('region', { name: 'Links in dieser Nachricht' });
    await expect.poll(() => links.textContent()).toContain('https://www.example.org/spende');
    expect(await links.textContent()).not.toContain('javascript:');
    const council = links.locator('li.council');
    expect(await council.textContent()).toContain('VOLFDNR=4711');
    // An ordinary link leaves the app only through app.openExternal (which shows the target and asks) …
    await links.locator('li', { hasText: 'https://www.example.org/spende' }).getByRole('button').first().click();
    await expect.poll(() => host.externalOpens).toEqual(['https://www.example.org/spende']);
    // … a council link never leaves: it opens the council viewer inside the app.
    await council.getByRole('button').click();
    const nav = page.getByRole('navigation', { name: 'Bereiche' });
    await expect.poll(() => nav.getByRole('button', { name: 'Ratsinfo' }).getAttribute('aria-current')).toBe('page');
    expect(host.externalOpens).toEqual(['https://www.example.org/spende']);
    await nav.getByRole('button', { name: 'E-Mail' }).click();
    await openMessage('Ihr exklusives Angebot');
    await mailFrameLoaded();
    await host.screenshot('mail-hostile-html');

    // Remote content: blocked and said so; on request the main process fetches the logo (never the pixel).
    const notice = page.getByRole('note').filter({ hasText: 'blockiert' });
    await notice.waitFor();
    await page.getByRole('button', { name: 'Externe Inhalte laden' }).click();
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('data:image/png;base64,');
    // The frame shows the logo from its data: URL (it has loaded: a real width).
    const logo = page.frameLocator('iframe.mail-frame').getByAltText('Logo der Stadt').first();
    await expect.poll(() => logo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
    expect(imageHits).toEqual(['/logo.png']);
    expect(attackerHits).toEqual([]);
    expect(host.foreignRequests).toEqual([]);
    expect(canary).toEqual([]);
    await host.screenshot('mail-remote-loaded');
  });

  test('an ordinary styled mail keeps its look: its stylesheet and inline styles apply inside the frame', async () => {
    const { page } = host;
    await openMessage('Amtsblatt mit Formatierung');
    await mailFrameLoaded();
    const frame = page.frameLocator('iframe.mail-frame');
    const hinweis = frame.getByText('Bitte beachten Sie die Fristen.');
    await expect.poll(() => hinweis.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(180, 0, 0)');
    expect(await hinweis.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    const kopf = frame.getByText('Amtsblatt der Stadt');
    expect(await kopf.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(0, 80, 160)');
    const umrandet = frame.getByText('Grün umrandet');
    expect(await umrandet.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(0, 128, 0)');
    expect(await umrandet.evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe('2px');
    // Still no style attribute or <style> element in the frame: the cleaned stylesheet carries it all.
    const srcdoc = (await page.locator('iframe.mail-frame').getAttribute('srcdoc')) ?? '';
    expect(srcdoc).not.toMatch(/<style|\sstyle=/);
    expect(host.foreignRequests).toEqual([]);
    await host.screenshot('mail-styled-html');
  });

  test('offline: with Dovecot stopped, messages stay readable and searchable', async () => {
    const { page } = host;
    await dovecot.stop();
    await page.locator('.mail-status[data-connection="offline"]').waitFor();
    expect(await page.getByRole('status', { name: 'Verbindungsstatus' }).textContent()).toContain('Offline');

    await openMessage('Einladung zur Ratssitzung');
    await expect.poll(() => page.locator('.mail-text').textContent()).toContain('Hauptausschusses beginnt um 17 Uhr');

    // Search as you type, German prefix and umlaut folding, from the vault's index.
    const search = page.getByRole('searchbox', { name: 'Nachrichten durchsuchen' });
    await search.fill('Beschluss');
    const list = page.getByRole('listbox', { name: 'Nachrichten' });
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    expect(await list.getByRole('option').first().textContent()).toContain('Haushaltsplan 2027');
    await search.fill('burgersaal');
    await expect.poll(() => list.getByRole('option').first().textContent()).toContain('Einladung zur Ratssitzung');
    await host.screenshot('mail-offline-search');
    await page.keyboard.press('Escape');
    await expect.poll(() => list.getByRole('option').count()).toBe(4);
    expect(host.foreignRequests).toEqual([]);
  });
});
