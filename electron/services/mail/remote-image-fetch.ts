import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../net/public-address';
import { tlsOptions, type TlsTrust } from './imap-connection';

const MAX_REMOTE_IMAGE = 5 * 1024 * 1024;
/** From the first DNS question to the last byte: a server that trickles its answer cannot hold a load open. */
const DEADLINE_MS = 15_000;

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** A DNS resolver: every address of a host name (the system's by default; tests answer for their own names). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface RemoteImageOptions {
  trust?: TlsTrust;
  /**
   * Hosts the machine policy names as internal image servers (`internalImageHosts`): they may resolve to
   * internal addresses. Compared without case, by the URL's host (an IP literal as written there).
   */
  internalHosts?: readonly string[];
  resolve?: Resolve;
  deadlineMs?: number;
}

/** Why a remote image was not loaded (for the log; the renderer only learns that it was not). */
export type RemoteImageRefusal =
  'not-https' | 'not-public' | 'unresolved' | 'failed' | 'not-image' | 'too-large' | 'deadline';

export type RemoteImageResult = { dataUrl: string } | { refused: RemoteImageRefusal };

/** A host as the URL parser writes it (lower case, IPv6 compressed in brackets), to compare policy entries. */
function urlHost(host: string): string {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return host.toLowerCase();
  }
}

/** A lookup that answers the one address that was checked: the socket connects there and nowhere else. */
function pinnedLookup(chosen: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: chosen.address, family: chosen.family }]);
    else callback(null, chosen.address, chosen.family);
  };
}

/**
 * GET one https image for a message whose remote content the person allowed (issue #10 item 10):
 * - the host is resolved first, and every address it resolves to must be public (net/public-address.ts) —
 *   unless the machine policy names the host as an internal image server;
 * - the connection goes to the address that was checked (its lookup answers only that address), so a DNS
 *   answer that changes between check and connect (rebinding) changes nothing;
 * - one deadline covers everything from the DNS question to the last byte, not only idle time;
 * - certificates verified, no redirects, images only, at most 5 MB, answered as a data: URL.
 */
export async function fetchRemoteImage(url: string, options: RemoteImageOptions = {}): Promise<RemoteImageResult> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return { refused: 'not-https' };
  const deadlineMs = options.deadlineMs ?? DEADLINE_MS;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadlineMs);
  try {
    const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
    const internal = (options.internalHosts ?? []).some((h) => urlHost(h) === target.hostname);
    const family = isIP(host);
    let addresses: ResolvedAddress[];
    if (family !== 0) addresses = [{ address: host, family }];
    else {
      const resolving = (options.resolve ?? systemResolve)(host).catch(() => [] as ResolvedAddress[]);
      const deadline = new Promise<'deadline'>((ok) => abort.signal.addEventListener('abort', () => ok('deadline')));
      const answer = await Promise.race([resolving, deadline]);
      if (answer === 'deadline') return { refused: 'deadline' };
      addresses = answer;
    }
    const chosen = addresses[0];
    if (!chosen) return { refused: 'unresolved' };
    // Every answer must be public: a name that resolves to one public and one internal address is refused.
    if (!internal && !addresses.every((a) => isPublicAddress(a.address))) return { refused: 'not-public' };
    return await get(target, chosen, options.trust, abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

function get(target: URL, chosen: ResolvedAddress, trust: TlsTrust | undefined, signal: AbortSignal) {
  return new Promise<RemoteImageResult>((resolve) => {
    const req = request(
      target,
      {
        method: 'GET',
        ...tlsOptions(target.hostname, trust),
        lookup: pinnedLookup(chosen),
        agent: false,
        signal,
        headers: { accept: 'image/*' },
      },
      (res) => {
        const type = String(res.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if (res.statusCode !== 200 || !/^image\/(?:png|jpeg|gif|webp|bmp|x-icon)$/.test(type)) {
          res.resume();
          resolve({ refused: 'not-image' });
          return;
        }
        if (Number(res.headers['content-length'] ?? 0) > MAX_REMOTE_IMAGE) {
          req.destroy();
          resolve({ refused: 'too-large' });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REMOTE_IMAGE) {
            req.destroy();
            resolve({ refused: 'too-large' });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ dataUrl: `data:${type};base64,${Buffer.concat(chunks).toString('base64')}` }));
        res.on('error', () => resolve({ refused: signal.aborted ? 'deadline' : 'failed' }));
        res.on('aborted', () => resolve({ refused: signal.aborted ? 'deadline' : 'failed' }));
      },
    );
    req.on('error', () => resolve({ refused: signal.aborted ? 'deadline' : 'failed' }));
    req.end();
  });
}
