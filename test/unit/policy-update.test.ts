import { describe, expect, it } from 'vitest';
import { decideUpdates, detectInstallType } from '../../electron/services/policy/update-policy';

const signed = { hasUpdateSigningKey: true };
const on = {
  autoUpdateEnabled: true,
  updateChannel: 'stable',
  updateUrl: 'https://software.stadt.de/ratsdesk',
} as const;

describe('update policy', () => {
  it('enables updates from the policy URL on the chosen channel for NSIS, mac, AppImage and deb', () => {
    for (const install of ['nsis', 'mac', 'appimage', 'deb'] as const) {
      expect(decideUpdates(on, install, signed)).toEqual({
        enabled: true,
        channel: 'stable',
        updaterChannel: 'latest',
        url: 'https://software.stadt.de/ratsdesk/',
        reason: 'enabled',
        signatureRequired: install === 'appimage' || install === 'deb',
      });
    }
    expect(decideUpdates({ ...on, updateChannel: 'beta' }, 'nsis', signed).updaterChannel).toBe('beta');
  });

  it('is off for MSI installs even when policy enables it', () => {
    expect(decideUpdates(on, 'msi', signed)).toMatchObject({ enabled: false, reason: 'msi-managed-by-it', url: null });
  });

  it('is off when policy says so, without URL, and when unpackaged', () => {
    expect(decideUpdates({ ...on, autoUpdateEnabled: false }, 'nsis', signed).reason).toBe('policy-off');
    expect(decideUpdates({ ...on, updateUrl: null }, 'nsis', signed).reason).toBe('no-update-url');
    expect(decideUpdates(on, 'unpackaged', signed).reason).toBe('unpackaged');
  });

  it('is off for Linux packages unless an update-signing key is built in; Windows and macOS do not need one', () => {
    for (const install of ['appimage', 'deb'] as const) {
      expect(decideUpdates(on, install, { hasUpdateSigningKey: false })).toMatchObject({
        enabled: false,
        url: null,
        reason: 'no-update-signing-key',
      });
    }
    for (const install of ['nsis', 'mac'] as const) {
      expect(decideUpdates(on, install, { hasUpdateSigningKey: false })).toMatchObject({
        enabled: true,
        signatureRequired: false,
      });
    }
  });

  it('tells NSIS from MSI by the uninstaller next to the executable', () => {
    const base = { platform: 'win32' as const, isPackaged: true, env: {} };
    expect(detectInstallType({ ...base, filesNextToExe: ['Ratsdesk.exe', 'Uninstall Ratsdesk.exe'] })).toBe('nsis');
    expect(detectInstallType({ ...base, filesNextToExe: ['Ratsdesk.exe', 'resources'] })).toBe('msi');
    expect(
      detectInstallType({ platform: 'linux', isPackaged: true, env: { APPIMAGE: '/x.AppImage' }, filesNextToExe: [] }),
    ).toBe('appimage');
    expect(detectInstallType({ platform: 'linux', isPackaged: false, env: {}, filesNextToExe: [] })).toBe('unpackaged');
  });
});
