import { describe, expect, it } from 'vitest';
import { readMachinePolicy } from '../../electron/services/policy/machine-policy-source';
import { resolvePolicy } from '../../electron/services/policy/policy-resolver';
import {
  parseRegQueryOutput,
  readRegistryPolicy,
  WINDOWS_POLICY_KEY,
  WINDOWS_USER_POLICY_KEY,
  type RegQueryRunner,
} from '../../electron/services/policy/windows-registry-policy';

// Recorded from `reg query HKLM\Software\Policies\Ratsdesk` on Windows 11 (CRLF line ends, 4-space columns).
const RECORDED = [
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Ratsdesk',
  '    imapHost    REG_SZ    mail.stadt.de',
  '    imapPort    REG_DWORD    0x3e1',
  '    imapTls    REG_SZ    tls',
  '    documentExportAllowed    REG_DWORD    0x0',
  '    forwardingOutsideAllowed    REG_DWORD    0x1',
  '    idleLockMinutes    REG_DWORD    0xa',
  '    recipientDomainsAllowed    REG_MULTI_SZ    stadt.de\\0rat.stadt.de',
  '    extraCaCertificates    REG_MULTI_SZ    -----BEGIN CERTIFICATE-----\\0MIIBszCCAVmgAwIBAgIUW0AAAA==\\0-----END CERTIFICATE-----',
  '    updateUrl    REG_SZ    ',
  '',
].join('\r\n');

const NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.\r\n';

/** Recorded `reg query` output for the machine key; the user-policy key (HKCU) answers "not found". */
function replay(stdout: string, exitCode = 0, stderr = ''): RegQueryRunner {
  return async (key) => {
    if (key === WINDOWS_USER_POLICY_KEY) return { exitCode: 1, stdout: '', stderr: NOT_FOUND };
    expect(key).toBe(WINDOWS_POLICY_KEY);
    return { exitCode, stdout, stderr };
  };
}

describe('Windows registry policy adapter', () => {
  it('parses every value line of recorded reg query output', () => {
    const values = parseRegQueryOutput(RECORDED);
    expect(values.map((v) => v.name)).toEqual([
      'imapHost',
      'imapPort',
      'imapTls',
      'documentExportAllowed',
      'forwardingOutsideAllowed',
      'idleLockMinutes',
      'recipientDomainsAllowed',
      'extraCaCertificates',
      'updateUrl',
    ]);
    expect(values.find((v) => v.name === 'updateUrl')).toEqual({ name: 'updateUrl', type: 'REG_SZ', data: '' });
  });

  it('turns DWORDs into numbers and 0/1 booleans, MULTI_SZ into lists and PEM lines into certificates', async () => {
    const read = await readRegistryPolicy(replay(RECORDED));
    expect(read.kind).toBe('read');
    if (read.kind !== 'read') return;
    expect(read.raw).toMatchObject({
      imapHost: 'mail.stadt.de',
      imapPort: 993,
      documentExportAllowed: false,
      forwardingOutsideAllowed: true,
      idleLockMinutes: 10,
      recipientDomainsAllowed: ['stadt.de', 'rat.stadt.de'],
    });
    expect(read.raw.extraCaCertificates).toEqual([
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUW0AAAA==\n-----END CERTIFICATE-----\n',
    ]);
  });

  it('a missing policy key means no machine policy, not an error', async () => {
    const read = await readMachinePolicy({ platform: 'win32', regQuery: replay('', 1, NOT_FOUND) });
    expect(read).toEqual({ source: WINDOWS_POLICY_KEY, kind: 'absent' });
    const effective = resolvePolicy(read);
    expect(effective.managed).toBe(false);
    expect(effective.issues).toEqual([]);
  });

  it('registry values lock their keys; an empty update URL is reported and falls back to the safe value', async () => {
    const read = await readMachinePolicy({ platform: 'win32', regQuery: replay(RECORDED) });
    const effective = resolvePolicy(read);
    expect(effective.get('imapHost')).toBe('mail.stadt.de');
    expect(effective.isLocked('imapHost')).toBe(true);
    expect(effective.get('documentExportAllowed')).toBe(false);
    expect(effective.isLocked('smtpHost')).toBe(false);
    expect(effective.get('updateUrl')).toBeNull();
    expect(effective.sourceOf('updateUrl')).toBe('policy-invalid');
    expect(effective.issues).toHaveLength(1);
    expect(effective.issues[0]).toMatchObject({
      source: WINDOWS_POLICY_KEY,
      key: 'updateUrl',
      problem: 'invalid-value',
      fromPolicy: true,
    });
    expect(effective.issues[0]?.message).toContain('updateUrl');
    expect(effective.get('recipientDomainsAllowed')).toEqual(['stadt.de', 'rat.stadt.de']);
  });

  it('a DWORD of the wrong kind for a boolean is a wrong type, answered with the safe value', async () => {
    const out = `\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Ratsdesk\r\n    forwardingOutsideAllowed    REG_DWORD    0x2\r\n    idleLockMinutes    REG_SZ    zehn\r\n`;
    const effective = resolvePolicy(await readMachinePolicy({ platform: 'win32', regQuery: replay(out) }));
    expect(effective.get('forwardingOutsideAllowed')).toBe(false);
    expect(effective.get('idleLockMinutes')).toBe(5);
    expect(effective.issues.map((i) => [i.key, i.problem])).toEqual([
      ['forwardingOutsideAllowed', 'wrong-type'],
      ['idleLockMinutes', 'wrong-type'],
    ]);
  });

  it('an unreadable registry (access denied) puts every key on its safe value', async () => {
    const read = await readMachinePolicy({
      platform: 'win32',
      regQuery: replay('', 1, 'ERROR: Access is denied.\r\n'),
    });
    expect(read.kind).toBe('unreadable');
    const effective = resolvePolicy(read);
    expect(effective.get('documentExportAllowed')).toBe(false);
    expect(effective.isLocked('idleLockMinutes')).toBe(true);
    expect(effective.issues[0]?.message).toContain(WINDOWS_POLICY_KEY);
  });

  it('user-GPO policy (HKCU) locks its keys too; for a key in both, the machine policy (HKLM) wins', async () => {
    const machine = `\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Ratsdesk\r\n    idleLockMinutes    REG_DWORD    0xa\r\n`;
    const user = `\r\nHKEY_CURRENT_USER\\Software\\Policies\\Ratsdesk\r\n    idleLockMinutes    REG_DWORD    0x3c\r\n    documentExportAllowed    REG_DWORD    0x0\r\n`;
    const asked: string[] = [];
    const runner: RegQueryRunner = async (key) => {
      asked.push(key);
      return { exitCode: 0, stdout: key === WINDOWS_USER_POLICY_KEY ? user : machine, stderr: '' };
    };
    const read = await readMachinePolicy({ platform: 'win32', regQuery: runner });
    expect(asked).toEqual([WINDOWS_POLICY_KEY, WINDOWS_USER_POLICY_KEY]);
    const effective = resolvePolicy(read);
    expect(effective.get('idleLockMinutes')).toBe(10);
    expect(effective.get('documentExportAllowed')).toBe(false);
    expect(effective.isLocked('documentExportAllowed')).toBe(true);
    expect(effective.isLocked('imapHost')).toBe(false);

    // Only a user policy: it is the policy.
    const onlyUser = await readMachinePolicy({
      platform: 'win32',
      regQuery: async (key) =>
        key === WINDOWS_USER_POLICY_KEY
          ? { exitCode: 0, stdout: user, stderr: '' }
          : { exitCode: 1, stdout: '', stderr: NOT_FOUND },
    });
    expect(onlyUser).toMatchObject({ source: WINDOWS_USER_POLICY_KEY, kind: 'read' });
    expect(resolvePolicy(onlyUser).get('idleLockMinutes')).toBe(60);
  });
});
