import { fetchHttpsText } from '../discovery/https-text-fetch';
import { dnsStep, runStep } from './check-step';
import type { DoctorCheck } from './doctor-report';

/** DNS and an HTTPS GET of the council system URL (OParl system or RIS base), certificate verified. */
export async function probeCouncil(
  url: string,
  options: { extraCaPem: readonly string[]; timeoutMs: number },
): Promise<DoctorCheck[]> {
  let host: string;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '');
    if (u.protocol !== 'https:') {
      return [
        {
          area: 'council',
          step: 'https',
          status: 'fail',
          code: 'RIS_NOT_HTTPS',
          detail: `${url} is not https`,
          durationMs: 0,
        },
      ];
    }
  } catch {
    return [
      {
        area: 'council',
        step: 'https',
        status: 'fail',
        code: 'INVALID_INPUT',
        detail: 'the council system URL is not a URL',
        durationMs: 0,
      },
    ];
  }
  const checks: DoctorCheck[] = [await dnsStep('council', host)];
  if (checks[0]?.status === 'fail') return checks;
  checks.push(
    await runStep('council', 'https', async () => {
      const res = await fetchHttpsText(url, {
        extraCaPem: options.extraCaPem,
        timeoutMs: options.timeoutMs,
        maxBytes: 2 * 1024 * 1024,
      });
      if (!res.ok) {
        if (res.reason === 'http-status') {
          const redirect = res.status >= 300 && res.status < 400;
          return {
            status: redirect ? 'warn' : 'fail',
            code: redirect ? undefined : 'RIS_HTTP_ERROR',
            detail: `HTTP ${res.status} from ${url}`,
          };
        }
        const code =
          res.reason === 'tls'
            ? 'TLS_CERT_UNTRUSTED'
            : res.reason === 'timeout'
              ? 'TIMEOUT'
              : /ECONNREFUSED/.test(res.detail)
                ? 'CONNECTION_REFUSED'
                : /ENOTFOUND/.test(res.detail)
                  ? 'HOST_NOT_FOUND'
                  : 'SERVER_ERROR';
        return { status: 'fail', code, detail: `${res.reason}: ${res.detail}` };
      }
      let oparlType = '';
      try {
        const json = JSON.parse(res.body) as { type?: unknown };
        if (typeof json.type === 'string') oparlType = json.type;
      } catch {
        // not JSON: an ordinary RIS web page
      }
      return {
        detail: `HTTP 200 from ${url}${oparlType ? ` (${oparlType.replace(/^https:\/\/schema\.oparl\.org\//, 'OParl ')})` : ''}`,
        facts: { bytes: Buffer.byteLength(res.body), ...(oparlType ? { oparlType } : {}) },
      };
    }),
  );
  return checks;
}
