import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRendererProbe, type RendererProbe } from './harness/renderer-probe';

// Issue #19 item 7: the "remote content blocked" notice counts every remote reference the sanitizer removed
// (http and https, in attributes, CSS and SVG), so a person learns that something was held back. And item 2:
// the message's own images (`cid:`) are shown without consent, from the data: URLs the reader service
// resolved — never a remote fetch. Run in Chromium, where the sanitizer uses the browser's parsers.
let probe: RendererProbe;

interface Sanitized {
  document: string;
  remoteImages: string[];
  blockedCount: number;
}
interface ProbeWindow {
  probe: {
    sanitizeMailHtml(
      html: string,
      options?: { loadedImages?: Map<string, string>; inlineImages?: Map<string, string> },
    ): Sanitized;
  };
}

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

beforeAll(async () => {
  probe = await openRendererProbe('mail-sanitizers.ts');
});

afterAll(async () => {
  await probe?.close();
});

function sanitize(html: string, inline: Record<string, string> = {}): Promise<Sanitized> {
  return probe.page.evaluate(
    ([h, own]) =>
      (window as unknown as ProbeWindow).probe.sanitizeMailHtml(h, { inlineImages: new Map(Object.entries(own)) }),
    [html, inline] as const,
  );
}

describe('the "remote content blocked" notice counts every removed remote reference (Chromium)', () => {
  const cases: [string, string, number][] = [
    ['an http image', '<p>Hallo</p><img src="http://bilder.example/a.png" alt="a">', 1],
    ['a table background attribute', '<table background="https://x.example/bg.png"><tr><td>T</td></tr></table>', 1],
    ['a body background attribute', '<body background="//x.example/bg.png"><p>T</p></body>', 1],
    ['an image button', '<input type="image" src="https://x.example/knopf.png">', 1],
    [
      'a srcset next to a data: image',
      `<img src="${PNG}" srcset="https://x.example/a.png 1x, http://x.example/b.png 2x">`,
      2,
    ],
    [
      'a video poster and source',
      '<video poster="https://x.example/p.png"><source src="https://x.example/v.mp4"></video>',
      2,
    ],
    ['an SVG image', '<svg><image href="https://x.example/s.png" width="10" height="10"/></svg>', 1],
    ['an SVG image by xlink', '<svg><image xlink:href="http://x.example/s.png"/></svg>', 1],
    [
      'a stylesheet link',
      '<html><head><link rel="stylesheet" href="https://x.example/a.css"></head><body>T</body></html>',
      1,
    ],
    ['@import with a string', '<style>@import "https://x.example/a.css";</style><p>T</p>', 1],
    [
      'two url() in one inline style',
      `<div style="background:url(https://x.example/a.png); list-style-image:url('http://x.example/b.png')">T</div>`,
      2,
    ],
    ['an object', '<object data="https://x.example/o.swf"></object>', 1],
  ];
  for (const [what, html, count] of cases) {
    test(what, async () => {
      const clean = await sanitize(html);
      expect(clean.blockedCount).toBe(count);
      expect(clean.document).not.toMatch(/x\.example|bilder\.example/);
    });
  }

  test('a mail without remote references shows no notice; mailto and links are not fetches', async () => {
    const clean = await sanitize(
      `<p><a href="https://www.stadt.example/">Stadt</a> <a href="mailto:rat@stadt.example">Rat</a></p><img src="${PNG}">`,
    );
    expect(clean.blockedCount).toBe(0);
  });
});

describe('inline images (cid:) come from the message itself (Chromium)', () => {
  test('a cid: reference shows the data: URL the reader resolved, also percent-encoded; an unknown one shows nothing', async () => {
    const clean = await sanitize(
      '<p>Logo:</p><img src="cid:logo@stadt.example" alt="Logo"><img src="cid:scan%2B1@stadt.example" alt="Scan"><img src="cid:fehlt@stadt.example" alt="Fehlt">',
      { 'logo@stadt.example': PNG, 'scan+1@stadt.example': PNG },
    );
    const images = await probe.page.evaluate((doc) => {
      const d = new DOMParser().parseFromString(doc, 'text/html');
      return [...d.querySelectorAll('img')].map((i) => [i.alt, i.getAttribute('src')]);
    }, clean.document);
    expect(images).toEqual([
      ['Logo', PNG],
      ['Scan', PNG],
      ['Fehlt', null],
    ]);
    expect(clean.blockedCount).toBe(0);
    expect(clean.remoteImages).toEqual([]);
  });

  test('a resolved value that is not a raster data: URL is not used', async () => {
    const clean = await sanitize('<img src="cid:x@stadt.example" alt="X">', {
      'x@stadt.example': 'data:image/svg+xml;base64,PHN2Zy8+',
    });
    expect(clean.document).not.toContain('data:image/svg');
  });
});
