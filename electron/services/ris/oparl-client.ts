import { createHash } from 'node:crypto';
import { RatsdeskError, type ErrorCode } from '../../contract/errors';
import {
  parseOparlObject,
  type OparlBody,
  type OparlFile,
  type OparlObjectOf,
  type OparlSystem,
  type OparlTypeName,
} from './oparl-schemas';
import { RisHttpFetcher, redactUrl, type FetchResult, type RisHttpFetcherOptions } from './ris-http-fetcher';
import { parseTolerantJson } from './tolerant-json';

export interface OparlClientOptions extends RisHttpFetcherOptions {
  /** Safety cap on pages per list (beyond the loop detection). Default 20,000. */
  maxPages?: number;
  /** Size limit for one file download. Default 200 MB. */
  maxFileBytes?: number;
  /**
   * Pages of one list requested at once where the server announces page-numbered links (OParl 1.1
   * links.last / pagination, or a stable page=N pattern). The fetcher still keeps ≤ 3 per host. Default 3.
   */
  pagesAtOnce?: number;
}

/** A problem with one object (or one page); the rest of the list goes on. */
export interface RisObjectError {
  url: string;
  code: ErrorCode;
  detail?: string;
}

export interface OparlPage<T> {
  url: string;
  objects: T[];
  errors: RisObjectError[];
  /** The next page's URL (absolute), where a list goes on; a list that fails later resumes there. */
  next: string | undefined;
  /** The page came over plain http (an origin the machine policy allows in clear). */
  insecure: boolean;
}

export interface ListOptions {
  /** Only objects modified (or deleted) at or after this instant (OParl `modified_since`). */
  modifiedSince?: Date;
  /** Resume a list at this page (a `next` link from an earlier run) instead of its first page. */
  startUrl?: string;
}

export interface DownloadedFile {
  bytes: Buffer;
  mimeType: string;
  /** Which URL answered (accessUrl, or downloadUrl when accessUrl failed or is missing). */
  url: string;
  /** The bytes came over plain http (an origin the machine policy allows in clear). */
  insecure: boolean;
}

/** Where a server departs from OParl in a way Ratsdesk tolerates; shown to the person as such. */
export type RisDeviationCode =
  /** A list endpoint (e.g. /body) answered one object instead of a list. */
  | 'list-is-object'
  /** The system publishes http:// URLs; they were read over https. */
  | 'http-urls'
  /** The system answers only over http; the machine policy allows reading it in clear. */
  | 'http-only';

export interface RisDeviation {
  code: RisDeviationCode;
  /** The URL or origin concerned. */
  url: string;
}

/**
 * `modified_since` as servers accept it: UTC, whole seconds, appended raw. Some servers reject a
 * percent-encoded value ("2024-01-01T00%3A00%3A00Z"); colons are valid in a query, so we never encode.
 */
export function formatModifiedSince(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function withModifiedSince(listUrl: string, date: Date): string {
  const [base, hash] = listUrl.split('#', 2);
  const sep = (base ?? '').includes('?') ? '&' : '?';
  return `${base}${sep}modified_since=${formatModifiedSince(date)}${hash !== undefined ? `#${hash}` : ''}`;
}

function stringLink(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function linksOf(page: Record<string, unknown>): Record<string, unknown> {
  const links = page.links;
  return typeof links === 'object' && links !== null ? (links as Record<string, unknown>) : {};
}

function nextLinkOf(page: Record<string, unknown>): string | undefined {
  return stringLink(linksOf(page).next) ?? stringLink(page.next) ?? stringLink(page.nextPage);
}

function totalPagesOf(page: Record<string, unknown>): number | undefined {
  const p = page.pagination;
  const total = typeof p === 'object' && p !== null ? (p as Record<string, unknown>).totalPages : undefined;
  return typeof total === 'number' && Number.isInteger(total) && total > 0 ? total : undefined;
}

/** Query parameters that number pages (OParl servers use page=N; ALLRIS p=N). */
const PAGE_PARAMS: ReadonlySet<string> = new Set(['page', 'p', 'seite', 'pagenumber', 'page_number', 'currentpage']);
const PAGE_NUMBER = /^\d{1,6}$/;

/** The raw query split into name=value parts, unchanged (re-encoding would break modified_since). */
function queryParts(url: URL): string[] {
  return url.search.length > 1 ? url.search.slice(1).split('&') : [];
}

function pageParam(url: URL): { index: number; name: string; value: number } | undefined {
  const parts = queryParts(url);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (PAGE_PARAMS.has(name.toLowerCase()) && PAGE_NUMBER.test(value)) return { index: i, name, value: Number(value) };
  }
  return undefined;
}

function withPageNumber(url: URL, index: number, name: string, value: number): string {
  const parts = queryParts(url);
  parts[index] = `${name}=${value}`;
  const u = new URL(url.href);
  u.search = `?${parts.join('&')}`;
  return u.href;
}

/**
 * The URLs of pages 3…last, predicted from page 2's URL (`next` of page 1) and the announced last page
 * (links.last, or pagination.totalPages with page 2 numbered 2). Undefined when the server's links do
 * not follow one stable page-number pattern: then the list is read by following `next`.
 */
export function predictPageUrls(
  nextUrl: string,
  lastUrl: string | undefined,
  totalPages: number | undefined,
): string[] | undefined {
  let next: URL;
  try {
    next = new URL(nextUrl);
  } catch {
    return undefined;
  }
  const param = pageParam(next);
  if (!param) return undefined;
  let lastNumber: number | undefined;
  if (lastUrl !== undefined) {
    let last: URL;
    try {
      last = new URL(lastUrl, next);
    } catch {
      return undefined;
    }
    const lastParam = pageParam(last);
    if (!lastParam || lastParam.name !== param.name) return undefined;
    // Everything but the page number must be the same: a stable pattern.
    if (withPageNumber(last, lastParam.index, lastParam.name, param.value) !== next.href) return undefined;
    lastNumber = lastParam.value;
  } else if (totalPages !== undefined && param.value === 2) {
    lastNumber = totalPages;
  }
  if (lastNumber === undefined || lastNumber <= param.value) return lastNumber === undefined ? undefined : [];
  // Bounded: a "last" of a million pages is not believed beyond the client's page cap anyway.
  const out: string[] = [];
  for (let n = param.value + 1; n <= lastNumber && out.length < 20_000; n++)
    out.push(withPageNumber(next, param.index, param.name, n));
  return out;
}

interface FetchedPage {
  url: string;
  data: unknown[];
  next: string | undefined;
  last: string | undefined;
  totalPages: number | undefined;
  insecure: boolean;
}

const PDF_MAGIC = Buffer.from('%PDF-');

function looksLikePdf(bytes: Buffer): boolean {
  // The PDF spec lets readers accept the header within the first 1024 bytes.
  const at = bytes.subarray(0, 1024).indexOf(PDF_MAGIC);
  return at >= 0;
}

function isPdf(file: OparlFile): boolean {
  return file.mimeType === 'application/pdf' || /\.pdf$/i.test(file.fileName ?? '');
}

/**
 * An OParl 1.0/1.1 client for one RIS: System → Body → lists, paged through `links.next` (up to three
 * pages at once where the server numbers them) with loop detection, `modified_since` incremental lists
 * including deleted objects, tolerant parsing, and verified file downloads. All HTTP goes through a
 * RisHttpFetcher (HTTPS, own CA list, limits, retries).
 */
export class OparlClient {
  readonly http: RisHttpFetcher;
  private readonly maxPages: number;
  private readonly maxFileBytes: number;
  private readonly pagesAtOnce: number;
  private readonly noted = new Map<string, RisDeviation>();

  constructor(options: OparlClientOptions) {
    this.http = new RisHttpFetcher(options);
    this.maxPages = options.maxPages ?? 20_000;
    this.maxFileBytes = options.maxFileBytes ?? 200 * 1024 * 1024;
    this.pagesAtOnce = Math.max(1, Math.min(3, options.pagesAtOnce ?? 3));
  }

  private note(code: RisDeviationCode, url: string): void {
    const key = `${code} ${url}`;
    if (!this.noted.has(key) && this.noted.size < 100) this.noted.set(key, { code, url: redactUrl(url) });
  }

  /** What this client tolerated so far (each deviation once): lists sent as one object, http URLs. */
  deviations(): RisDeviation[] {
    const out = [...this.noted.values()];
    for (const [origin, mode] of this.http.httpOriginModes())
      out.push({ code: mode === 'http' ? 'http-only' : 'http-urls', url: origin });
    return out;
  }

  async getJson(url: string): Promise<unknown> {
    const res = await this.http.get(url);
    return parseTolerantJson(res.body, url);
  }

  /** One object by URL, validated as the expected type. */
  async getObject<T extends OparlTypeName>(type: T, url: string): Promise<OparlObjectOf<T>> {
    return parseOparlObject(type, await this.getJson(url));
  }

  getSystem(url: string): Promise<OparlSystem> {
    return this.getObject('System', url);
  }

  /** All bodies of a system (its `body` list; a single Body object there is accepted as a deviation). */
  async getBodies(system: OparlSystem): Promise<OparlBody[]> {
    if (!system.body) throw new RatsdeskError('RIS_INVALID_OBJECT', `${system.id}: no body list`);
    const bodies: OparlBody[] = [];
    for await (const page of this.listPages('Body', system.body)) {
      if (page.errors.length > 0 && page.objects.length === 0) {
        const first = page.errors[0] as RisObjectError;
        throw new RatsdeskError(first.code, first.detail);
      }
      bodies.push(...page.objects);
    }
    return bodies;
  }

  private async fetchPage(url: string, first: boolean, incremental: boolean): Promise<FetchedPage> {
    // An empty modified_since window: some servers answer 404 with an error body instead of [].
    const res = await this.http.get(url, first && incremental ? { acceptStatus: [404] } : {});
    const base = { url, next: undefined, last: undefined, totalPages: undefined, insecure: res.insecure };
    if (res.status === 404) return { ...base, data: [] };
    const json = parseTolerantJson(res.body, url);
    if (Array.isArray(json)) return { ...base, data: json };
    if (typeof json !== 'object' || json === null) {
      throw new RatsdeskError('RIS_INVALID_OBJECT', `${redactUrl(url)}: not an OParl list`.slice(0, 480));
    }
    const page = json as Record<string, unknown>;
    if (!Array.isArray(page.data)) {
      // Seen on real servers: /body answers the one Body itself. Taken as a list of one.
      if (typeof page.id === 'string' && page.data === undefined) {
        this.note('list-is-object', url);
        return { ...base, data: [page] };
      }
      throw new RatsdeskError('RIS_INVALID_OBJECT', `${redactUrl(url)}: not an OParl list`.slice(0, 480));
    }
    return {
      ...base,
      data: page.data as unknown[],
      next: nextLinkOf(page),
      last: stringLink(linksOf(page).last),
      totalPages: totalPagesOf(page),
    };
  }

  /**
   * The pages of an external list, in order. Pages ahead are fetched while the caller handles one:
   * up to `pagesAtOnce` where the server numbers its pages, else the next one. Objects that fail
   * validation are reported in `errors`; the rest of the page is kept. A repeated page URL ends the
   * list with RIS_PAGING_LOOP (after the pages before it). When a page fails, the error is thrown after
   * the pages before it were yielded; the last yielded page's `next` is where to resume.
   */
  async *listPages<T extends OparlTypeName>(
    type: T,
    listUrl: string,
    options: ListOptions = {},
  ): AsyncGenerator<OparlPage<OparlObjectOf<T>>, void, undefined> {
    const incremental = options.modifiedSince !== undefined || options.startUrl !== undefined;
    const firstUrl =
      options.startUrl ?? (options.modifiedSince ? withModifiedSince(listUrl, options.modifiedSince) : listUrl);
    const visited = new Set<string>([firstUrl]);
    const queue: Array<{ url: string; page: Promise<FetchedPage> }> = [];
    const start = (url: string, first: boolean) => {
      const page = this.fetchPage(url, first, incremental);
      page.catch(() => undefined); // surfaced when awaited; avoid an unhandled rejection meanwhile
      queue.push({ url, page });
    };
    start(firstUrl, true);
    let predicted: string[] | undefined;
    let count = 0;
    while (queue.length > 0) {
      const head = queue.shift() as { url: string; page: Promise<FetchedPage> };
      const page = await head.page;
      count++;
      let next: string | undefined;
      try {
        next = page.next ? new URL(page.next, page.url).href : undefined;
      } catch {
        next = undefined;
      }
      if (count === 1 && next && this.pagesAtOnce > 1) {
        const last = page.last ? new URL(page.last, page.url).href : undefined;
        predicted = predictPageUrls(next, last, page.totalPages);
      }
      // Pages requested ahead must be the ones the server links: otherwise drop them and follow `next`.
      if (queue.length > 0 && queue[0]?.url !== next) {
        for (const dropped of queue.splice(0)) visited.delete(dropped.url);
        predicted = undefined;
      }
      let loopError: RatsdeskError | undefined;
      if (next && queue.length === 0) {
        if (visited.has(next)) {
          loopError = new RatsdeskError(
            'RIS_PAGING_LOOP',
            `${redactUrl(next)} repeats after ${count} pages`.slice(0, 480),
          );
        } else if (count >= this.maxPages) {
          loopError = new RatsdeskError('RIS_PAGING_LOOP', `more than ${this.maxPages} pages`);
        } else {
          visited.add(next);
          start(next, false);
        }
      }
      while (predicted && queue.length < this.pagesAtOnce && count + queue.length < this.maxPages) {
        const url = predicted.shift();
        if (url === undefined) break;
        if (visited.has(url)) {
          predicted = undefined;
          break;
        }
        visited.add(url);
        start(url, false);
      }
      const objects: OparlObjectOf<T>[] = [];
      const errors: RisObjectError[] = [];
      for (const raw of page.data) {
        try {
          objects.push(parseOparlObject(type, raw));
        } catch (err) {
          const e = err instanceof RatsdeskError ? err : new RatsdeskError('RIS_INVALID_OBJECT');
          const rawId = (raw as { id?: unknown } | null)?.id;
          errors.push({ url: typeof rawId === 'string' ? rawId : page.url, code: e.code, detail: e.detail });
        }
      }
      yield { url: page.url, objects, errors, next: loopError ? undefined : next, insecure: page.insecure };
      if (loopError) throw loopError;
    }
  }

  /**
   * Download a file from accessUrl (or downloadUrl when accessUrl is missing or fails), verified
   * against sha512Checksum / sha1Checksum when present, checked to be a PDF when it claims to be one.
   */
  async downloadFile(file: OparlFile): Promise<DownloadedFile> {
    const urls = [file.accessUrl, file.downloadUrl].filter((u): u is string => typeof u === 'string');
    if (urls.length === 0) throw new RatsdeskError('DOCUMENT_NOT_FOUND', `${file.id}: no accessUrl or downloadUrl`);
    let lastError: unknown;
    for (const url of urls) {
      let res: FetchResult;
      try {
        res = await this.http.get(url, { accept: '*/*', maxBytes: this.maxFileBytes });
      } catch (err) {
        lastError = err;
        if (err instanceof RatsdeskError && (err.code === 'RIS_HTTP_ERROR' || err.code === 'RIS_NOT_CONFIGURED'))
          continue;
        throw err;
      }
      verifyFileBytes(file, res.body);
      return { bytes: res.body, mimeType: file.mimeType ?? 'application/octet-stream', url, insecure: res.insecure };
    }
    throw lastError;
  }

  dispose(): void {
    this.http.dispose();
  }
}

/** Throws DOCUMENT_CHECKSUM_MISMATCH, DOCUMENT_TRUNCATED or RIS_NOT_PDF when the bytes are not the file. */
export function verifyFileBytes(file: OparlFile, bytes: Buffer): void {
  if (file.sha512Checksum) {
    if (createHash('sha512').update(bytes).digest('hex') !== file.sha512Checksum) {
      throw new RatsdeskError('DOCUMENT_CHECKSUM_MISMATCH', `${file.id} (sha512)`.slice(0, 300));
    }
  } else if (file.sha1Checksum) {
    if (createHash('sha1').update(bytes).digest('hex') !== file.sha1Checksum) {
      throw new RatsdeskError('DOCUMENT_CHECKSUM_MISMATCH', `${file.id} (sha1)`.slice(0, 300));
    }
  } else if (file.size !== undefined && bytes.length < file.size) {
    throw new RatsdeskError('DOCUMENT_TRUNCATED', `${file.id}: ${bytes.length} of ${file.size} bytes`.slice(0, 300));
  }
  if (isPdf(file) && !looksLikePdf(bytes)) {
    throw new RatsdeskError('RIS_NOT_PDF', file.id.slice(0, 300));
  }
}
