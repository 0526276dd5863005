import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { policyKeyNames, policyKeys } from '../../electron/contract/policy';
import { defaultMachinePolicyFile } from '../../electron/services/policy/machine-policy-source';
import { PolicyService } from '../../electron/services/policy/policy-service';
import { makeTestCa } from '../servers/tls-ca';

let dir: string;
let policyFile: string;
let userFile: string;

function service(): PolicyService {
  return new PolicyService({ platform: 'linux', file: policyFile, userSettingsFile: userFile });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-'));
  policyFile = join(dir, 'etc', 'policy.json');
  userFile = join(dir, 'user', 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writePolicy(content: string | object): void {
  rmSync(join(dir, 'etc'), { recursive: true, force: true });

  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(policyFile, typeof content === 'string' ? content : JSON.stringify(content));
}

describe('policy sources', () => {
  it('knows the machine policy locations per platform', () => {
    expect(defaultMachinePolicyFile('linux')).toBe('/etc/ratsdesk/policy.json');
    expect(defaultMachinePolicyFile('darwin')).toBe('/Library/Application Support/Ratsdesk/policy.json');
    expect(defaultMachinePolicyFile('win32')).toBeUndefined();
  });

  it('without policy and user settings every key has its default; only the policy-only keys are locked', async () => {
    const effective = await service().load();
    for (const key of policyKeyNames) {
      expect(effective.get(key)).toEqual(policyKeys[key].default);
      expect(effective.isLocked(key)).toBe(policyKeys[key].setBy === 'policy');
    }
    expect(effective.issues).toEqual([]);
    expect(effective.managed).toBe(false);
  });

  it('machine policy beats user settings and locks its keys; user settings beat defaults', async () => {
    const ca = makeTestCa();
    try {
      writePolicy({ imapHost: 'mail.stadt.de', idleLockMinutes: 10, extraCaCertificates: [ca.caPem] });
      const svc = service();
      await svc.load();
      await svc.setUserValue('offlineMailDays', 14);
      await expect(svc.setUserValue('idleLockMinutes', 60)).rejects.toSatisfy(
        (e) => isRatsdeskError(e) && e.code === 'POLICY_LOCKED',
      );
      const effective = await svc.load();
      expect(effective.get('imapHost')).toBe('mail.stadt.de');
      expect(effective.sourceOf('imapHost')).toBe('policy');
      expect(effective.isLocked('imapHost')).toBe(true);
      expect(effective.get('idleLockMinutes')).toBe(10);
      expect(effective.get('extraCaCertificates')).toEqual([ca.caPem]);
      expect(effective.get('offlineMailDays')).toBe(14);
      expect(effective.sourceOf('offlineMailDays')).toBe('user');
      expect(effective.isLocked('offlineMailDays')).toBe(false);
      expect(effective.get('vaultQuotaMb')).toBe(2048);
      expect(effective.sourceOf('vaultQuotaMb')).toBe('default');
      // A user value hand-edited into the file for a locked key still loses to the policy.
      writeFileSync(userFile, JSON.stringify({ idleLockMinutes: 200, offlineMailDays: 14 }));
      expect((await svc.load()).get('idleLockMinutes')).toBe(10);
      expect(effective.toInfo().entries.find((e) => e.key === 'imapHost')).toEqual({
        key: 'imapHost',
        value: 'mail.stadt.de',
        source: 'policy',
        locked: true,
      });
    } finally {
      rmSync(ca.dir, { recursive: true, force: true });
    }
  });

  it('bad JSON names the file, and every key takes its safe value, locked', async () => {
    writePolicy('{ "documentExportAllowed": true, ');
    const effective = await service().load();
    expect(effective.issues).toHaveLength(1);
    expect(effective.issues[0]).toMatchObject({ source: policyFile, key: null, problem: 'bad-json', fromPolicy: true });
    expect(effective.issues[0]?.message).toContain(policyFile);
    expect(effective.get('documentExportAllowed')).toBe(false);
    expect(effective.get('forwardingOutsideAllowed')).toBe(false);
    expect(effective.get('idleLockMinutes')).toBe(5);
    expect(effective.get('recipientOutsideAction')).toBe('block');
    expect(policyKeyNames.every((k) => effective.isLocked(k) && effective.sourceOf(k) === 'policy-invalid')).toBe(true);
  });

  it('a policy that is JSON but not an object is treated like bad JSON', async () => {
    writePolicy('["imapHost"]');
    const effective = await service().load();
    expect(effective.issues[0]).toMatchObject({ problem: 'not-an-object', source: policyFile });
    expect(effective.get('documentExportAllowed')).toBe(false);
  });

  it('an unknown key is reported with file and key name and changes nothing else', async () => {
    writePolicy({ documentExportAlowed: false, idleLockMinutes: 20 });
    const effective = await service().load();
    expect(effective.issues).toHaveLength(1);
    expect(effective.issues[0]).toMatchObject({
      source: policyFile,
      key: 'documentExportAlowed',
      problem: 'unknown-key',
      fromPolicy: true,
    });
    expect(effective.issues[0]?.message).toContain(policyFile);
    expect(effective.issues[0]?.message).toContain('"documentExportAlowed"');
    expect(effective.get('idleLockMinutes')).toBe(20);
    expect(effective.get('documentExportAllowed')).toBe(true);
  });

  it('a wrong type falls back to the safe choice for that key only, locked', async () => {
    writePolicy({ documentExportAllowed: 'yes', forwardingOutsideAllowed: 1, imapHost: 'mail.stadt.de' });
    const effective = await service().load();
    expect(effective.issues.map((i) => [i.key, i.problem])).toEqual([
      ['documentExportAllowed', 'wrong-type'],
      ['forwardingOutsideAllowed', 'wrong-type'],
    ]);
    expect(effective.issues[0]?.message).toContain(policyFile);
    expect(effective.issues[0]?.message).toContain('"documentExportAllowed"');
    expect(effective.get('documentExportAllowed')).toBe(false);
    expect(effective.isLocked('documentExportAllowed')).toBe(true);
    expect(effective.sourceOf('documentExportAllowed')).toBe('policy-invalid');
    expect(effective.get('forwardingOutsideAllowed')).toBe(false);
    expect(effective.get('imapHost')).toBe('mail.stadt.de');
  });

  it('an out-of-range value falls back to the safe choice (lock after 5 minutes)', async () => {
    writePolicy({ idleLockMinutes: 0, vaultRetentionDays: 99999, imapPort: 70000 });
    const effective = await service().load();
    expect(effective.issues.map((i) => [i.key, i.problem])).toEqual([
      ['idleLockMinutes', 'out-of-range'],
      ['vaultRetentionDays', 'out-of-range'],
      ['imapPort', 'out-of-range'],
    ]);
    expect(effective.get('idleLockMinutes')).toBe(5);
    expect(effective.get('vaultRetentionDays')).toBe(30);
    expect(effective.get('imapPort')).toBe(993);
    expect(effective.isLocked('idleLockMinutes')).toBe(true);
  });

  it('an invalid value (http URL, bad domain, bad enum) falls back to the safe choice', async () => {
    writePolicy({
      updateUrl: 'http://updates.stadt.de/',
      recipientDomainsAllowed: ['stadt.de', 'not a domain'],
      recipientOutsideAction: 'ask',
    });
    const effective = await service().load();
    expect(effective.issues.map((i) => i.key)).toEqual([
      'updateUrl',
      'recipientDomainsAllowed',
      'recipientOutsideAction',
    ]);
    expect(effective.get('updateUrl')).toBeNull();
    expect(effective.get('recipientDomainsAllowed')).toEqual([]);
    expect(effective.get('recipientOutsideAction')).toBe('block');
  });

  it('an unreadable policy file is reported and every key takes its safe value', async () => {
    if (userInfo().uid === 0) {
      // root reads any file; a directory in place of the file gives the same "cannot read" path.

      mkdirSync(policyFile, { recursive: true });
    } else {
      writePolicy({});
      chmodSync(policyFile, 0);
    }
    const effective = await service().load();
    expect(effective.issues[0]).toMatchObject({ source: policyFile, problem: 'unreadable', key: null });
    expect(effective.get('documentExportAllowed')).toBe(false);
  });

  it('an invalid user setting is reported (not as policy) and uses the default, unlocked', async () => {
    mkdirSync(join(dir, 'user'), { recursive: true });
    writeFileSync(userFile, JSON.stringify({ idleLockMinutes: 'often', offlineMailDays: 7 }));
    const effective = await service().load();
    expect(effective.issues).toEqual([
      expect.objectContaining({ source: userFile, key: 'idleLockMinutes', fromPolicy: false, problem: 'wrong-type' }),
    ]);
    expect(effective.get('idleLockMinutes')).toBe(15);
    expect(effective.isLocked('idleLockMinutes')).toBe(false);
    expect(effective.get('offlineMailDays')).toBe(7);
  });

  it('refuses to store an invalid user value', async () => {
    await expect(service().setUserValue('idleLockMinutes', 9999)).rejects.toSatisfy(
      (e) => isRatsdeskError(e) && e.code === 'INVALID_INPUT',
    );
    await expect(service().setUserValue('nope', 1)).rejects.toSatisfy(
      (e) => isRatsdeskError(e) && e.code === 'INVALID_INPUT',
    );
  });
});
