import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRendererProbe, type RendererProbe } from './harness/renderer-probe';

// Issue #10 item 9: custom properties, var() and CSS escapes carried fetches past the mail CSS filter, and the
// "remote content blocked" notice did not count them. The sanitizer runs in Chromium, its document is shown
// in a sandboxed frame WITHOUT the app's CSP (the filter alone must hold), and a loopback listener records
// whether anything was fetched.
let listener: Server;
let origin: string;
const fetched: string[] = [];
let probe: RendererProbe;

interface Shown {
  blockedCount: number;
  css: string;
}

beforeAll(async () => {
  listener = createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'image/png' }).end();
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  probe = await openRendererProbe('mail-sanitizers.ts');
});

afterAll(async () => {
  await probe?.close();
  await new Promise<void>((r) => listener.close(() => r()));
});

/** Sanitizes `html` as the reading pane does and shows it in a sandboxed frame until it has loaded. */
async function show(html: string): Promise<Shown> {
  return probe.page.evaluate(async (input) => {
    const w = window as unknown as {
      probe: { sanitizeMailHtml(html: string): { document: string; blockedCount: number } };
    };
    const clean = w.probe.sanitizeMailHtml(input);
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', '');
    frame.style.width = '600px';
    frame.style.height = '400px';
    const loaded = new Promise((r) => frame.addEventListener('load', r));
    frame.srcdoc = clean.document;
    document.body.replaceChildren(frame);
    await loaded;
    // Backgrounds load after layout: give them a few frames.
    await new Promise((r) => setTimeout(r, 300));
    const href = /href="(data:text\/css;base64,[^"]+)"/.exec(clean.document)?.[1] ?? '';
    const css = href
      ? new TextDecoder().decode(Uint8Array.from(atob(href.split(',')[1] ?? ''), (c) => c.charCodeAt(0)))
      : '';
    return { blockedCount: clean.blockedCount, css };
  }, html);
}

describe('mail CSS: what the filter cannot see through is dropped and counted', () => {
  const cases = (o: string): Array<[string, string]> => [
    [
      'var() fallback with an escaped url()',
      `<style>div{background:var(--x, \\75 rl(${o}/var-fallback.png))}</style><div>Text</div>`,
    ],
    [
      'custom property holding an escaped url()',
      `<style>:root{--bg:\\75 rl(${o}/custom-prop.png)} div{background:var(--bg)}</style><div>Text</div>`,
    ],
    ['inline var() fallback', `<div style="background:var(--x, \\75 rl(${o}/inline-var.png))">Text</div>`],
    ['inline custom property', `<div style="--y:\\75 rl(${o}/inline-custom.png);background-image:var(--y)">Text</div>`],
    ['escaped property value', `<style>div{background:\\75 \\72 \\6c (${o}/escaped.png)}</style><div>Text</div>`],
  ];

  test('no case fetches anything, the frame CSS holds no var(), escape or custom property, and the notice counts it', async () => {
    for (const [name, html] of cases(origin)) {
      fetched.length = 0;
      const shown = await show(html);
      expect(fetched, name).toEqual([]);
      expect(shown.css, name).not.toMatch(/var\s*\(|\\|--[a-z]/i);
      expect(shown.blockedCount, name).toBeGreaterThanOrEqual(1);
    }
  });

  test('ordinary mail styles still pass', async () => {
    const shown = await show(
      '<style>p.hinweis{color:rgb(180, 0, 0);font-weight:bold}</style><p class="hinweis" style="border:2px solid rgb(0, 128, 0)">Hinweis</p>',
    );
    expect(shown.css).toContain('color: rgb(180, 0, 0)');
    expect(shown.css).toContain('border: 2px solid rgb(0, 128, 0) !important');
    expect(shown.blockedCount).toBe(0);
  });
});
