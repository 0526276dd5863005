import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { createSecureContext, rootCertificates } from 'node:tls';
import { RatsdeskError } from '../../contract/errors';
import { isCertificateErrorCode } from '../tls/certificate-errors';

export interface RisHttpFetcherOptions {
  /** Origins the RIS lives on ('https://ris.stadt.de'); requests and redirects elsewhere are refused. */
  allowedOrigins: readonly string[];
  /** Extra CA certificates (PEM) added by policy, on top of the system roots. Never "accept any". */
  extraCaPem?: readonly string[];
  /** At most this many requests in flight per host (a RIS is a small municipal server). Default 3. */
  maxPerHost?: number;
  /** Whole-request time limit in ms (connect to last byte). Default 30 s. */
  timeoutMs?: number;
  /** Default response size limit in bytes. Default 20 MB. */
  maxBytes?: number;
  /** Redirects followed within the allowed origins. Default 5. */
  maxRedirects?: number;
  /** Called once per HTTP request sent (for diagnostics and request counting). */
  onRequest?: (url: string) => void;
}

export interface FetchOptions {
  maxBytes?: number;
  accept?: string;
  /** HTTP statuses answered with their body instead of RIS_HTTP_ERROR (e.g. 404 for an empty window). */
  acceptStatus?: readonly number[];
}

export interface FetchResult {
  status: number;
  /** The URL that finally answered (after same-origin redirects). */
  url: string;
  contentType: string;
  body: Buffer;
}

/** A tiny FIFO semaphore: at most `limit` holders at a time. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

function classifyNetworkError(err: unknown, url: string): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  const where = new URL(url).host;
  if (isCertificateErrorCode(code)) return new RatsdeskError('TLS_CERT_UNTRUSTED', `${where}: ${code}`, { cause: err });
  if (code === 'ECONNREFUSED') return new RatsdeskError('CONNECTION_REFUSED', where, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RatsdeskError('HOST_NOT_FOUND', where, { cause: err });
  if (code === 'ETIMEDOUT') return new RatsdeskError('RIS_TIMEOUT', where, { cause: err });
  if (code === 'EPROTO' || /ssl|tls/i.test(e.message ?? '')) {
    return new RatsdeskError('TLS_NOT_OFFERED', `${where}: ${code}`, { cause: err });
  }
  return new RatsdeskError('SERVER_ERROR', `${where}: ${code || 'network error'}`, { cause: err });
}

/**
 * HTTPS GET for one RIS: certificates verified (system roots plus policy CAs), TLS ≥ 1.2, redirects
 * only within the RIS's origins and never to http, a size and a time limit per response, and at most
 * a few requests in flight per host. Uses its own keep-alive agent, never the global one.
 */
export class RisHttpFetcher {
  private readonly agent: Agent;
  private readonly allowed: Set<string>;
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly maxPerHost: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly onRequest: ((url: string) => void) | undefined;
  private disposed = false;

  constructor(options: RisHttpFetcherOptions) {
    this.allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
    this.maxPerHost = options.maxPerHost ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.onRequest = options.onRequest;
    const extra = options.extraCaPem ?? [];
    // One secure context for all connections: passing `ca` per request would make the agent build its
    // pool key from every CA certificate's PEM on every request.
    const secureContext = createSecureContext({
      minVersion: 'TLSv1.2',
      ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
    });
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: this.maxPerHost,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      secureContext,
    });
  }

  /** Whether a URL may be requested at all: https and on an allowed origin. */
  isAllowed(url: string): boolean {
    try {
      const u = new URL(url);
      return u.protocol === 'https:' && this.allowed.has(u.origin);
    } catch {
      return false;
    }
  }

  allowOrigin(origin: string): void {
    this.allowed.add(new URL(origin).origin);
  }

  private checkUrl(url: string, isRedirect: boolean): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RatsdeskError('INVALID_INPUT', 'not a URL');
    }
    if (u.protocol !== 'https:') {
      throw new RatsdeskError(isRedirect ? 'RIS_REDIRECT_REJECTED' : 'RIS_NOT_HTTPS', `${u.protocol}//${u.host}`);
    }
    if (!this.allowed.has(u.origin)) {
      throw new RatsdeskError(isRedirect ? 'RIS_REDIRECT_REJECTED' : 'RIS_NOT_CONFIGURED', u.origin);
    }
    return u;
  }

  async get(url: string, options: FetchOptions = {}): Promise<FetchResult> {
    if (this.disposed) throw new RatsdeskError('NOT_CONNECTED', 'RIS client disposed');
    let current = this.checkUrl(url, false);
    for (let hop = 0; ; hop++) {
      const res = await this.once(current, options);
      if (res.kind === 'result') return res.result;
      if (hop >= this.maxRedirects) throw new RatsdeskError('RIS_REDIRECT_REJECTED', 'too many redirects');
      let next: string;
      try {
        next = new URL(res.location, current).href;
      } catch {
        throw new RatsdeskError('RIS_REDIRECT_REJECTED', 'invalid Location');
      }
      current = this.checkUrl(next, true);
    }
  }

  private semaphoreFor(host: string): Semaphore {
    let s = this.semaphores.get(host);
    if (!s) {
      s = new Semaphore(this.maxPerHost);
      this.semaphores.set(host, s);
    }
    return s;
  }

  private async once(
    url: URL,
    options: FetchOptions,
  ): Promise<{ kind: 'result'; result: FetchResult } | { kind: 'redirect'; location: string }> {
    const release = await this.semaphoreFor(url.host).acquire();
    try {
      return await this.send(url, options);
    } finally {
      release();
    }
  }

  private send(
    url: URL,
    options: FetchOptions,
  ): Promise<{ kind: 'result'; result: FetchResult } | { kind: 'redirect'; location: string }> {
    const limit = options.maxBytes ?? this.maxBytes;
    this.onRequest?.(url.href);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(classifyNetworkError(err, url.href));
      };
      const req = request(url, {
        method: 'GET',
        agent: this.agent,
        headers: {
          accept: options.accept ?? 'application/json',
          'accept-encoding': 'identity',
          'user-agent': 'Ratsdesk OParl client',
        },
      });
      const timer = setTimeout(
        () => fail(new RatsdeskError('RIS_TIMEOUT', `${url.host} after ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      req.on('error', fail);
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          const location = res.headers.location;
          res.resume();
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (!location) reject(new RatsdeskError('RIS_HTTP_ERROR', `${status} without Location`));
          else resolve({ kind: 'redirect', location });
          return;
        }
        const accepted = (status >= 200 && status < 300) || (options.acceptStatus ?? []).includes(status);
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (accepted && Number.isFinite(declared) && declared > limit) {
          fail(new RatsdeskError('RIS_RESPONSE_TOO_LARGE', `${declared} bytes > ${limit}`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > limit) {
            fail(new RatsdeskError('RIS_RESPONSE_TOO_LARGE', `more than ${limit} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new RatsdeskError('SERVER_ERROR', 'response aborted')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (!accepted) {
            reject(new RatsdeskError('RIS_HTTP_ERROR', `HTTP ${status} for ${url.pathname}`.slice(0, 200)));
            return;
          }
          resolve({
            kind: 'result',
            result: {
              status,
              url: url.href,
              contentType: String(res.headers['content-type'] ?? ''),
              body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total),
            },
          });
        });
      });
      req.end();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.agent.destroy();
  }
}
