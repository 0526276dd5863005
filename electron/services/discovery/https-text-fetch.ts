import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface HttpsTarget {
  host: string;
  port: number;
}

export interface HttpsTextFetchOptions {
  /** Extra CA certificates (PEM) from policy, added to the system roots. */
  extraCaPem?: readonly string[];
  /**
   * Where to connect for a URL's host (default: the host itself, port from the URL). Tests map
   * autoconfig.stadt.example to 127.0.0.1:PORT; the certificate is still checked for the URL's host.
   */
  connectTo?: (host: string, port: number) => HttpsTarget;
  timeoutMs?: number;
  maxBytes?: number;
  /** How many redirects to follow, each only to another https URL (default 0: none). */
  maxRedirects?: number;
}

export type HttpsTextResult =
  | { ok: true; status: number; body: string }
  | { ok: false; reason: 'http-status'; status: number; location?: string }
  | { ok: false; reason: 'not-https' | 'network' | 'tls' | 'timeout' | 'too-large'; detail: string };

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME|ERR_SSL|EPROTO/;

/**
 * GET over HTTPS with verified certificates (system roots plus policy CAs), a time limit and a size
 * limit. Redirects are followed only when asked, and only to https. Never falls back to http.
 */
export async function fetchHttpsText(url: string, options: HttpsTextFetchOptions = {}): Promise<HttpsTextResult> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetchOnce(current, options);
    if (res.ok || res.reason !== 'http-status' || !res.location || hop >= (options.maxRedirects ?? 0)) return res;
    const next = new URL(res.location, current);
    if (next.protocol !== 'https:') return { ok: false, reason: 'not-https', detail: `redirect to ${next.href}` };
    current = next.href;
  }
}

function fetchOnce(url: string, options: HttpsTextFetchOptions): Promise<HttpsTextResult> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.resolve({ ok: false, reason: 'not-https', detail: url });
  const port = u.port ? Number(u.port) : 443;
  const target = options.connectTo?.(u.hostname, port) ?? { host: u.hostname, port };
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const extra = options.extraCaPem ?? [];
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: HttpsTextResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const req = request(
      {
        method: 'GET',
        host: target.host,
        port: target.port,
        path: `${u.pathname}${u.search}`,
        servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname,
        headers: { Host: u.port ? `${u.hostname}:${u.port}` : u.hostname, Accept: 'application/xml, text/xml, */*' },
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
        agent: false,
        timeout: options.timeoutMs ?? 5000,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          const location = status >= 300 && status < 400 ? res.headers.location : undefined;
          finish({ ok: false, reason: 'http-status', status, ...(location ? { location } : {}) });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            finish({ ok: false, reason: 'too-large', detail: `more than ${maxBytes} bytes` });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish({ ok: true, status, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => finish({ ok: false, reason: 'network', detail: e.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      finish({ ok: false, reason: 'timeout', detail: `no answer from ${u.hostname}` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      finish({
        ok: false,
        reason: TLS_CODES.test(code) || /certificate/i.test(err.message) ? 'tls' : 'network',
        detail: code || err.message,
      });
    });
    req.end();
  });
}
