import { matchVendorInstancePage, matchVendorLink } from './vendor-links';

/**
 * Recognizes links into council information systems (RIS) in mail bodies (plain text or HTML) and in
 * pasted links: ALLRIS net / ALLRIS 4, SessionNet, SD.NET RIM and the vendors' file downloads
 * (vendor-links.ts), OParl object URLs of configured systems, and other pages of configured RIS
 * origins (opened in the sandboxed web view).
 */

export type RisProduct = 'allris' | 'sessionnet' | 'sdnet' | 'oparl' | 'web';
export type RisLinkKind = 'paper' | 'meeting' | 'agendaItem' | 'person' | 'file' | 'page';

export interface RisLink {
  product: RisProduct;
  kind: RisLinkKind;
  /** The product's own id (VOLFDNR, __kvonr, …) or, for OParl and pages, the full URL. */
  id: string;
  /** The normalized absolute URL as found. */
  url: string;
}

export interface LinkRecognizerOptions {
  /**
   * URL prefixes of configured OParl systems (e.g. 'https://ris.example.de/webservice/oparl/v1.0/').
   * A URL under one of them is an OParl object link.
   */
  oparlPrefixes?: readonly string[];
  /** Origins of configured RIS web front ends; other pages there are recognized as kind 'page'. */
  risOrigins?: readonly string[];
}

interface PageRule {
  kind: RisLinkKind;
  param: string;
}

// ALLRIS net (…/bi/vo020.asp?VOLFDNR=n) and ALLRIS 4 (…/public/vo020?VOLFDNR=n).
const ALLRIS_PAGES: Record<string, PageRule> = {
  vo020: { kind: 'paper', param: 'volfdnr' },
  to010: { kind: 'meeting', param: 'silfdnr' },
  si010: { kind: 'meeting', param: 'silfdnr' },
  to020: { kind: 'agendaItem', param: 'tolfdnr' },
  kp020: { kind: 'person', param: 'kplfdnr' },
  do027: { kind: 'file', param: 'dolfdnr' },
  doc: { kind: 'file', param: 'dolfdnr' },
};
const ALLRIS_NET_PATH = /\/(?:bi|vi|oi)\/([a-z]{2}\d{3})\.asp$/i;
const ALLRIS_4_PATH = /\/public\/([a-z]{2}\d{3}|doc)$/i;
const ALLRIS_GETFILE_PATH = /\/(?:bi|vi|oi)\/getfile\.asp$/i;

// SessionNet (…/vo0050.php?__kvonr=n, also .asp).
const SESSIONNET_PAGES: Record<string, PageRule> = {
  vo0050: { kind: 'paper', param: '__kvonr' },
  si0057: { kind: 'meeting', param: '__ksinr' },
  to0040: { kind: 'meeting', param: '__ksinr' },
  to0050: { kind: 'agendaItem', param: '__ktonr' },
  kp0051: { kind: 'person', param: '__kpenr' },
};
const SESSIONNET_PATH = /\/([a-z]{2}\d{4})\.(?:php|asp)$/i;
const SESSIONNET_GETFILE_PATH = /\/getfile\.(?:php|asp)$/i;

// OParl object kinds guessed from the path segment naming the object type.
const OPARL_KIND_PATTERNS: Array<[RegExp, RisLinkKind]> = [
  [/(^|\/)papers?(\.asp)?(\/|$)/i, 'paper'],
  [/(^|\/)meetings?(\.asp)?(\/|$)/i, 'meeting'],
  [/(^|\/)agenda_?items?(\.asp)?(\/|$)/i, 'agendaItem'],
  [/(^|\/)(persons?|people)(\.asp)?(\/|$)/i, 'person'],
  [/(^|\/)files?(\.asp)?(\/|$)/i, 'file'],
];

const ID_VALUE = /^\d{1,12}$/;

function queryParam(url: URL, nameLower: string): string | null {
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === nameLower) return value.trim();
  }
  return null;
}

function matchAllris(url: URL): RisLink | null {
  const path = url.pathname;
  const page = ALLRIS_NET_PATH.exec(path)?.[1] ?? ALLRIS_4_PATH.exec(path)?.[1];
  if (page) {
    const rule = ALLRIS_PAGES[page.toLowerCase()];
    if (!rule) return null;
    const id = queryParam(url, rule.param);
    return id && ID_VALUE.test(id) ? { product: 'allris', kind: rule.kind, id, url: url.href } : null;
  }
  if (ALLRIS_GETFILE_PATH.test(path)) {
    const id = queryParam(url, 'id');
    return id && /^[\w-]{1,40}$/.test(id) ? { product: 'allris', kind: 'file', id, url: url.href } : null;
  }
  return null;
}

function matchSessionNet(url: URL): RisLink | null {
  const path = url.pathname;
  const page = SESSIONNET_PATH.exec(path)?.[1];
  if (page) {
    const rule = SESSIONNET_PAGES[page.toLowerCase()];
    if (!rule) return null;
    const id = queryParam(url, rule.param);
    return id && ID_VALUE.test(id) ? { product: 'sessionnet', kind: rule.kind, id, url: url.href } : null;
  }
  if (SESSIONNET_GETFILE_PATH.test(path)) {
    const id = queryParam(url, 'id');
    return id && /^[\w-]{1,40}$/.test(id) ? { product: 'sessionnet', kind: 'file', id, url: url.href } : null;
  }
  return null;
}

function matchOparl(url: URL, prefixes: readonly string[]): RisLink | null {
  const href = url.href;
  const prefix = prefixes.find((p) => href.startsWith(p));
  if (prefix === undefined) return null;
  const rest = href.slice(prefix.length).split('#')[0] ?? '';
  const restPath = rest.split('?')[0] ?? '';
  const kind = OPARL_KIND_PATTERNS.find(([re]) => re.test(`/${restPath}`))?.[1] ?? 'page';
  return { product: 'oparl', kind, id: href, url: href };
}

function parseHttpUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return url;
}

/** Recognize one link (e.g. pasted into the RIS view). Null when it is not a RIS link. */
export function recognizeRisLink(raw: string, options: LinkRecognizerOptions = {}): RisLink | null {
  const url = parseHttpUrl(raw.trim());
  if (!url) return null;
  const found =
    matchAllris(url) ??
    matchSessionNet(url) ??
    matchVendorLink(url) ??
    matchOparl(url, options.oparlPrefixes ?? []) ??
    matchVendorInstancePage(url);
  if (found) return found;
  const origins = options.risOrigins ?? [];
  if (origins.includes(url.origin)) return { product: 'web', kind: 'page', id: url.href, url: url.href };
  return null;
}

const HTML_ENTITIES: Record<string, string> = {
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  '#38': '&',
  '#x26': '&',
};

function decodeEntities(s: string): string {
  return s.replace(/&(amp|quot|apos|lt|gt|#38|#x26);/gi, (m, name: string) => HTML_ENTITIES[name.toLowerCase()] ?? m);
}

// A URL runs until whitespace, a quote or an angle bracket; trailing sentence punctuation is dropped.
const URL_IN_TEXT = /https?:\/\/[^\s"'<>`]+/gi;
/** Longer URLs are no RIS links, and would not fit the contract (4,000 characters): they are skipped. */
const MAX_LINK_URL = 4000;
const TRAILING_PUNCTUATION = new Set('.,;:!?)]}*_');

/**
 * The URL without trailing sentence punctuation, found by walking back from the end: a regex like
 * /[.,;…]+$/ retries from every position of a long run of dots and takes quadratic time (issue #10 item 2).
 */
function withoutTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(url[end - 1] ?? '')) end--;
  return url.slice(0, end);
}

/**
 * Every RIS link in a text or HTML body, in order of first appearance, each URL once.
 * HTML entities in href attributes (&amp;) are decoded; sentence punctuation after a link is ignored.
 */
export function recognizeRisLinks(body: string, options: LinkRecognizerOptions = {}): RisLink[] {
  const text = decodeEntities(body);
  const seen = new Set<string>();
  const links: RisLink[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    // A closing parenthesis is dropped too: RIS URLs have none.
    const candidate = withoutTrailingPunctuation(match[0]);
    if (candidate.length > MAX_LINK_URL) continue;
    const link = recognizeRisLink(candidate, options);
    if (link && link.url.length > MAX_LINK_URL) continue;
    if (!link || seen.has(link.url)) continue;
    seen.add(link.url);
    links.push(link);
  }
  return links;
}
