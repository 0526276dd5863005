import { Client, EqualityFilter } from 'ldapts';
import { isCertificateErrorCode } from '../../tls/certificate-errors';
import { SmimeError } from './smime-error';
import { candidatesFromFile, type CertificateCandidate } from './correspondent-certificates';

export interface DirectoryOptions {
  /** The policy's smimeDirectoryUrl: ldaps://host[:port]/<base DN>. */
  url: string;
  /** Extra CAs for the directory's TLS certificate (PEM); the system's roots count too when absent. */
  caPem?: string[];
  timeoutMs?: number;
}

/** Where certificates live in an LDAP entry: RFC 4523 userCertificate, and userSMIMECertificate (PKCS#7). */
const CERTIFICATE_ATTRIBUTES = ['userCertificate;binary', 'userCertificate', 'userSMIMECertificate'];
const MAX_ENTRIES = 10;

function parseDirectoryUrl(url: string): { server: string; baseDn: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SmimeError('SMIME_DIRECTORY_NOT_LDAPS', 'not a URL');
  }
  if (parsed.protocol !== 'ldaps:') throw new SmimeError('SMIME_DIRECTORY_NOT_LDAPS', parsed.protocol);
  return {
    server: `ldaps://${parsed.host}`,
    baseDn: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

function certificateValues(entry: Record<string, unknown>): Buffer[] {
  const out: Buffer[] = [];
  for (const name of CERTIFICATE_ATTRIBUTES) {
    const value = entry[name];
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (Buffer.isBuffer(v) && v.length > 0) out.push(v);
    }
  }
  return out;
}

/** userCertificate holds one DER certificate, userSMIMECertificate a certs-only PKCS#7: both are read. */
function certificatesOfValue(value: Buffer): CertificateCandidate[] {
  try {
    return candidatesFromFile(value).map((c) => ({ ...c, source: 'directory' as const }));
  } catch {
    return []; // a value that is no certificate is skipped, the entry's others still count
  }
}

/**
 * Looks up the certificates a directory holds for one address, over LDAPS only (the filter value is
 * escaped by ldapts). Returns the raw DER values; the caller decides which one is valid and newest.
 */
export async function lookupDirectoryCertificates(
  email: string,
  options: DirectoryOptions,
): Promise<CertificateCandidate[]> {
  const { server, baseDn } = parseDirectoryUrl(options.url);
  const timeout = options.timeoutMs ?? 10_000;
  const client = new Client({
    url: server,
    timeout,
    connectTimeout: timeout,
    tlsOptions: { ...(options.caPem?.length ? { ca: options.caPem } : {}), minVersion: 'TLSv1.2' },
  });
  try {
    const { searchEntries } = await client.search(baseDn, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: 'mail', value: email.trim().toLowerCase() }),
      attributes: CERTIFICATE_ATTRIBUTES,
      explicitBufferAttributes: CERTIFICATE_ATTRIBUTES,
      sizeLimit: MAX_ENTRIES,
      timeLimit: Math.ceil(timeout / 1000),
    });
    return searchEntries
      .slice(0, MAX_ENTRIES)
      .flatMap((e) => certificateValues(e as Record<string, unknown>))
      .flatMap(certificatesOfValue);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SmimeError(
      'SMIME_DIRECTORY_UNREACHABLE',
      isCertificateErrorCode(code) ? `TLS: ${code}` : (e as Error).message,
    );
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
