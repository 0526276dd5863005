import { describe, expect, it } from 'vitest';
import { policyKeyNames, policyKeys, type PolicyValues } from '../../electron/contract/policy';
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
});
