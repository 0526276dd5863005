// Loaded into a blank Chromium page by openRendererProbe: fast-check fuzzing and 1 MB adversarial inputs for
// the renderer's mail sanitizers, run where they run in the app (the browser's own HTML and CSS parsers).
import fc from 'fast-check';
import { z } from 'zod';
import { cleanInlineStyle, cleanStyleSheet } from '../../../renderer/src/features/mail/mail-css';
import { linksInText, sanitizeMailHtml } from '../../../renderer/src/features/mail/sanitize-mail-html';

/** What may never be left in CSS that reaches the mail frame. */
const FETCH_SIGN = /url\s*\(|image-set|@import|@font-face|var\s*\(|\\/i;

/** The sanitizer's answer as the reading pane relies on it. */
const SanitizedMailSchema = z.object({
  document: z.string().startsWith('<!doctype html>'),
  remoteImages: z.array(z.string().regex(/^https:\/\//i)),
  blockedCount: z.number().int().nonnegative(),
  links: z.array(z.string().regex(/^(?:https?:|mailto:)/i)),
  tooComplex: z.boolean(),
});
const CleanedCssSchema = z.object({
  css: z.string().refine((css) => !FETCH_SIGN.test(css), 'CSS still shows a fetch'),
  removed: z.number().int().nonnegative(),
});
const TextLinksSchema = z
  .array(
    z
      .string()
      .regex(/^(?:https?:\/\/|mailto:)/i)
      .refine((l) => !/[.,;:!?)\]}>]$/.test(l)),
  )
  .max(200);

function frameCss(document: string): string {
  const href = /href="data:text\/css;base64,([^"]+)"/.exec(document)?.[1] ?? '';
  return new TextDecoder().decode(Uint8Array.from(atob(href), (c) => c.charCodeAt(0)));
}

const cssPiece = fc.constantFrom(
  'a{color:red}',
  'p{background:url(https://x.example/a.png)}',
  'div{background:var(--x, \\75 rl(https://x.example/v.png))}',
  ':root{--bg:url(https://x.example/c.png)}',
  '@import url(https://x.example/i.css);',
  '@font-face{font-family:X;src:url(https://x.example/f.woff)}',
  '@media screen{p{color:blue;background-image:image-set("https://x.example/s.png" 1x)}}',
  '@supports (display:grid){div{display:grid}}',
  '@keyframes k{from{opacity:0}to{opacity:1;background:url(https://x.example/k.png)}}',
  'b{color:\\72 ed}',
  'i{behavior:url(x.htc);-moz-binding:url(x.xml#y)}',
  'td{border:1px solid rgb(0, 0, 0);padding:2px}',
  '}',
  '{',
  ';',
  '/*',
  '*/',
  '\\',
  '"',
  "'",
  '(',
  ')',
  'url(',
  'var(',
  '--',
  '&',
  '</style>',
);
const css = fc.array(fc.oneof(cssPiece, fc.string({ maxLength: 20 })), { maxLength: 20 }).map((p) => p.join(''));

const htmlPiece = fc.constantFrom(
  '<p>',
  '</p>',
  '<div style="',
  '">',
  '<a href="https://ris.stadt.example/bi/vo020.asp?VOLFDNR=1">',
  '<a href="javascript:alert(1)">',
  '<a href="mailto:a@stadt.example">',
  '</a>',
  '<img src="https://x.example/i.png">',
  '<img src="http://x.example/i.png" width="1" height="1">',
  '<img src="cid:logo">',
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<style>',
  '</style>',
  '<svg><image href="https://x.example/s.png"/></svg>',
  '<iframe src="https://x.example/f"></iframe>',
  '<table background="https://x.example/t.png"><tr><td>',
  '<script>alert(1)</script>',
  '<!--',
  '-->',
  '<base href="https://x.example/">',
  '<form action="https://x.example/f"><input name="pw">',
  '<math><mi xlink:href="https://x.example/m">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '&amp;',
  '&lt;',
  '\u202e',
);
const html = fc
  .array(fc.oneof(htmlPiece, cssPiece, fc.string({ maxLength: 20 })), { maxLength: 30 })
  .map((p) => p.join(''));
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom('http://', 'https://', 'mailto:', '.', ',', ')', ']', '>', ' ', '\n', '"', '<'),
      fc.webUrl(),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 40 },
  )
  .map((p) => p.join(''));

export interface FuzzOutcome {
  failures: string[];
  slowestMs: number;
}

function timedCheck<T>(schema: z.ZodType, run: () => T, slowest: { ms: number }, extra?: (out: T) => string | null) {
  const start = performance.now();
  const out = run();
  slowest.ms = Math.max(slowest.ms, performance.now() - start);
  const fits = schema.safeParse(out);
  if (!fits.success) throw new Error(`does not fit: ${JSON.stringify(fits.error.issues[0])}`);
  const problem = extra?.(out);
  if (problem) throw new Error(problem);
}

/** Runs every property with a fixed seed; answers the failures (with counterexamples) and the slowest call. */
export function fuzzSanitizers(seed: number, numRuns: number): FuzzOutcome {
  const failures: string[] = [];
  const slowest = { ms: 0 };
  const properties: Array<[string, fc.IProperty<never>]> = [
    [
      'sanitizeMailHtml',
      fc.property(html, (input) =>
        timedCheck(
          SanitizedMailSchema,
          () => sanitizeMailHtml(input),
          slowest,
          (out) => (FETCH_SIGN.test(frameCss(out.document)) ? 'the frame CSS still shows a fetch' : null),
        ),
      ) as unknown as fc.IProperty<never>,
    ],
    [
      'cleanStyleSheet',
      fc.property(css, (input) =>
        timedCheck(CleanedCssSchema, () => cleanStyleSheet(input), slowest),
      ) as unknown as fc.IProperty<never>,
    ],
    [
      'cleanInlineStyle',
      fc.property(css, (input) =>
        timedCheck(CleanedCssSchema, () => cleanInlineStyle(input), slowest),
      ) as unknown as fc.IProperty<never>,
    ],
    [
      'linksInText',
      fc.property(text, (input) =>
        timedCheck(TextLinksSchema, () => linksInText(input), slowest),
      ) as unknown as fc.IProperty<never>,
    ],
  ];
  for (const [name, property] of properties) {
    const result = fc.check(property, { seed, numRuns });
    if (result.failed) failures.push(`${name}: ${fc.defaultReportMessage(result) ?? 'failed'}`.slice(0, 2000));
  }
  return { failures, slowestMs: slowest.ms };
}

const MB = 1024 * 1024;

/** 1 MB adversarial inputs; answers the milliseconds each one took, by name (only `only` when given). */
export function adversarialTimings(only?: string): Record<string, number> {
  const cases: Record<string, () => unknown> = {
    'text: dots after a link': () => linksInText(`http://a${'.'.repeat(MB)}x`),
    'text: a megabyte of links': () => linksInText('http://a.example/ '.repeat(MB / 18)),
    'html: a link of dots': () => sanitizeMailHtml(`<a href="https://a${'.'.repeat(MB)}x">x</a>`),
    'html: 50,000 distinct links': () =>
      sanitizeMailHtml(Array.from({ length: 50_000 }, (_, i) => `<a href="https://a.example/${i}">${i}</a>`).join('')),
    'html: 50,000 remote images': () =>
      sanitizeMailHtml(Array.from({ length: 50_000 }, (_, i) => `<img src="https://a.example/${i}.png">`).join('')),
    'html: a megabyte of nesting': () => sanitizeMailHtml('<div><span>'.repeat(MB / 11)),
    'html: 400 levels of nesting, parsed': () => sanitizeMailHtml('<div>'.repeat(400) + 'x'.repeat(MB - 2000)),
    'html: 20,000 elements, parsed': () => sanitizeMailHtml('<b>x</b>'.repeat(20_000) + ' '.repeat(MB - 160_000)),
    'html: a megabyte style attribute': () => sanitizeMailHtml(`<p style="${'color:red;'.repeat(MB / 10)}">x</p>`),
    'css: a megabyte of rules': () => cleanStyleSheet('p{color:red;background:var(--x)}'.repeat(MB / 33)),
    'css: a megabyte of escapes': () => cleanStyleSheet(`p{color:${'\\'.repeat(MB)}}`),
    'css: a megabyte of open blocks': () => cleanStyleSheet('@media screen{'.repeat(MB / 14)),
  };
  const out: Record<string, number> = {};
  for (const [name, run] of Object.entries(cases)) {
    if (only !== undefined && name !== only) continue;
    const start = performance.now();
    try {
      run();
      out[name] = performance.now() - start;
    } catch (err) {
      throw new Error(`${name}: ${String(err)}`);
    }
  }
  return out;
}
