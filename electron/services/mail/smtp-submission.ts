import nodemailer from 'nodemailer';
import { RatsdeskError } from '../../contract/errors';
import { tlsOptions, type TlsTrust } from './imap-connection';
import { isCertificateErrorCode } from '../tls/certificate-errors';

export interface SmtpSettings {
  host: string;
  /** 465 with 'tls' (implicit TLS) or 587 with 'starttls' (STARTTLS required); there is no plaintext mode. */
  port: number;
  security: 'tls' | 'starttls';
  username: string;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface SubmitResult {
  accepted: string[];
  rejected: string[];
  /** The server's final reply, e.g. '250 2.0.0 Ok: queued as …'. */
  response: string;
}

export interface SmtpSubmissionOptions {
  trust?: TlsTrust;
  /** Where the password comes from (the keychain); asked on every submission, never stored here. */
  password: () => Promise<string>;
  connectionTimeoutMs?: number;
}

/**
 * SMTP submission (RFC 6409) of ready-built messages through nodemailer: authenticated, TLS only
 * (implicit on 465, STARTTLS required on 587), certificates verified against the system roots plus the
 * CAs an administrator added. One short-lived connection per submission; nothing is pooled or kept.
 */
export class SmtpSubmission {
  constructor(
    private readonly settings: SmtpSettings,
    private readonly options: SmtpSubmissionOptions,
  ) {}

  /** Submits one raw RFC 5322 message as is. Throws RatsdeskError with a stable code on every failure. */
  async send(raw: Buffer, envelope: SmtpEnvelope): Promise<SubmitResult> {
    const transport = await this.transport();
    try {
      const info = await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
      return {
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
        response: String(info.response ?? ''),
      };
    } catch (err) {
      throw classifySmtpError(err);
    } finally {
      transport.close();
    }
  }

  /** Connects, negotiates TLS and logs in, then quits: for the account setup's "test connection". */
  async verify(): Promise<void> {
    const transport = await this.transport();
    try {
      await transport.verify();
    } catch (err) {
      throw classifySmtpError(err);
    } finally {
      transport.close();
    }
  }

  dispose(): void {
    // Nothing held between submissions.
  }

  private async transport() {
    const { host, port, security, username } = this.settings;
    const pass = await this.options.password();
    const timeout = this.options.connectionTimeoutMs ?? 15_000;
    return nodemailer.createTransport({
      host,
      port,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: false,
      auth: { user: username, pass },
      tls: tlsOptions(host, this.options.trust),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: 5 * 60_000,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    });
  }
}

interface SmtpErrorLike {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  rejected?: unknown[];
  cause?: unknown;
}

/** Maps what nodemailer, TLS and the socket threw to a stable Ratsdesk error code. */
export function classifySmtpError(err: unknown): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const e = (err ?? {}) as SmtpErrorLike;
  const inner = (e.cause ?? {}) as SmtpErrorLike;
  const code = e.code ?? '';
  const original = e.originalCode ?? inner.code ?? '';
  const message = `${e.message ?? ''} ${inner.message ?? ''}`;
  const status = e.responseCode ?? 0;
  const detail = (status ? `${status} ${e.command ?? ''}`.trim() : original || code || undefined)?.slice(0, 200);
  const wrap = (c: ConstructorParameters<typeof RatsdeskError>[0]) => new RatsdeskError(c, detail, { cause: err });

  if (isCertificateErrorCode(original) || isCertificateErrorCode(code) || /certificate|self[- ]signed/i.test(message)) {
    return wrap('TLS_CERT_UNTRUSTED');
  }
  if (code === 'EAUTH' || code === 'ENOAUTH' || status === 535 || status === 534) return wrap('SMTP_AUTH_FAILED');
  if (status === 552 || /size limit|too large/i.test(message)) return wrap('SMTP_MESSAGE_TOO_LARGE');
  if (code === 'EENVELOPE') {
    if (status >= 400 && status < 500) return wrap('SMTP_TEMPORARY_FAILURE');
    return wrap('SMTP_RECIPIENT_REJECTED');
  }
  if (code === 'EMESSAGE' || code === 'EPROTOCOL') {
    if (status >= 400 && status < 500) return wrap('SMTP_TEMPORARY_FAILURE');
    return wrap('SMTP_MESSAGE_REJECTED');
  }
  if (code === 'ETLS' || code === 'EREQUIRETLS' || /STARTTLS/i.test(message)) return wrap('TLS_NOT_OFFERED');
  if (original === 'ECONNREFUSED' || code === 'ECONNREFUSED') return wrap('CONNECTION_REFUSED');
  if (original === 'ENOTFOUND' || original === 'EAI_AGAIN' || code === 'EDNS') return wrap('HOST_NOT_FOUND');
  if (code === 'ETIMEDOUT' || original === 'ETIMEDOUT') return wrap('TIMEOUT');
  if (
    original === 'EPROTO' ||
    original === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    /wrong version number|ssl|tls/i.test(message)
  ) {
    return wrap('TLS_NOT_OFFERED');
  }
  if (status >= 400 && status < 500) return wrap('SMTP_TEMPORARY_FAILURE');
  if (status >= 500) return wrap('SMTP_MESSAGE_REJECTED');
  return wrap('SERVER_ERROR');
}

/** Failures after which the same message may be submitted again later without anyone changing anything. */
export function isRetryable(err: RatsdeskError): boolean {
  return [
    'CONNECTION_REFUSED',
    'HOST_NOT_FOUND',
    'TIMEOUT',
    'SERVER_ERROR',
    'SMTP_TEMPORARY_FAILURE',
    'NOT_CONNECTED',
  ].includes(err.code);
}
