import { policyKeyNames, policyKeys, type PolicyKey } from '../../contract/policy';

export const POLICY_TABLE_START = '<!-- policy-table:start -->';
export const POLICY_TABLE_END = '<!-- policy-table:end -->';

function cell(value: unknown): string {
  const text =
    value === null ? 'not set' : Array.isArray(value) && value.length === 0 ? '`[]`' : `\`${JSON.stringify(value)}\``;
  return text.replace(/\|/g, '\\|');
}

function typeOf(key: PolicyKey): string {
  const def = policyKeys[key];
  const schema = def.schema as unknown as { def?: { type?: string; innerType?: { def?: { type?: string } } } };
  const kind =
    schema.def?.type === 'nullable' ? (schema.def.innerType?.def?.type ?? 'value') : (schema.def?.type ?? 'value');
  const enumValues = (def.schema as unknown as { options?: readonly string[] }).options;
  const base = enumValues ? enumValues.map((v) => `\`${v}\``).join(' \\| ') : kind === 'array' ? 'list' : kind;
  return `${base}${schema.def?.type === 'nullable' ? ' (or not set)' : ''}`;
}

/** The README / docs reference table, generated from the policy schema (scripts/generate-policy-docs.mjs). */
export function renderPolicyTable(): string {
  const rows = policyKeyNames.map((key) => {
    const def = policyKeys[key];
    const setBy = def.setBy === 'policy' ? 'machine policy only' : 'policy, else the person';
    return `| \`${key}\` | ${typeOf(key)} | ${def.registry} | ${setBy} | ${cell(def.default)} | ${cell(def.safe)}: ${def.safeReason} | ${def.description.replace(/\|/g, '\\|')} |`;
  });
  return [
    '| Key | Type | Registry type | Who may set it | Default | Safe value when the policy value is invalid | Meaning |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** build/policy-template.json: every key with an example value, ready to copy to /etc/ratsdesk/policy.json. */
export function renderPolicyTemplate(): string {
  const template = Object.fromEntries(policyKeyNames.map((k) => [k, policyKeys[k].example]));
  return `${JSON.stringify(template, null, 2)}\n`;
}

/** Replaces the text between the policy-table markers; answers undefined when the markers are missing. */
export function replacePolicyTable(document: string, table = renderPolicyTable()): string | undefined {
  const start = document.indexOf(POLICY_TABLE_START);
  const end = document.indexOf(POLICY_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${document.slice(0, start + POLICY_TABLE_START.length)}\n${table}\n${document.slice(end)}`;
}

/** The table currently between the markers, or undefined. */
export function extractPolicyTable(document: string): string | undefined {
  const start = document.indexOf(POLICY_TABLE_START);
  const end = document.indexOf(POLICY_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return document.slice(start + POLICY_TABLE_START.length, end).trim();
}
