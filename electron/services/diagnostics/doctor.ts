import { hostname } from 'node:os';
import type { AccountSettings } from '../../contract/account';
import { keychainAccountName } from '../account/account-service';
import type { PolicyIssue } from '../../contract/policy';
import type { TlsMode } from '../../contract/policy';
import type { EffectivePolicy } from '../policy/policy-resolver';
import { probeCouncil } from './council-probe';
import { overallOf, type DoctorCheck, type DoctorReport } from './doctor-report';
import { probeKeychain } from './keychain-probe';
import { probeImap, probeSmtp } from './mail-server-probe';

export interface DoctorEndpoint {
  host: string;
  port: number;
  tls: TlsMode;
}

export interface DoctorInput {
  /** The newest lines of the app's log, copied into the report (readLogTail). */
  logTail?: readonly string[];
  imap?: DoctorEndpoint;
  smtp?: DoctorEndpoint;
  /** OParl system URL or RIS base URL. */
  councilUrl?: string | null;
  username?: string;
  /** Used for the IMAP login only; it never appears in the report (the report is scrubbed for it). */
  password?: string;
  extraCaPem?: readonly string[];
  /** Keychain service name to probe, or false to skip the keychain. */
  keychainService?: string | false;
  /** The keychain entry of the account's password, checked for presence (default: the user name). */
  keychainEntry?: string;
  policyIssues?: readonly PolicyIssue[];
  timeoutMs?: number;
  appVersion?: string;
}

/** The doctor's input from the effective policy (servers, council system, CAs) plus the account. */
export function doctorInputFromPolicy(
  policy: EffectivePolicy,
  account: { username?: string; password?: string } = {},
): DoctorInput {
  const v = policy.values;
  return {
    imap: v.imapHost ? { host: v.imapHost, port: v.imapPort, tls: v.imapTls } : undefined,
    smtp: v.smtpHost ? { host: v.smtpHost, port: v.smtpPort, tls: v.smtpTls } : undefined,
    councilUrl: v.oparlSystemUrl ?? v.risBaseUrl,
    extraCaPem: v.extraCaCertificates,
    policyIssues: policy.issues,
    username: account.username,
    password: account.password,
  };
}

/**
 * The doctor's input for the account stored in the app (in-app "Diagnose connection" and
 * `--doctor --password-from-keychain`): its password goes only to its own IMAP server — never to a host named
 * elsewhere (a policy, a settings file, the command line) — and only the system roots and the policy's CAs
 * are trusted. SMTP and the council system come from the policy when it names them (no password goes there).
 */
export function doctorInputForAccount(
  policy: EffectivePolicy,
  account: AccountSettings,
  password: string | undefined,
): DoctorInput {
  const input = doctorInputFromPolicy(policy, { username: account.username, password });
  input.imap = { host: account.host, port: account.port, tls: account.security };
  input.keychainEntry = keychainAccountName(account);
  if (!input.smtp && account.smtp) {
    input.smtp = { host: account.smtp.host, port: account.smtp.port, tls: account.smtp.security };
  }
  return input;
}

function scrub<T>(value: T, secrets: readonly string[]): T {
  const real = secrets.filter((s) => s.length > 0);
  if (real.length === 0) return value;
  let text = JSON.stringify(value);
  for (const s of real) {
    const escaped = JSON.stringify(s).slice(1, -1);
    text = text.split(escaped).join('***');
  }
  return JSON.parse(text) as T;
}

/**
 * "Diagnose connection": DNS, TCP, TLS chain (system + policy CAs), IMAP capabilities and login,
 * SMTP EHLO/TLS/AUTH, the council system over HTTPS and the keychain, as a structured report.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const options = { extraCaPem: input.extraCaPem ?? [], timeoutMs: input.timeoutMs ?? 8000 };
  const checks: DoctorCheck[] = [];
  for (const issue of input.policyIssues ?? []) {
    checks.push({
      area: 'policy',
      step: 'load',
      status: issue.fromPolicy ? 'fail' : 'warn',
      detail: issue.message,
      durationMs: 0,
    });
  }
  const login = input.username && input.password ? { username: input.username, password: input.password } : undefined;
  const tasks: Array<Promise<DoctorCheck[]>> = [
    input.imap
      ? probeImap(input.imap, login, options)
      : Promise.resolve([
          {
            area: 'imap',
            step: 'dns',
            status: 'skipped',
            detail: 'no IMAP server configured',
            durationMs: 0,
          } as DoctorCheck,
        ]),
    input.smtp
      ? probeSmtp(input.smtp, options)
      : Promise.resolve([
          {
            area: 'smtp',
            step: 'dns',
            status: 'skipped',
            detail: 'no SMTP server configured',
            durationMs: 0,
          } as DoctorCheck,
        ]),
    input.councilUrl
      ? probeCouncil(input.councilUrl, options)
      : Promise.resolve([
          {
            area: 'council',
            step: 'https',
            status: 'skipped',
            detail: 'no council system configured',
            durationMs: 0,
          } as DoctorCheck,
        ]),
    input.keychainService === false
      ? Promise.resolve([])
      : probeKeychain(input.keychainService ?? 'Ratsdesk', input.keychainEntry ?? input.username),
  ];
  for (const part of await Promise.all(tasks)) checks.push(...part);
  const report: DoctorReport = {
    generatedAt: new Date().toISOString(),
    platform: `${process.platform} ${process.arch} (${hostname()})`,
    nodeVersion: process.version,
    ...(input.appVersion ? { appVersion: input.appVersion } : {}),
    checks,
    overall: overallOf(checks),
    ...(input.logTail && input.logTail.length > 0
      ? { logTail: input.logTail.slice(-100).map((l) => l.slice(0, 500)) }
      : {}),
  };
  return scrub(report, input.password ? [input.password] : []);
}
