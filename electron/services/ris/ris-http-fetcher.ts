import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { RatsdeskError } from '../../contract/errors';
import { isCertificateErrorCode } from '../tls/certificate-errors';
import {
  DEFAULT_RETRY,
  RisHttpStatusError,
  backoffMs,
  isTransient,
  parseRetryAfter,
  type RetryPolicy,
} from './ris-retry';

export interface RisHttpFetcherOptions {
  /** Origins the RIS lives on ('https://ris.stadt.de'); requests and redirects elsewhere are refused. */
  allowedOrigins: readonly string[];
  /** Extra CA certificates (PEM) added by policy, on top of the system roots. Never "accept any". */
  extraCaPem?: readonly string[];
  /**
   * http origins ('http://ris.stadt.de') the machine policy lets Ratsdesk read in clear when the same
   * URL over https does not answer. Everything else published as http:// is read over https or refused.
   */
  insecureHttpOrigins?: readonly string[];
  /** At most this many requests in flight per host (a RIS is a small municipal server). Default 3. */
  maxPerHost?: number;
  /** Whole-request time limit in ms (connect to last byte). Default 30 s. */
  timeoutMs?: number;
  /** Default response size limit in bytes. Default 20 MB. */
  maxBytes?: number;
  /** Redirects followed within the allowed origins. Default 5. */
  maxRedirects?: number;
  /** Repeats of a request after a transient failure (5xx, 429, reset, timeout). Default 3 attempts. */
  retry?: Partial<RetryPolicy>;
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
  /** The URL that finally answered (after same-origin redirects and the https upgrade). */
  url: string;
  contentType: string;
  /** Content-Disposition as sent (for a download's file name). */
  contentDisposition: string;
  body: Buffer;
  /** True when the answer came over plain http (an origin the machine policy allows in clear). */
  insecure: boolean;
}

type Hop = { kind: 'result'; result: FetchResult } | { kind: 'redirect'; location: string };

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

/** The URL as it may appear in an error detail or a log: without user name and password. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return '(not a URL)';
  }
}

/** Error details are at most 500 characters (ErrorInfo); the URL is the part worth keeping. */
function detailOf(text: string): string {
  return text.length <= 480 ? text : `${text.slice(0, 477)}…`;
}

function classifyNetworkError(err: unknown, url: URL): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const e = (err ?? {}) as { code?: string; message?: string };
  const code = e.code ?? '';
  const where = redactUrl(url);
  if (isCertificateErrorCode(code))
    return new RatsdeskError('TLS_CERT_UNTRUSTED', detailOf(`${code} ${where}`), { cause: err });
  if (code === 'ECONNREFUSED') return new RatsdeskError('CONNECTION_REFUSED', detailOf(where), { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new RatsdeskError('HOST_NOT_FOUND', detailOf(where), { cause: err });
  if (code === 'ETIMEDOUT') return new RatsdeskError('RIS_TIMEOUT', detailOf(where), { cause: err });
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || /ssl|tls/i.test(e.message ?? '')) {
    return new RatsdeskError('TLS_NOT_OFFERED', detailOf(`${code} ${where}`), { cause: err });
  }
  const what = code || e.message?.slice(0, 60) || 'network error';
  return new RatsdeskError('SERVER_ERROR', detailOf(`${what} ${where}`), { cause: err });
}

/** Failures of the https twin of an http URL that mean "this server speaks no https" (not "it is broken"). */
function httpsNotAnswering(err: unknown): boolean {
  if (!(err instanceof RatsdeskError)) return false;
  if (err.code === 'TLS_NOT_OFFERED' || err.code === 'CONNECTION_REFUSED' || err.code === 'RIS_TIMEOUT') return true;
  return err.code === 'SERVER_ERROR' && /ECONNRESET|socket hang up/.test(err.detail ?? '');
}

/** The same URL over https: http://host/x → https://host/x, http://host:8080/x → https://host:8080/x. */
function httpsTwin(u: URL): URL {
  const twin = new URL(u.href);
  twin.protocol = 'https:';
  return twin;
}

/**
 * GET for one RIS: HTTPS with verified certificates (system roots plus policy CAs), TLS ≥ 1.2,
 * redirects only within the RIS's origins, a size and a time limit per response, at most a few
 * requests in flight per host, and transient failures retried with backoff and jitter. Own keep-alive
 * agents, never the global ones.
 *
 * http:// URLs (some systems publish their ids that way) are read over https when the server answers
 * there; only an origin the machine policy lists in `insecureHttpOrigins` is read in clear, and then
 * without credentials (no cookies are ever kept). Otherwise RIS_HTTP_ONLY names the server.
 */
export class RisHttpFetcher {
  private readonly agent: Agent;
  private readonly httpAgent: HttpAgent;
  private readonly allowed: Set<string>;
  private readonly insecureAllowed: Set<string>;
  /** Per http origin: read over its https twin, or (policy permitting) in clear. */
  private readonly httpOriginMode = new Map<string, 'https' | 'http'>();
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly maxPerHost: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly retry: RetryPolicy;
  private readonly onRequest: ((url: string) => void) | undefined;
  private readonly closed = new AbortController();

  constructor(options: RisHttpFetcherOptions) {
    this.allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
    this.insecureAllowed = new Set(
      (options.insecureHttpOrigins ?? [])
        .map((o) => new URL(o))
        .filter((u) => u.protocol === 'http:')
        .map((u) => u.origin),
    );
    this.maxPerHost = options.maxPerHost ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
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
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: this.maxPerHost });
  }

  /** Whether a URL may be requested at all: on an allowed origin (http only as described above). */
  isAllowed(url: string): boolean {
    try {
      const u = new URL(url);
      if (u.protocol === 'https:') return this.allowed.has(u.origin);
      return u.protocol === 'http:' && this.httpPermitted(u);
    } catch {
      return false;
    }
  }

  /** The http origins met so far and how they are read: over https, or (policy permitting) in clear. */
  httpOriginModes(): ReadonlyMap<string, 'https' | 'http'> {
    return this.httpOriginMode;
  }

  allowOrigin(origin: string): void {
    this.allowed.add(new URL(origin).origin);
  }

  /**
   * An http URL may be tried (over https first) when it names a host of the RIS — whatever the port:
   * systems publish ids like http://ris.stadt.de:8080/… beside an https system URL — or when the
   * machine policy lists its origin.
   */
  private httpPermitted(u: URL): boolean {
    if (this.insecureAllowed.has(u.origin)) return true;
    for (const origin of this.allowed) if (new URL(origin).hostname === u.hostname) return true;
    return false;
  }

  private checkUrl(url: string, isRedirect: boolean): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new RatsdeskError('INVALID_INPUT', 'not a URL');
    }
    if (u.protocol === 'http:') {
      if (!this.httpPermitted(u)) {
        throw new RatsdeskError(isRedirect ? 'RIS_REDIRECT_REJECTED' : 'RIS_NOT_HTTPS', detailOf(redactUrl(u)));
      }
      return u;
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
    if (this.closed.signal.aborted) throw new RatsdeskError('NOT_CONNECTED', 'RIS client disposed');
    let current = this.checkUrl(url, false);
    for (let hop = 0; ; hop++) {
      const res = await this.withRetries(current, options, hop > 0);
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

  /** One hop, repeated after transient failures with backoff; the slot is free while waiting. */
  private async withRetries(url: URL, options: FetchOptions, isRedirect: boolean): Promise<Hop> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.hop(url, options, isRedirect);
      } catch (err) {
        if (attempt >= this.retry.maxAttempts || !isTransient(err) || this.closed.signal.aborted) {
          if (attempt > 1 && err instanceof RatsdeskError && err.detail !== undefined) {
            const detail = detailOf(`${err.detail} (${attempt} attempts)`);
            if (err instanceof RisHttpStatusError) throw new RisHttpStatusError(err.status, detail, err.retryAfterMs);
            throw new RatsdeskError(err.code, detail, { cause: err });
          }
          throw err;
        }
        const retryAfter = err instanceof RisHttpStatusError ? err.retryAfterMs : undefined;
        await this.sleep(backoffMs(this.retry, attempt, retryAfter));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.closed.signal;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        reject(new RatsdeskError('NOT_CONNECTED', 'RIS client disposed'));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', done);
        resolve();
      }, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** An https URL as is; an http URL over its https twin, or in clear where the policy allows it. */
  private async hop(url: URL, options: FetchOptions, isRedirect: boolean): Promise<Hop> {
    if (url.protocol === 'https:') return this.once(url, options, false);
    const mode = this.httpOriginMode.get(url.origin);
    if (mode === 'http') return this.once(url, options, true);
    const twin = httpsTwin(url);
    if (mode === 'https') return this.once(twin, options, false);
    try {
      const res = await this.once(twin, options, false);
      this.httpOriginMode.set(url.origin, 'https');
      return res;
    } catch (err) {
      if (!httpsNotAnswering(err)) {
        // The server speaks https (it answered, if only with an error): stay there.
        if (!(err instanceof RatsdeskError) || err.code === 'RIS_HTTP_ERROR')
          this.httpOriginMode.set(url.origin, 'https');
        throw err;
      }
      if (!this.insecureAllowed.has(url.origin)) {
        throw new RatsdeskError(isRedirect ? 'RIS_REDIRECT_REJECTED' : 'RIS_HTTP_ONLY', url.origin, { cause: err });
      }
      this.httpOriginMode.set(url.origin, 'http');
      return this.once(url, options, true);
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

  private async once(url: URL, options: FetchOptions, insecure: boolean): Promise<Hop> {
    // Per host name, whatever the port or scheme: the same small server behind both.
    const release = await this.semaphoreFor(url.hostname).acquire();
    try {
      if (this.closed.signal.aborted) throw new RatsdeskError('NOT_CONNECTED', 'RIS client disposed');
      return await this.send(url, options, insecure);
    } finally {
      release();
    }
  }

  private send(url: URL, options: FetchOptions, insecure: boolean): Promise<Hop> {
    const limit = options.maxBytes ?? this.maxBytes;
    const shown = redactUrl(url);
    this.onRequest?.(shown);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(classifyNetworkError(err, url));
      };
      const headers = {
        accept: options.accept ?? 'application/json',
        'accept-encoding': 'identity',
        'user-agent': 'Ratsdesk OParl client',
      };
      // In clear: never credentials (user:password in the URL would become an Authorization header),
      // never cookies (none are kept anyway). The request names only host, path and query.
      const req = insecure
        ? httpRequest({
            protocol: 'http:',
            hostname: url.hostname,
            port: url.port || 80,
            path: `${url.pathname}${url.search}`,
            method: 'GET',
            agent: this.httpAgent,
            headers,
          })
        : request(url, { method: 'GET', agent: this.agent, headers });
      const timer = setTimeout(
        () => fail(new RatsdeskError('RIS_TIMEOUT', detailOf(`${shown} after ${this.timeoutMs} ms`))),
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
          if (!location)
            reject(new RisHttpStatusError(status, detailOf(`HTTP ${status} without Location for ${shown}`), undefined));
          else resolve({ kind: 'redirect', location });
          return;
        }
        const accepted = (status >= 200 && status < 300) || (options.acceptStatus ?? []).includes(status);
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (accepted && Number.isFinite(declared) && declared > limit) {
          fail(new RatsdeskError('RIS_RESPONSE_TOO_LARGE', detailOf(`${declared} bytes > ${limit} for ${shown}`)));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          if (!accepted) return; // an error page: only its status matters
          total += chunk.length;
          if (total > limit) {
            fail(new RatsdeskError('RIS_RESPONSE_TOO_LARGE', detailOf(`more than ${limit} bytes for ${shown}`)));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new RatsdeskError('SERVER_ERROR', detailOf(`response aborted ${shown}`))));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (!accepted) {
            const retryAfter = parseRetryAfter(String(res.headers['retry-after'] ?? '') || undefined);
            reject(new RisHttpStatusError(status, detailOf(`HTTP ${status} for ${shown}`), retryAfter));
            return;
          }
          resolve({
            kind: 'result',
            result: {
              status,
              url: url.href,
              contentType: String(res.headers['content-type'] ?? ''),
              contentDisposition: String(res.headers['content-disposition'] ?? ''),
              body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total),
              insecure,
            },
          });
        });
      });
      req.end();
    });
  }

  dispose(): void {
    this.closed.abort();
    this.agent.destroy();
    this.httpAgent.destroy();
  }
}
