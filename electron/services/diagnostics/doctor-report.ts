import type { ErrorCode } from '../../contract/errors';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export type CheckArea = 'imap' | 'smtp' | 'council' | 'keychain' | 'policy';

export type CheckStep =
  'dns' | 'tcp' | 'tls' | 'capabilities' | 'login' | 'ehlo' | 'auth' | 'https' | 'roundtrip' | 'account' | 'load';

export interface DoctorCheck {
  area: CheckArea;
  step: CheckStep;
  status: CheckStatus;
  /** The stable error code when the check failed. */
  code?: ErrorCode;
  /** What was checked and what was seen, for a helpdesk person. Never a secret. */
  detail: string;
  /** Structured facts (addresses, certificate subject, capabilities, …). */
  facts?: Record<string, string | number | boolean | string[]>;
  durationMs: number;
}

export interface DoctorReport {
  generatedAt: string;
  platform: string;
  nodeVersion: string;
  appVersion?: string;
  checks: DoctorCheck[];
  /** 'fail' when any check failed, 'warn' when any warned, otherwise 'ok'. */
  overall: 'ok' | 'warn' | 'fail';
  /** The newest lines of the app's log (logs/ratsdesk.log in the data folder), when there is one. */
  logTail?: string[];
}

export function overallOf(checks: readonly DoctorCheck[]): DoctorReport['overall'] {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'ok';
}
