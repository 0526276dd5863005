import { rootCertificates } from 'node:tls';
import { ImapFlow } from 'imapflow';
import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import { isCertificateErrorCode } from '../tls/certificate-errors';

export interface TlsTrust {
  /** Extra CA certificates (PEM), e.g. a city's internal PKI, added by policy. Never "accept any". */
  extraCaPem?: readonly string[];
}

/** TLS options every Ratsdesk connection uses: verified certificates, TLS 1.2 or newer. */
export function tlsOptions(host: string, trust: TlsTrust = {}) {
  const extra = trust.extraCaPem ?? [];
  return {
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const,
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
  };
}

/** A new, single-use imapflow client (imapflow instances cannot be reconnected after close). */
export function createImapClient(settings: AccountSettings, password: string, trust: TlsTrust = {}): ImapFlow {
  return new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    doSTARTTLS: settings.security === 'starttls' ? true : undefined,
    auth: { user: settings.username, pass: password },
    tls: tlsOptions(settings.host, trust),
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 5 * 60_000,
    disableAutoIdle: true,
  });
}

/**
 * A new client, connected and logged in. On failure it is closed and the failure comes as a stable code;
 * an 'error' event is always listened to (without a listener it would end the process).
 */
export async function connectImap(
  settings: AccountSettings,
  password: string,
  trust: TlsTrust = {},
): Promise<ImapFlow> {
  const client = createImapClient(settings, password, trust);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw classifyConnectError(err);
  }
  return client;
}

/** Logs out politely; closes the socket when the server does not answer. */
export async function closeImap(client: ImapFlow): Promise<void> {
  try {
    await client.logout();
  } catch {
    client.close();
  }
}

/**
 * The login check for sign-in and unlock: connect, log in, log out. The sync keeps its own connections;
 * this one is never kept. Failures come as stable codes (AUTH_FAILED, TLS_CERT_UNTRUSTED, …).
 */
export async function checkImapLogin(settings: AccountSettings, password: string, trust: TlsTrust = {}): Promise<void> {
  await closeImap(await connectImap(settings, password, trust));
}

interface ErrorLike {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseStatus?: string;
  message?: string;
  cause?: unknown;
}

/** Turn whatever imapflow, TLS or the socket threw into a stable, explainable Ratsdesk error. */
export function classifyConnectError(err: unknown): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const e = (err ?? {}) as ErrorLike;
  const inner = (e.cause ?? {}) as ErrorLike;
  const code = e.code ?? inner.code ?? '';
  const message = `${e.message ?? ''} ${inner.message ?? ''}`;
  if (e.authenticationFailed) return new RatsdeskError('AUTH_FAILED', undefined, { cause: err });
  if (isCertificateErrorCode(code) || /certificate|self[- ]signed/i.test(message)) {
    return new RatsdeskError('TLS_CERT_UNTRUSTED', code || undefined, { cause: err });
  }
  if (e.tlsFailed || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|STARTTLS/i.test(message)) {
    return new RatsdeskError('TLS_NOT_OFFERED', code || undefined, { cause: err });
  }
  if (code === 'ECONNREFUSED') return new RatsdeskError('CONNECTION_REFUSED', undefined, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new RatsdeskError('HOST_NOT_FOUND', undefined, { cause: err });
  if (/TIMEOUT/i.test(code) || code === 'ETIMEDOUT') return new RatsdeskError('TIMEOUT', code, { cause: err });
  if (code === 'EPROTO' || /ssl|tls/i.test(message)) {
    return new RatsdeskError('TLS_NOT_OFFERED', code || undefined, { cause: err });
  }
  return new RatsdeskError('SERVER_ERROR', code || undefined, { cause: err });
}
