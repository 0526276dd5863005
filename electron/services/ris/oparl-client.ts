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
import { RisHttpFetcher, type RisHttpFetcherOptions } from './ris-http-fetcher';
import { parseTolerantJson } from './tolerant-json';

export interface OparlClientOptions extends RisHttpFetcherOptions {
  /** Safety cap on pages per list (beyond the loop detection). Default 20,000. */
  maxPages?: number;
  /** Size limit for one file download. Default 200 MB. */
  maxFileBytes?: number;
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
}

export interface ListOptions {
  /** Only objects modified (or deleted) at or after this instant (OParl `modified_since`). */
  modifiedSince?: Date;
}

export interface DownloadedFile {
  bytes: Buffer;
  mimeType: string;
  /** Which URL answered (accessUrl, or downloadUrl when accessUrl failed or is missing). */
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

function nextLinkOf(page: Record<string, unknown>): string | undefined {
  const links = page.links;
  const candidates = [
    typeof links === 'object' && links !== null ? (links as Record<string, unknown>).next : undefined,
    page.next,
    page.nextPage,
  ];
  for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return c.trim();
  return undefined;
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
 * An OParl 1.0/1.1 client for one RIS: System → Body → lists, paged through `links.next` with loop
 * detection, `modified_since` incremental lists including deleted objects, tolerant parsing, and
 * verified file downloads. All HTTP goes through a RisHttpFetcher (HTTPS, own CA list, limits).
 */
export class OparlClient {
  readonly http: RisHttpFetcher;
  private readonly maxPages: number;
  private readonly maxFileBytes: number;

  constructor(options: OparlClientOptions) {
    this.http = new RisHttpFetcher(options);
    this.maxPages = options.maxPages ?? 20_000;
    this.maxFileBytes = options.maxFileBytes ?? 200 * 1024 * 1024;
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

  /** All bodies of a system (its `body` list). */
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

  /**
   * The pages of an external list, in order. While the caller handles one page the next is already
   * being fetched. Objects that fail validation are reported in `errors`; the rest of the page is
   * kept. A repeated page URL ends the list with RIS_PAGING_LOOP (after the pages before it).
   */
  async *listPages<T extends OparlTypeName>(
    type: T,
    listUrl: string,
    options: ListOptions = {},
  ): AsyncGenerator<OparlPage<OparlObjectOf<T>>, void, undefined> {
    const incremental = options.modifiedSince !== undefined;
    const firstUrl = options.modifiedSince ? withModifiedSince(listUrl, options.modifiedSince) : listUrl;
    const visited = new Set<string>();
    const fetchPage = async (url: string, first: boolean) => {
      // An empty modified_since window: some servers answer 404 with an error body instead of [].
      const res = await this.http.get(url, first && incremental ? { acceptStatus: [404] } : {});
      if (res.status === 404) return { url, data: [] as unknown[], next: undefined };
      const json = parseTolerantJson(res.body, url);
      if (Array.isArray(json)) return { url, data: json, next: undefined };
      if (typeof json !== 'object' || json === null || !Array.isArray((json as { data?: unknown }).data)) {
        throw new RatsdeskError('RIS_INVALID_OBJECT', `${url}: not an OParl list`.slice(0, 300));
      }
      const page = json as Record<string, unknown>;
      return { url, data: page.data as unknown[], next: nextLinkOf(page) };
    };

    let pending: Promise<Awaited<ReturnType<typeof fetchPage>>> | undefined = fetchPage(firstUrl, true);
    visited.add(firstUrl);
    let count = 0;
    while (pending) {
      const page = await pending;
      pending = undefined;
      count++;
      let loopError: RatsdeskError | undefined;
      if (page.next) {
        const next = new URL(page.next, page.url).href;
        if (visited.has(next)) {
          loopError = new RatsdeskError('RIS_PAGING_LOOP', `${next} repeats after ${count} pages`.slice(0, 300));
        } else if (count >= this.maxPages) {
          loopError = new RatsdeskError('RIS_PAGING_LOOP', `more than ${this.maxPages} pages`);
        } else {
          visited.add(next);
          pending = fetchPage(next, false);
          pending.catch(() => undefined); // surfaced when awaited; avoid an unhandled rejection meanwhile
        }
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
      yield { url: page.url, objects, errors };
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
      let bytes: Buffer;
      try {
        bytes = (await this.http.get(url, { accept: '*/*', maxBytes: this.maxFileBytes })).body;
      } catch (err) {
        lastError = err;
        if (err instanceof RatsdeskError && (err.code === 'RIS_HTTP_ERROR' || err.code === 'RIS_NOT_CONFIGURED'))
          continue;
        throw err;
      }
      verifyFileBytes(file, bytes);
      return { bytes, mimeType: file.mimeType ?? 'application/octet-stream', url };
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
