import { describe, expect, test } from 'vitest';
import { startAutoUpdate, type Updater } from '../../electron/main/auto-update';

// electron-updater needs a running Electron app: its AppUpdater is stubbed here, at that boundary only.
function fakeUpdater() {
  const calls: string[] = [];
  const feeds: unknown[] = [];
  const u: Updater = {
    channel: null,
    allowDowngrade: true,
    allowPrerelease: false,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    setFeedURL: (o) => {
      feeds.push(o);
      calls.push('setFeedURL');
    },
    checkForUpdatesAndNotify: async () => {
      calls.push('check');
      return null;
    },
  };
  return { u, calls, feeds };
}

const on = {
  autoUpdateEnabled: true,
  updateChannel: 'stable' as const,
  updateUrl: 'https://updates.stadt.de/ratsdesk',
};
const linuxDeb = { isPackaged: true, exePath: '/opt/Ratsdesk/ratsdesk', platform: 'linux' as const, env: {} };

describe('auto-update glue: the policy decides, electron-updater only runs against IT’s HTTPS feed', () => {
  test('enabled: the generic feed from the policy, no downgrade, then one check', () => {
    const f = fakeUpdater();
    const d = startAutoUpdate(
      { ...on, updateChannel: 'beta' },
      { ...linuxDeb, env: { APPIMAGE: '/x.AppImage' } },
      () => f.u,
    );
    expect(d).toMatchObject({ enabled: true, reason: 'enabled' });
    expect(f.feeds).toEqual([{ provider: 'generic', url: 'https://updates.stadt.de/ratsdesk/', channel: 'beta' }]);
    expect(f.u).toMatchObject({
      channel: 'beta',
      allowPrerelease: true,
      allowDowngrade: false,
      autoInstallOnAppQuit: true,
    });
    expect(f.calls).toEqual(['setFeedURL', 'check']);
  });

  test('policy off, no URL, unpackaged: electron-updater is never touched', () => {
    for (const [policy, host, reason] of [
      [{ ...on, autoUpdateEnabled: false }, linuxDeb, 'policy-off'],
      [{ ...on, updateUrl: null }, linuxDeb, 'no-update-url'],
      [on, { ...linuxDeb, isPackaged: false }, 'unpackaged'],
    ] as const) {
      let touched = false;
      const d = startAutoUpdate(policy, host, () => {
        touched = true;
        return fakeUpdater().u;
      });
      expect(d.reason).toBe(reason);
      expect(touched).toBe(false);
    }
  });

  test('a Windows MSI install (no NSIS uninstaller next to the exe) never updates itself', () => {
    let touched = false;
    const d = startAutoUpdate(
      on,
      { isPackaged: true, exePath: 'C:\\nonexistent\\Ratsdesk.exe', platform: 'win32', env: {} },
      () => {
        touched = true;
        return fakeUpdater().u;
      },
    );
    expect(d.reason).toBe('msi-managed-by-it');
    expect(touched).toBe(false);
  });
});
