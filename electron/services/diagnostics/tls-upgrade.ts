import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import {
  checkServerIdentity,
  connect as tlsConnect,
  rootCertificates,
  type DetailedPeerCertificate,
  type TLSSocket,
} from 'node:tls';

export interface TlsFacts {
  socket: TLSSocket;
  /** The chain verified against the system roots plus the policy CAs, and the host name matched. */
  trusted: boolean;
  /** Which trust anchor accepted the chain: a policy CA (internal PKI) or the system roots. */
  trustedBy: 'policy-ca' | 'system' | null;
  /** OpenSSL's reason when not trusted (e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID). */
  reason: string | null;
  protocol: string;
  subject: string;
  issuer: string;
  validTo: string;
  daysLeft: number;
  fingerprint256: string;
}

function nameOf(o: Record<string, string | string[] | undefined> | undefined): string {
  if (!o) return '';
  return Object.entries(o)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : (v ?? '')}`)
    .join(', ');
}

function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  for (
    let c: DetailedPeerCertificate | undefined = peer;
    c?.raw && !seen.has(c.fingerprint256);
    c = c.issuerCertificate
  ) {
    seen.add(c.fingerprint256);
    out.push(new X509Certificate(c.raw));
  }
  return out;
}

function issuedByPolicyCa(chain: X509Certificate[], extraCaPem: readonly string[]): boolean {
  for (const pem of extraCaPem) {
    let ca: X509Certificate;
    try {
      ca = new X509Certificate(pem);
    } catch {
      continue;
    }
    if (chain.some((c) => c.fingerprint256 === ca.fingerprint256 || (c.checkIssued(ca) && c.verify(ca.publicKey))))
      return true;
  }
  return false;
}

/**
 * Runs a TLS handshake on an open TCP socket (implicit TLS, or after STARTTLS) against the system
 * roots plus the policy CAs, and describes the certificate. The handshake completes even for an
 * untrusted certificate so the report can say what was presented; callers then stop and send nothing.
 */
export function upgradeToTls(
  socket: Socket,
  host: string,
  extraCaPem: readonly string[],
  timeoutMs: number,
): Promise<TlsFacts> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$|:/.test(host);
    const tls = tlsConnect({
      socket,
      servername: isIp ? undefined : host,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ca: [...rootCertificates, ...extraCaPem],
    });
    const timer = setTimeout(() => {
      tls.destroy();
      reject(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    tls.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      const peer = tls.getPeerCertificate(true);
      let reason: string | null = tls.authorized ? null : String(tls.authorizationError ?? 'UNTRUSTED');
      if (!reason) {
        // Chain is fine; the host name must match as well (rejectUnauthorized: false skips that check).
        const err = checkServerIdentity(host, peer);
        if (err) reason = (err as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID';
      }
      const chain = peer?.raw ? chainOf(peer) : [];
      const validTo = peer?.valid_to ?? '';
      const trusted = reason === null;
      resolve({
        socket: tls,
        trusted,
        trustedBy: trusted ? (issuedByPolicyCa(chain, extraCaPem) ? 'policy-ca' : 'system') : null,
        reason,
        protocol: tls.getProtocol() ?? '',
        subject: nameOf(peer?.subject as unknown as Record<string, string>),
        issuer: nameOf(peer?.issuer as unknown as Record<string, string>),
        validTo,
        daysLeft: validTo ? Math.floor((Date.parse(validTo) - Date.now()) / 86_400_000) : 0,
        fingerprint256: peer?.fingerprint256 ?? '',
      });
    });
  });
}
