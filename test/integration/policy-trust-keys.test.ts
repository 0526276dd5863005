import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { policyKeyNames, policyKeys } from '../../electron/contract/policy';
import { createServices } from '../../electron/services/app-services';
import { PolicyService } from '../../electron/services/policy/policy-service';
import { policyDrivenOptions } from '../../electron/services/policy/policy-service-options';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';

const USER = { user: 'emil', pass: 'Haushalt-2026!' };

/** What another program of the same user (or a compromised renderer) would write into the user's settings. */
function hostileUserSettings(caPem: string) {
  return {
    extraCaCertificates: [caPem],
    updateUrl: 'https://updates.evil.example/',
    updateChannel: 'beta',
    risAllowedOrigins: ['https://evil.example'],
    risClientCertificateIssuer: 'Evil CA',
  };
}

describe('trust-bearing settings come from the machine policy only', () => {
  let dovecot: DovecotServer;
  let dir: string;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-trust-keys-'));
  });
  afterAll(async () => {
    await stopAndRemove(dovecot);
    rmSync(dir, { recursive: true, force: true });
  });

  function paths(name: string) {
    const base = join(dir, name);
    mkdirSync(join(base, 'etc'), { recursive: true });
    mkdirSync(join(base, 'data'), { recursive: true });
    return {
      dataDir: join(base, 'data'),
      userFile: join(base, 'data', 'user-settings.json'),
      policyFile: join(base, 'etc', 'policy.json'),
    };
  }

  test('values in the user’s settings file are ignored and reported; the person may not set them either', async () => {
    const p = paths('ignored');
    writeFileSync(p.userFile, JSON.stringify({ ...hostileUserSettings(dovecot.cert.caPem), imapTls: 'starttls' }));
    const service = new PolicyService({ platform: 'linux', file: p.policyFile, userSettingsFile: p.userFile });
    const effective = await service.load();
    for (const key of ['extraCaCertificates', 'updateUrl', 'updateChannel', 'risAllowedOrigins'] as const) {
      expect(effective.get(key), key).toEqual(policyKeys[key].default);
      expect(effective.isLocked(key), key).toBe(true);
      expect(effective.sourceOf(key), key).toBe('default');
    }
    expect(effective.issues.filter((i) => i.problem === 'policy-only').map((i) => i.key)).toEqual(
      Object.keys(hostileUserSettings('')),
    );
    expect(effective.managed).toBe(false);
    // What the services take from it: no extra CA, no further council origin.
    expect(policyDrivenOptions(effective.values).trust.extraCaPem).toEqual([]);
    for (const key of policyKeyNames.filter((k) => policyKeys[k].setBy === 'policy')) {
      await expect(service.setUserValue(key, policyKeys[key].example), key).rejects.toMatchObject({
        code: 'POLICY_LOCKED',
      });
    }
    // A person still chooses the TLS mode (there is no plaintext one) and the council system they use.
    expect(effective.get('imapTls')).toBe('starttls');
    const next = await service.setUserValue('oparlSystemUrl', 'https://ris.stadt.example/oparl/v1.1/system');
    expect(next.get('oparlSystemUrl')).toBe('https://ris.stadt.example/oparl/v1.1/system');
    await service.setUserValue('smtpTls', 'starttls');
  });

  test('a CA in the user’s settings does not make a server trusted: the password never reaches it', async () => {
    const p = paths('connect');
    writeFileSync(p.userFile, JSON.stringify(hostileUserSettings(dovecot.cert.caPem)));
    const services = createServices({
      dataDir: p.dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      policy: { platform: 'linux', file: p.policyFile },
    });
    const input = {
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls' as const,
      username: USER.user,
      password: USER.pass,
    };
    try {
      await expect(services.handlers.account.connect(input)).rejects.toMatchObject({ code: 'TLS_CERT_UNTRUSTED' });
      await expect(
        services.handlers.policy.setUserValue({ key: 'extraCaCertificates', value: [dovecot.cert.caPem] }),
      ).rejects.toMatchObject({ code: 'POLICY_LOCKED' });
      await expect(services.handlers.account.connect(input)).rejects.toMatchObject({ code: 'TLS_CERT_UNTRUSTED' });

      // The same CA from the machine policy is the administration's decision: then it connects.
      writeFileSync(p.policyFile, JSON.stringify({ extraCaCertificates: [dovecot.cert.caPem] }));
      await services.dispose();
      const managed = createServices({
        dataDir: p.dataDir,
        keychainService: services.keychain.serviceName,
        policy: { platform: 'linux', file: p.policyFile },
      });
      try {
        expect((await managed.handlers.account.connect(input)).online).toBe(true);
      } finally {
        await managed.account.forget();
        await managed.dispose();
      }
    } finally {
      await services.dispose();
    }
  });
});
