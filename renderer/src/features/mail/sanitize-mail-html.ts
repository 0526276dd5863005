import DOMPurify from 'dompurify';
import { tooComplexToParse } from './html-complexity';
import { cleanInlineStyle, cleanStyleSheet, styleSheetDataUrl } from './mail-css';

/** What the sanitizer made of a message's HTML. */
export interface SanitizedMail {
  /** A complete document for an <iframe sandbox srcdoc>. */
  document: string;
  /** Remote https images that were blocked (tracking pixels not included): candidates for "load remote content". */
  remoteImages: string[];
  /**
   * Every remote reference removed (issue #19 item 7): each http(s) or protocol-relative URL in an attribute
   * that fetches (images, sources, backgrounds, posters, objects, stylesheets, SVG images), in CSS (`url()`,
   * `@import`) and in SVG, on any element — also on those removed whole — less the images loaded after
   * consent. A style that lost a declaration that could hide a fetch (`var()`, escapes) counts once.
   */
  blockedCount: number;
  /** Real targets of the links (http, https, mailto), in order, each once. */
  links: string[];
  /** Too deep or too big to parse affordably (html-complexity.ts): nothing was parsed, show the text part. */
  tooComplex: boolean;
}

export interface SanitizeOptions {
  /** Remote image URL → data: URL fetched by the main process after the person allowed it. */
  loadedImages?: ReadonlyMap<string, string>;
  /** Content-ID → data: URL of the message's own images (`cid:`), resolved by the reader service. */
  inlineImages?: ReadonlyMap<string, string>;
}

const FORBID_TAGS = [
  'style',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'svg',
  'math',
  'template',
  'noscript',
  'portal',
];

// Attributes that fetch, or carry CSS (style: cleaned separately, see mail-css.ts), or act.
const FORBID_ATTR = [
  'style',
  'srcset',
  'background',
  'poster',
  'formaction',
  'action',
  'ping',
  'lowsrc',
  'dynsrc',
  'longdesc',
  'xmlns',
  'name',
];

/** Readable defaults under the mail's own CSS (the frame has no app styles). */
const BASE_CSS =
  'body{margin:8px;font-family:system-ui,sans-serif;line-height:1.4;overflow-wrap:anywhere}img{max-width:100%;height:auto}';

/**
 * Last in the frame's sheet: the app's own reduced-motion rule (app.css) does not reach into the frame, and a
 * newsletter's animations and transitions would keep moving for a person who asked the system for less motion.
 */
const REDUCED_MOTION_CSS =
  '@media (prefers-reduced-motion: reduce){*,*::before,*::after{scroll-behavior:auto!important;transition-duration:0s!important;animation-duration:0s!important;animation-iteration-count:1!important}}';

const EMPTY_DOCUMENT = '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>';

const SAFE_IMAGE_DATA = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;
const LINK_SCHEMES = /^(https?:|mailto:)/i;

/** Attributes whose URL the browser fetches on its own (`href` only on the elements named below). */
const FETCHING_ATTRIBUTES = new Set([
  'src',
  'background',
  'poster',
  'lowsrc',
  'dynsrc',
  'longdesc',
  'data',
  'codebase',
  'archive',
  'manifest',
  'icon',
  'profile',
  'xlink:href',
]);
const CANDIDATE_LISTS = new Set(['srcset', 'imagesrcset']);
const HREF_FETCHES = new Set(['link', 'image', 'use', 'feimage', 'script']);

function isRemoteUrl(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v.startsWith('https://') || v.startsWith('http://') || v.startsWith('//');
}

/** Remote references in CSS text: each `url(` or `@import "…"` whose target is http(s) or protocol-relative. */
export function remoteReferencesInCss(css: string): number {
  const lower = css.toLowerCase();
  let count = 0;
  const targetAfter = (from: number): boolean => {
    let i = from;
    while (i < css.length && (css[i] === ' ' || css[i] === '\t' || css[i] === '\n' || css[i] === '"' || css[i] === "'"))
      i++;
    return isRemoteUrl(css.slice(i, i + 8));
  };
  for (let at = lower.indexOf('url('); at >= 0; at = lower.indexOf('url(', at + 4)) if (targetAfter(at + 4)) count++;
  for (let at = lower.indexOf('@import'); at >= 0; at = lower.indexOf('@import', at + 7)) {
    let i = at + 7;
    while (i < css.length && (css[i] === ' ' || css[i] === '\t' || css[i] === '\n')) i++;
    if ((css[i] === '"' || css[i] === "'") && targetAfter(i)) count++;
  }
  return count;
}

/** Remote references in one element's attributes (its style attribute included). */
function remoteReferencesOf(el: Element): number {
  let count = 0;
  const tag = el.localName.toLowerCase();
  for (const attr of el.attributes) {
    const name = attr.name.toLowerCase();
    if (FETCHING_ATTRIBUTES.has(name) || (name === 'href' && HREF_FETCHES.has(tag))) {
      if (isRemoteUrl(attr.value)) count++;
    } else if (CANDIDATE_LISTS.has(name)) {
      count += attr.value.split(',').filter(isRemoteUrl).length;
    } else if (name === 'style') {
      count += remoteReferencesInCss(attr.value);
    }
  }
  return count;
}

function isTrackingPixel(img: Element): boolean {
  const w = Number(img.getAttribute('width') ?? 'NaN');
  const h = Number(img.getAttribute('height') ?? 'NaN');
  return (Number.isFinite(w) && w <= 2) || (Number.isFinite(h) && h <= 2);
}

/**
 * Sanitizes mail HTML with DOMPurify for a sandboxed frame: no scripts, event handlers, forms, frames or
 * SVG; links only http(s)/mailto and inert inside the frame (they open through the app, after the person saw
 * the real target); no remote fetch at all — remote images are replaced by what the main process loaded
 * after consent, tracking pixels are dropped. The mail's CSS (<style> and style attributes) is re-parsed and
 * cleaned of everything that fetches (mail-css.ts) and enters the frame as one data: stylesheet, inline
 * styles as rules on a marker attribute.
 */
export function sanitizeMailHtml(html: string, options: SanitizeOptions = {}): SanitizedMail {
  if (tooComplexToParse(html)) {
    return { document: EMPTY_DOCUMENT, remoteImages: [], blockedCount: 0, links: [], tooComplex: true };
  }
  const remoteImages = new Set<string>();
  // A Set: Array.includes per link made a mail with 50,000 links take minutes (issue #10 item 2).
  const links = new Set<string>();
  let blockedCount = 0;
  const loaded = options.loadedImages ?? new Map<string, string>();
  const ownImages = options.inlineImages ?? new Map<string, string>();

  // <style> elements anywhere (also in <head>, which DOMPurify does not return), read from an inert parse.
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  // Every remote reference in the mail, counted on the inert parse: on every element, also those the sanitizer
  // removes whole (a <video poster>, an <input type=image src>, an SVG <image href>) — nothing of it survives.
  for (const el of parsed.querySelectorAll('*')) blockedCount += remoteReferencesOf(el);
  // A style whose cleaning removed what could hide a fetch (var(), escapes) counts once when no URL showed.
  const sheets = [...parsed.querySelectorAll('style')].map((el) => {
    const text = el.textContent ?? '';
    const clean = cleanStyleSheet(text);
    const visible = remoteReferencesInCss(text);
    blockedCount += visible > 0 ? visible : clean.removed > 0 ? 1 : 0;
    return clean.css;
  });
  const inlineStyles = new Map<Element, string>();
  const inlineRules: string[] = [];

  const purify = DOMPurify();
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName !== 'style') return;
    const clean = cleanInlineStyle(data.attrValue);
    // Its URLs were counted on the inert parse; a hidden fetch shows only in what the cleaner removed.
    if (clean.removed > 0 && remoteReferencesInCss(data.attrValue) === 0) blockedCount++;
    if (clean.css) inlineStyles.set(node as Element, clean.css);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    const tag = el.tagName?.toLowerCase();
    const inline = inlineStyles.get(el);
    if (inline) {
      el.setAttribute('data-rd-style', String(inlineRules.length));
      inlineRules.push(`[data-rd-style="${inlineRules.length}"]{${inline}}`);
    }
    if (tag === 'a' || tag === 'area') {
      const href = (el.getAttribute('href') ?? '').trim();
      if (href && LINK_SCHEMES.test(href)) {
        links.add(href);
        el.setAttribute('title', href);
        // Inside the sandbox (no allow-popups) a new-window target cannot open anything.
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      } else {
        el.removeAttribute('href');
      }
    }
    if (tag === 'img') {
      const src = (el.getAttribute('src') ?? '').trim();
      if (SAFE_IMAGE_DATA.test(src)) return;
      el.removeAttribute('src');
      if (/^cid:/i.test(src)) {
        // The message's own image (issue #19 item 2): no network, so no consent.
        const own = inlineImageFor(src.slice(4), ownImages);
        if (own) el.setAttribute('src', own);
        return;
      }
      if (!src || /^data:/i.test(src)) return;
      if (isTrackingPixel(el) || !/^https:\/\//i.test(src)) {
        el.remove();
        return;
      }
      const dataUrl = loaded.get(src);
      if (dataUrl && SAFE_IMAGE_DATA.test(dataUrl)) {
        el.setAttribute('src', dataUrl);
        blockedCount--;
      } else {
        remoteImages.add(src);
        el.setAttribute('data-blocked-src', 'remote');
      }
    }
  });
  const body = purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    // Schemes: http(s), mailto, cid, inline images; scheme-less values (sizes, relative links) pass here and
    // the hook above drops relative links and images.
    ALLOWED_URI_REGEXP:
      /^(?:(?:https?|mailto|cid):|data:image\/(?:png|jpeg|gif|webp);|[^a-z]|[a-z+.-]+(?:[^a-z+.:-]|$))/i,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  });

  const css = [BASE_CSS, ...sheets, ...inlineRules, REDUCED_MOTION_CSS].filter(Boolean).join('\n');
  const document = `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><link rel="stylesheet" href="${styleSheetDataUrl(css)}"></head><body>${body}</body></html>`;
  return { document, remoteImages: [...remoteImages], blockedCount, links: [...links], tooComplex: false };
}

/** The data: URL of a `cid:` reference (RFC 2392: the Content-ID, URL-encoded), if the message carries it. */
function inlineImageFor(reference: string, inline: ReadonlyMap<string, string>): string | undefined {
  let decoded = reference;
  try {
    decoded = decodeURIComponent(reference);
  } catch {
    // not percent-encoded
  }
  const dataUrl = inline.get(decoded) ?? inline.get(reference);
  return dataUrl && SAFE_IMAGE_DATA.test(dataUrl) ? dataUrl : undefined;
}

const URL_IN_TEXT = /\b(?:https?:\/\/|mailto:)[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = new Set('.,;:!?)]}>');
const MAX_TEXT_LINKS = 200;

/**
 * Links in a plain-text body, trailing punctuation dropped, each once, at most 200. Linear in the text: the
 * punctuation is walked back by index (a /[.,…]+$/ regex is quadratic on a long run of dots) and the
 * "each once" check is a Set (Array.includes over thousands of links is quadratic too).
 */
export function linksInText(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(URL_IN_TEXT)) {
    let end = m[0].length;
    while (end > 0 && TRAILING_PUNCTUATION.has(m[0][end - 1] ?? '')) end--;
    out.add(m[0].slice(0, end));
    if (out.size >= MAX_TEXT_LINKS) break;
  }
  return [...out];
}
