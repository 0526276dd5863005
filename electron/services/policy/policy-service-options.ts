import type { PolicyValues } from '../../contract/policy';
import type { EffectivePolicy } from './policy-resolver';

/** What the other services take from the effective policy (shapes of ServicesOptions in app-services.ts). */
export interface PolicyDrivenOptions {
  trust: { extraCaPem: readonly string[] };
  ris?: {
    systemUrl: string;
    allowedOrigins?: string[];
    extraCaPem: readonly string[];
    /** Only when the machine policy lists any: http origins read in clear when https does not answer. */
    insecureHttpOrigins?: readonly string[];
  };
  exportAllowed: boolean;
  idleLockMs: number;
  /** Preset mail servers for first-run (user name and password only), when the policy names them. */
  presetImap?: { host: string; port: number; security: 'tls' | 'starttls' };
  presetSmtp?: { host: string; port: number; security: 'tls' | 'starttls' };
}

/** Maps the effective policy values onto the options createServices and the lock service take. */
export function policyDrivenOptions(v: PolicyValues): PolicyDrivenOptions {
  const extraCaPem = v.extraCaCertificates;
  const out: PolicyDrivenOptions = {
    trust: { extraCaPem },
    exportAllowed: v.documentExportAllowed,
    idleLockMs: v.idleLockMinutes * 60_000,
  };
  if (v.oparlSystemUrl) {
    const origins = [
      new URL(v.oparlSystemUrl).origin,
      ...(v.risBaseUrl ? [new URL(v.risBaseUrl).origin] : []),
      ...v.risAllowedOrigins,
    ];
    out.ris = {
      systemUrl: v.oparlSystemUrl,
      allowedOrigins: [...new Set(origins)],
      extraCaPem,
      ...(v.risInsecureHttpOrigins.length > 0 ? { insecureHttpOrigins: v.risInsecureHttpOrigins } : {}),
    };
  }
  if (v.imapHost) out.presetImap = { host: v.imapHost, port: v.imapPort, security: v.imapTls };
  if (v.smtpHost) out.presetSmtp = { host: v.smtpHost, port: v.smtpPort, security: v.smtpTls };
  return out;
}

/**
 * The council origins the machine policy itself names (system URL, web pages, further origins) — not those a
 * person entered. Only on these may a client certificate be chosen without asking.
 */
export function policyCouncilOrigins(policy: EffectivePolicy): string[] {
  const fromPolicy = (key: 'oparlSystemUrl' | 'risBaseUrl'): string[] => {
    const url = policy.values[key];
    return url && policy.sourceOf(key) === 'policy' ? [new URL(url).origin] : [];
  };
  const further = policy.sourceOf('risAllowedOrigins') === 'policy' ? policy.values.risAllowedOrigins : [];
  return [...new Set([...fromPolicy('oparlSystemUrl'), ...fromPolicy('risBaseUrl'), ...further])];
}
