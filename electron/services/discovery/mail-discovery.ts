import { RatsdeskError } from '../../contract/errors';
import { parseAutoconfig } from './autoconfig-parser';
import type { DiscoveredEndpoint, DiscoveredServers, DiscoveryAttempt, DiscoveryMethod } from './discovered-servers';
import { fetchHttpsText, type HttpsTarget } from './https-text-fetch';
import { bestSrv, createSrvResolver, type SrvResolver } from './srv-lookup';

export interface MailDiscoveryOptions {
  extraCaPem?: readonly string[];
  /** Connect somewhere else than the URL host (tests: 127.0.0.1:PORT); certificates are still checked for the URL host. */
  connectTo?: (host: string, port: number) => HttpsTarget;
  /** SRV lookups (default: the system resolver through node:dns). */
  resolveSrv?: SrvResolver;
  timeoutMs?: number;
  /** Hosts the machine policy presets (imapHost, smtpHost): trusted even outside the address's domain. */
  presetHosts?: readonly string[];
}

export interface DiscoveryOutcome {
  servers: DiscoveredServers | null;
  attempts: DiscoveryAttempt[];
}

const EMAIL = /^[^\s@]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

function normalHost(host: string): string {
  return (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
}

/** Is `host` the domain itself or a name under it? (An IP address never is.) */
export function isInDomain(host: string, domain: string): boolean {
  const h = normalHost(host);
  const d = normalHost(domain);
  return h === d || h.endsWith(`.${d}`);
}

/**
 * The hosts of a discovery answer outside the address's domain, each once, that the policy does not preset.
 * Autoconfig documents and SRV records are what a domain (or whoever answers for it: a captured DNS reply,
 * a hijacked web host) says; RFC 6186 §6 warns that following them to another domain hands the password over.
 */
export function foreignHostsOf(
  endpoints: ReadonlyArray<DiscoveredEndpoint | null>,
  domain: string,
  presetHosts: readonly string[] = [],
): string[] {
  const presets = new Set(presetHosts.map(normalHost));
  const foreign = new Set<string>();
  for (const e of endpoints) {
    if (e && !isInDomain(e.host, domain) && !presets.has(normalHost(e.host))) foreign.add(normalHost(e.host));
  }
  return [...foreign];
}

/** The two Mozilla autoconfig URLs for an address, in the order they are preferred. */
export function autoconfigUrls(email: string): Array<{ method: DiscoveryMethod; url: string }> {
  const domain = (EMAIL.exec(email)?.[1] ?? '').toLowerCase();
  const q = `?emailaddress=${encodeURIComponent(email)}`;
  return [
    { method: 'autoconfig', url: `https://autoconfig.${domain}/mail/config-v1.1.xml${q}` },
    { method: 'autoconfig-well-known', url: `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml${q}` },
  ];
}

async function tryAutoconfig(
  method: DiscoveryMethod,
  url: string,
  email: string,
  domain: string,
  options: MailDiscoveryOptions,
) {
  const attempt: DiscoveryAttempt = { method, target: url.split('?', 1)[0] ?? url, outcome: 'not-found' };
  const res = await fetchHttpsText(url, {
    extraCaPem: options.extraCaPem,
    connectTo: options.connectTo,
    timeoutMs: options.timeoutMs,
    maxRedirects: 3,
  });
  if (!res.ok) {
    attempt.outcome = res.reason === 'http-status' ? 'not-found' : 'error';
    attempt.detail = res.reason === 'http-status' ? `HTTP ${res.status}` : `${res.reason}: ${res.detail}`;
    return { attempt, found: null };
  }
  const parsed = parseAutoconfig(res.body, email);
  if (!parsed) {
    attempt.detail = 'no usable IMAP server with TLS in the document';
    return { attempt, found: null };
  }
  attempt.outcome = 'found';
  const foreignHosts = foreignHostsOf([parsed.imap, parsed.smtp], domain, options.presetHosts);
  return {
    attempt,
    found: { method, origin: attempt.target, ...parsed, domain, foreignHosts } satisfies DiscoveredServers,
  };
}

async function srvEndpoint(
  resolve: SrvResolver,
  names: Array<[string, 'tls' | 'starttls']>,
  email: string,
  attempts: DiscoveryAttempt[],
): Promise<(DiscoveredEndpoint & { srvName: string }) | null> {
  for (const [name, tls] of names) {
    try {
      const best = bestSrv(await resolve(name));
      if (best) {
        attempts.push({ method: 'srv', target: name, outcome: 'found', detail: `${best.name}:${best.port}` });
        return {
          host: best.name.replace(/\.$/, '').toLowerCase(),
          port: best.port,
          tls,
          username: email,
          srvName: name,
        };
      }
      attempts.push({ method: 'srv', target: name, outcome: 'not-found', detail: 'service explicitly not offered' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      attempts.push({
        method: 'srv',
        target: name,
        outcome: code === 'ENOTFOUND' || code === 'ENODATA' ? 'not-found' : 'error',
        detail: code,
      });
    }
  }
  return null;
}

/**
 * Finds the mail servers for an address: Mozilla autoconfig from autoconfig.<domain>, then from
 * <domain>/.well-known/autoconfig/, then RFC 6186 SRV records (_imaps, _imap, _submissions, _submission).
 * HTTPS only with verified certificates; plaintext endpoints are never offered.
 */
export async function discoverMailServers(
  email: string,
  options: MailDiscoveryOptions = {},
): Promise<DiscoveryOutcome> {
  const m = EMAIL.exec(email.trim());
  if (!m) throw new RatsdeskError('INVALID_INPUT', 'not an e-mail address');
  const address = email.trim();
  const domain = (m[1] ?? '').toLowerCase();
  const attempts: DiscoveryAttempt[] = [];
  // Both autoconfig locations are asked at once; the first in preference order that answers wins.
  const results = await Promise.all(
    autoconfigUrls(address).map((c) => tryAutoconfig(c.method, c.url, address, domain, options)),
  );
  for (const r of results) attempts.push(r.attempt);
  const found = results.find((r) => r.found)?.found;
  if (found) return { servers: found, attempts };

  const resolve = options.resolveSrv ?? createSrvResolver(undefined, options.timeoutMs);
  const imap = await srvEndpoint(
    resolve,
    [
      [`_imaps._tcp.${domain}`, 'tls'],
      [`_imap._tcp.${domain}`, 'starttls'],
    ],
    address,
    attempts,
  );
  if (!imap) return { servers: null, attempts };
  const smtp = await srvEndpoint(
    resolve,
    [
      [`_submissions._tcp.${domain}`, 'tls'],
      [`_submission._tcp.${domain}`, 'starttls'],
    ],
    address,
    attempts,
  );
  const strip = (e: DiscoveredEndpoint & { srvName: string }): DiscoveredEndpoint => ({
    host: e.host,
    port: e.port,
    tls: e.tls,
    username: e.username,
  });
  const servers = { imap: strip(imap), smtp: smtp ? strip(smtp) : null };
  return {
    servers: {
      method: 'srv',
      origin: imap.srvName,
      ...servers,
      domain,
      foreignHosts: foreignHostsOf([servers.imap, servers.smtp], domain, options.presetHosts),
    },
    attempts,
  };
}

/** Like discoverMailServers but fails with DISCOVERY_FAILED (detail: what was tried) when nothing is found. */
export async function requireMailServers(
  email: string,
  options: MailDiscoveryOptions = {},
): Promise<DiscoveredServers> {
  const outcome = await discoverMailServers(email, options);
  if (outcome.servers) return outcome.servers;
  throw new RatsdeskError(
    'DISCOVERY_FAILED',
    outcome.attempts
      .map((a) => `${a.target}: ${a.outcome}${a.detail ? ` (${a.detail})` : ''}`)
      .join('; ')
      .slice(0, 500),
  );
}
