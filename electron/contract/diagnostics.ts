import { z } from 'zod';
import { call } from './define';
import { ErrorCodeSchema } from './errors';
import { TlsModeSchema } from './policy';

/** IPC schemas for the future `diagnostics` domain ("Diagnose connection", server discovery). Not wired yet. */

export const DoctorCheckSchema = z.object({
  area: z.enum(['imap', 'smtp', 'council', 'keychain', 'policy']),
  step: z.enum(['dns', 'tcp', 'tls', 'capabilities', 'login', 'ehlo', 'auth', 'https', 'roundtrip', 'account', 'load']),
  status: z.enum(['ok', 'warn', 'fail', 'skipped']),
  code: ErrorCodeSchema.optional(),
  detail: z.string().max(2000),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
  durationMs: z.number().nonnegative(),
});

export const DoctorReportSchema = z.object({
  generatedAt: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  appVersion: z.string().optional(),
  checks: z.array(DoctorCheckSchema),
  overall: z.enum(['ok', 'warn', 'fail']),
  /** The newest lines of the app's log (codes and short details, no secret, no mail content). */
  logTail: z.array(z.string().max(500)).max(100).optional(),
});

export const DoctorResultSchema = z.object({
  report: DoctorReportSchema,
  /** The plain-text rendering for the helpdesk (copy to clipboard). Contains no password. */
  text: z.string(),
});

export const DiscoveredEndpointSchema = z.object({
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  tls: TlsModeSchema,
  username: z.string(),
});

export const DiscoveryAttemptSchema = z.object({
  method: z.enum(['autoconfig', 'autoconfig-well-known', 'srv']),
  target: z.string(),
  outcome: z.enum(['found', 'not-found', 'error']),
  detail: z.string().optional(),
});

export const DiscoveryResultSchema = z.object({
  servers: z
    .object({
      method: z.enum(['autoconfig', 'autoconfig-well-known', 'srv']),
      origin: z.string(),
      imap: DiscoveredEndpointSchema,
      smtp: DiscoveredEndpointSchema.nullable(),
      /** The e-mail address's domain. */
      domain: z.string().max(253),
      /** Hosts outside that domain (and no policy preset): warn, name them, and ask before sending the password. */
      foreignHosts: z.array(z.string().max(253)).max(2),
    })
    .nullable(),
  attempts: z.array(DiscoveryAttemptSchema),
});

export const diagnostics = {
  /** Run the doctor with the stored account (password from the keychain, in main only). */
  run: call(z.void(), DoctorResultSchema),
  /** Find IMAP/SMTP servers for an address (autoconfig, then RFC 6186 SRV). */
  discover: call(z.object({ email: z.string().email().max(320) }), DiscoveryResultSchema),
};
