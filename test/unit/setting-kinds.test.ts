import { describe, expect, test } from 'vitest';
import { policyKeyNames, policyKeys } from '../../electron/contract/policy';
import { fromText, settingKind, toText } from '../../renderer/src/features/settings/setting-kinds';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';

describe('settings controls', () => {
  test('every text-edited policy key round-trips its example value through the control text', () => {
    for (const key of policyKeyNames) {
      const kind = settingKind(key);
      // checkboxes and selects carry the value itself, not text
      if (kind.kind === 'boolean' || kind.kind === 'choice') continue;
      const example = policyKeys[key].example as unknown;
      const back = fromText(kind, toText(kind, example));
      if (Array.isArray(example) && example.length === 0) expect(back === null || Array.isArray(back)).toBe(true);
      else expect(back, key).toEqual(example);
    }
  });

  test('kinds follow the schema: booleans, numbers, choices, nullable text and lists', () => {
    expect(settingKind('documentExportAllowed').kind).toBe('boolean');
    expect(settingKind('idleLockMinutes').kind).toBe('number');
    expect(settingKind('imapTls')).toEqual({ kind: 'choice', options: ['tls', 'starttls'] });
    expect(fromText(settingKind('imapHost'), '  ')).toBeNull();
    expect(fromText(settingKind('recipientDomainsAllowed'), 'stadt.de\nrat.stadt.de, kreis.de')).toEqual([
      'stadt.de',
      'rat.stadt.de',
      'kreis.de',
    ]);
    expect(fromText(settingKind('recipientDomainsAllowed'), '')).toBeNull();
    expect(fromText(settingKind('extraCaCertificates'), `${PEM}\n\n${PEM}`)).toEqual([PEM, PEM]);
  });
});
