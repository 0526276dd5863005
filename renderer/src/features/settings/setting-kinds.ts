import { policyKeys, type PolicyKey } from '../../../../electron/contract/policy';

/** How a setting is edited; derived from the policy table's defaults, with the choices of the enum keys. */
export type SettingKind =
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'text'; nullable: boolean }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'list'; nullable: boolean; certificates: boolean };

const choices: Partial<Record<PolicyKey, readonly string[]>> = {
  imapTls: ['tls', 'starttls'],
  smtpTls: ['tls', 'starttls'],
  recipientOutsideAction: ['warn', 'block'],
  updateChannel: ['stable', 'beta'],
  smimeSigning: ['off', 'default', 'mandatory'],
};

export function settingKind(key: PolicyKey): SettingKind {
  const options = choices[key];
  if (options) return { kind: 'choice', options };
  const def = policyKeys[key];
  const nullable = def.schema.safeParse(null).success;
  const sample: unknown = def.example;
  if (typeof sample === 'boolean') return { kind: 'boolean' };
  if (typeof sample === 'number') return { kind: 'number' };
  if (Array.isArray(sample))
    return { kind: 'list', nullable, certificates: key === 'extraCaCertificates' || key === 'smimeTrustAnchors' };
  return { kind: 'text', nullable };
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The text a control shows for a value. */
export function toText(kind: SettingKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (kind.kind === 'list' && Array.isArray(value)) return value.join(kind.certificates ? '\n\n' : '\n');
  return String(value);
}

/** The value a control's text stands for; the service validates it against the policy schema. */
export function fromText(kind: SettingKind, text: string): unknown {
  const trimmed = text.trim();
  switch (kind.kind) {
    case 'number':
      return trimmed === '' ? undefined : Number(trimmed);
    case 'text':
      return trimmed === '' && kind.nullable ? null : trimmed;
    case 'list': {
      const items = kind.certificates
        ? (trimmed.match(PEM) ?? [])
        : trimmed
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean);
      return items.length === 0 && kind.nullable ? null : items;
    }
    default:
      return trimmed;
  }
}
