import { XMLParser } from 'fast-xml-parser';
import type { TlsMode } from '../../contract/policy';
import type { DiscoveredEndpoint } from './discovered-servers';

interface XmlServer {
  '@_type'?: string;
  hostname?: unknown;
  port?: unknown;
  socketType?: unknown;
  username?: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  processEntities: false,
  isArray: (name) => ['emailProvider', 'incomingServer', 'outgoingServer', 'domain'].includes(name),
});

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

function socketToTls(socketType: string | undefined): TlsMode | undefined {
  if (socketType === 'SSL') return 'tls';
  if (socketType === 'STARTTLS') return 'starttls';
  return undefined; // "plain" or unknown: never used
}

function fill(template: string, email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return template
    .replace(/%EMAILADDRESS%/g, email)
    .replace(/%EMAILLOCALPART%/g, local)
    .replace(/%EMAILDOMAIN%/g, domain);
}

function pick(servers: XmlServer[], type: string, email: string): DiscoveredEndpoint | null {
  const usable: DiscoveredEndpoint[] = [];
  for (const s of servers) {
    if (s['@_type'] !== type) continue;
    const host = text(s.hostname);
    const port = Number(text(s.port));
    const tls = socketToTls(text(s.socketType));
    if (
      !host ||
      !/^[A-Za-z0-9.-]+$/.test(fill(host, email)) ||
      !Number.isInteger(port) ||
      port < 1 ||
      port > 65535 ||
      !tls
    )
      continue;
    usable.push({
      host: fill(host, email).toLowerCase(),
      port,
      tls,
      username: fill(text(s.username) ?? '%EMAILADDRESS%', email),
    });
  }
  // Implicit TLS first, then STARTTLS; document order otherwise (the provider's preference).
  return usable.find((e) => e.tls === 'tls') ?? usable[0] ?? null;
}

/**
 * Reads a Mozilla autoconfig document (config-v1.1.xml) and answers the best IMAP and SMTP server
 * for the address, ignoring unencrypted ("plain") and non-IMAP (POP3) entries.
 */
export function parseAutoconfig(
  xml: string,
  email: string,
): { imap: DiscoveredEndpoint; smtp: DiscoveredEndpoint | null } | null {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return null;
  }
  const providers = (doc as { clientConfig?: { emailProvider?: unknown[] } } | undefined)?.clientConfig?.emailProvider;
  if (!Array.isArray(providers)) return null;
  for (const provider of providers as Array<{ incomingServer?: XmlServer[]; outgoingServer?: XmlServer[] }>) {
    const imap = pick(provider.incomingServer ?? [], 'imap', email);
    if (!imap) continue;
    return { imap, smtp: pick(provider.outgoingServer ?? [], 'smtp', email) };
  }
  return null;
}
