import type { AccountSettings, ConnectInput, Security, SmtpServer } from '../../../../electron/contract/account';

export const IMAP_PORT: Record<Security, number> = { tls: 993, starttls: 143 };
export const SMTP_PORT: Record<Security, number> = { tls: 465, starttls: 587 };

/** What the account form holds while the person types (ports as typed text). */
export interface ServerFieldValues {
  host: string;
  security: Security;
  port: string;
  username: string;
  password: string;
  /** The sender address as typed; while `emailTouched` is false it follows the user name when that is an address. */
  email: string;
  emailTouched: boolean;
  /** False: SMTP is the service's default (the IMAP host, 587 STARTTLS) and is not sent along. */
  smtpCustom: boolean;
  smtpHost: string;
  smtpSecurity: Security;
  smtpPort: string;
}

/** The SMTP server the service uses when none is given: the IMAP host, port 587 with STARTTLS. */
export function defaultSmtp(host: string): SmtpServer {
  return { host: host.trim(), port: SMTP_PORT.starttls, security: 'starttls' };
}

export function initialServerFieldValues(initial: Partial<AccountSettings> | undefined): ServerFieldValues {
  const host = initial?.host ?? '';
  const security = initial?.security ?? 'tls';
  const smtp = initial?.smtp;
  const fallback = defaultSmtp(host);
  const smtpCustom =
    smtp !== undefined &&
    (smtp.host !== fallback.host || smtp.port !== fallback.port || smtp.security !== fallback.security);
  return {
    host,
    security,
    port: String(initial?.port ?? IMAP_PORT[security]),
    username: initial?.username ?? '',
    password: '',
    email: initial?.email ?? '',
    emailTouched: initial?.email !== undefined,
    smtpCustom,
    smtpHost: smtp?.host ?? '',
    smtpSecurity: smtp?.security ?? 'starttls',
    smtpPort: String(smtp?.port ?? SMTP_PORT.starttls),
  };
}

/** The sender address shown and sent: the typed one, else the user name when it is an address. */
export function effectiveEmail(v: ServerFieldValues): string {
  if (v.emailTouched) return v.email.trim();
  const user = v.username.trim();
  return user.includes('@') ? user : '';
}

/** The SMTP server shown and used: the person's own entry, else the default for the IMAP host. */
export function effectiveSmtp(v: ServerFieldValues): SmtpServer {
  if (!v.smtpCustom) return defaultSmtp(v.host);
  return { host: v.smtpHost.trim(), port: Number(v.smtpPort), security: v.smtpSecurity };
}

/**
 * Applies one change, keeping the defaults that depend on it: a port still at the default for its
 * encryption follows a change of encryption; opening the SMTP fields starts them at the default.
 */
export function changeServerFieldValues(v: ServerFieldValues, change: Partial<ServerFieldValues>): ServerFieldValues {
  const next = { ...v, ...change };
  if (change.security && v.port === String(IMAP_PORT[v.security])) next.port = String(IMAP_PORT[change.security]);
  if (change.smtpSecurity && v.smtpPort === String(SMTP_PORT[v.smtpSecurity]))
    next.smtpPort = String(SMTP_PORT[change.smtpSecurity]);
  if (change.email !== undefined) next.emailTouched = true;
  if (change.smtpCustom && !v.smtpCustom) {
    const d = defaultSmtp(v.host);
    next.smtpHost = d.host;
    next.smtpPort = String(d.port);
    next.smtpSecurity = d.security;
  }
  return next;
}

/**
 * The connect call's input from the fields a form shows (`shown`); `fixed` holds what the person does not
 * enter there (preset or discovered servers). Hidden fields never leak stale values into the account.
 */
export function toConnectInput(
  v: ServerFieldValues,
  shown: { smtp?: boolean; sender?: boolean },
  fixed: Partial<Omit<ConnectInput, 'username' | 'password'>> = {},
): ConnectInput {
  const email = shown.sender ? effectiveEmail(v) : '';
  return {
    host: v.host.trim(),
    port: Number(v.port),
    security: v.security,
    ...(email ? { email } : {}),
    ...(shown.smtp && v.smtpCustom ? { smtp: effectiveSmtp(v) } : {}),
    ...fixed,
    username: v.username.trim(),
    password: v.password,
  };
}
