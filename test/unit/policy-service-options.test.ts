import { describe, expect, it } from 'vitest';
import { policyKeyNames, policyKeys, type PolicyValues } from '../../electron/contract/policy';
import { resolvePolicy } from '../../electron/services/policy/policy-resolver';
import { policyDrivenOptions } from '../../electron/services/policy/policy-service-options';

const defaults = Object.fromEntries(policyKeyNames.map((k) => [k, policyKeys[k].default])) as PolicyValues;

describe('policy → service options', () => {
  it('defaults: no council system, no preset servers, export allowed, lock after 15 minutes', () => {
    expect(policyDrivenOptions(defaults)).toEqual({
      trust: { extraCaPem: [] },
      exportAllowed: true,
      idleLockMs: 15 * 60_000,
    });
  });

  it('passes CAs, council origins, export ban and preset servers through', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const options = policyDrivenOptions({
      ...defaults,
      extraCaCertificates: [pem],
      oparlSystemUrl: 'https://ris.stadt.de/oparl/v1.1/system',
      risBaseUrl: 'https://buergerinfo.stadt.de/',
      risAllowedOrigins: ['https://dokumente.stadt.de', 'https://ris.stadt.de'],
      documentExportAllowed: false,
      idleLockMinutes: 5,
      imapHost: 'mail.stadt.de',
      smtpHost: 'mail.stadt.de',
      smtpPort: 587,
      smtpTls: 'starttls',
    });
    expect(options).toEqual({
      trust: { extraCaPem: [pem] },
      ris: {
        systemUrl: 'https://ris.stadt.de/oparl/v1.1/system',
        allowedOrigins: ['https://ris.stadt.de', 'https://buergerinfo.stadt.de', 'https://dokumente.stadt.de'],
        extraCaPem: [pem],
      },
      exportAllowed: false,
      idleLockMs: 5 * 60_000,
      presetImap: { host: 'mail.stadt.de', port: 993, security: 'tls' },
      presetSmtp: { host: 'mail.stadt.de', port: 587, security: 'starttls' },
    });
  });

  it('passes the http origins the machine policy allows in clear to the council client', () => {
    const options = policyDrivenOptions({
      ...defaults,
      oparlSystemUrl: 'https://ris.stadt.de/oparl/v1.1/system',
      risInsecureHttpOrigins: ['http://ris.stadt.de:8080'],
    });
    expect(options.ris?.insecureHttpOrigins).toEqual(['http://ris.stadt.de:8080']);
    expect(
      policyDrivenOptions({ ...defaults, oparlSystemUrl: 'https://ris.stadt.de/oparl/v1.1/system' }).ris,
    ).not.toHaveProperty('insecureHttpOrigins');
  });
});

describe('risInsecureHttpOrigins', () => {
  it('is an http origin list only: no https, no paths, no credentials', () => {
    const schema = policyKeys.risInsecureHttpOrigins.schema;
    expect(schema.safeParse(['http://ris.stadt.de', 'http://10.1.2.3:8080', 'http://ris.stadt.de/']).success).toBe(
      true,
    );
    for (const bad of [
      'https://ris.stadt.de',
      'http://ris.stadt.de/oparl',
      'http://user:pw@ris.stadt.de',
      'ris.stadt.de',
    ])
      expect(schema.safeParse([bad]).success, bad).toBe(false);
  });

  it('only the machine policy sets it: the user settings cannot', () => {
    const user = { source: 'user-settings.json', raw: { risInsecureHttpOrigins: ['http://evil.example'] } };
    const none = resolvePolicy({ source: '/etc/ratsdesk/policy.json', kind: 'absent' }, user);
    expect(none.get('risInsecureHttpOrigins')).toEqual([]);
    expect(none.issues.map((i) => [i.key, i.fromPolicy])).toEqual([['risInsecureHttpOrigins', false]]);
    const machine = resolvePolicy(
      { source: '/etc/ratsdesk/policy.json', kind: 'read', raw: { risInsecureHttpOrigins: ['http://ris.stadt.de'] } },
      user,
    );
    expect(machine.get('risInsecureHttpOrigins')).toEqual(['http://ris.stadt.de']);
    expect(machine.isLocked('risInsecureHttpOrigins')).toBe(true);
  });
});
