import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyFileSchema, policyKeyNames, policyKeys } from '../../electron/contract/policy';
import {
  extractPolicyTable,
  renderPolicyTable,
  renderPolicyTemplate,
  replacePolicyTable,
} from '../../electron/services/policy/policy-docs';

const root = join(__dirname, '..', '..');

describe('policy schema as single source of truth', () => {
  it('every key has a default and a safe value that its own schema accepts', () => {
    for (const key of policyKeyNames) {
      const def = policyKeys[key];
      expect(def.schema.safeParse(def.default).success, `${key} default`).toBe(true);
      expect(def.schema.safeParse(def.safe).success, `${key} safe`).toBe(true);
      expect(def.schema.safeParse(def.example).success, `${key} example`).toBe(true);
      expect(def.description.length).toBeGreaterThan(10);
    }
  });

  it('the safe values are the restrictive ones the issue names', () => {
    expect(policyKeys.documentExportAllowed.safe).toBe(false);
    expect(policyKeys.forwardingOutsideAllowed.safe).toBe(false);
    expect(policyKeys.idleLockMinutes.safe).toBe(5);
    expect(policyKeys.recipientOutsideAction.safe).toBe('block');
  });

  it('covers the keys the issue asks for', () => {
    expect(policyKeyNames).toEqual(
      expect.arrayContaining([
        'imapHost',
        'imapPort',
        'imapTls',
        'smtpHost',
        'smtpPort',
        'smtpTls',
        'oparlSystemUrl',
        'risBaseUrl',
        'risAllowedOrigins',
        'extraCaCertificates',
        'vaultQuotaMb',
        'vaultRetentionDays',
        'offlineMailDays',
        'documentExportAllowed',
        'recipientDomainsAllowed',
        'recipientOutsideAction',
        'forwardingOutsideAllowed',
        'idleLockMinutes',
        'autoUpdateEnabled',
        'updateChannel',
        'updateUrl',
      ]),
    );
  });

  it('build/policy-template.json is generated from the schema and valid against it', () => {
    const template = readFileSync(join(root, 'build/policy-template.json'), 'utf8');
    // Compared as data: prettier may reflow the file's whitespace.
    expect(JSON.parse(template)).toEqual(JSON.parse(renderPolicyTemplate()));
    expect(PolicyFileSchema.safeParse(JSON.parse(template)).success).toBe(true);
  });

  it('the table names every key once, and the README IT section carries it exactly as the schema renders it', () => {
    const table = renderPolicyTable();
    for (const key of policyKeyNames)
      expect(table.split('\n').filter((l) => l.startsWith(`| \`${key}\` `))).toHaveLength(1);
    expect(replacePolicyTable('a\n<!-- policy-table:start -->\nold\n<!-- policy-table:end -->\nb')).toBe(
      `a\n<!-- policy-table:start -->\n${table}\n<!-- policy-table:end -->\nb`,
    );
    let checked = 0;
    for (const file of ['README.md']) {
      const path = join(root, file);
      if (!existsSync(path)) continue;
      const found = extractPolicyTable(readFileSync(path, 'utf8'));
      if (found === undefined) continue;
      expect(found, `${file} is stale: run node scripts/generate-policy-docs.mjs`).toBe(table);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
