import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { type DownloadedUpdateInfo, startAutoUpdate, type Updater } from '../../electron/main/auto-update';

// electron-updater needs a running Electron app: its AppUpdater is stubbed here, at that boundary only.
function fakeUpdater() {
  const calls: string[] = [];
  const feeds: unknown[] = [];
  const downloaded: Array<(info: DownloadedUpdateInfo) => void> = [];
  const installs: Array<[boolean | undefined, boolean | undefined]> = [];
  const u: Updater = {
    on: (_event, listener) => downloaded.push(listener),
    install: (silent, runAfter) => {
      installs.push([silent, runAfter]);
      return true;
    },
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
  return { u, calls, feeds, downloaded, installs };
}

const on = {
  autoUpdateEnabled: true,
  updateChannel: 'stable' as const,
  updateUrl: 'https://updates.stadt.de/ratsdesk',
};
const glue = {
  onQuit: () => undefined,
  fetch: async () => ({ ok: false, arrayBuffer: async () => new ArrayBuffer(0) }),
};
const linuxDeb = { isPackaged: true, exePath: '/opt/Ratsdesk/ratsdesk', platform: 'linux' as const, env: {}, ...glue };

// A real Ed25519 key pair and a real signature, made by the release workflow's own script (OpenSSL).
const keys = mkdtempSync(join(tmpdir(), 'ratsdesk-update-keys-'));
execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(keys, 'signing.pem')]);
execFileSync('openssl', ['pkey', '-in', join(keys, 'signing.pem'), '-pubout', '-out', join(keys, 'public.pem')]);
const publicKey = readFileSync(join(keys, 'public.pem'), 'utf8');
afterAll(() => rmSync(keys, { recursive: true, force: true }));

describe('auto-update glue: the policy decides, electron-updater only runs against IT’s HTTPS feed', () => {
  test('enabled: the generic feed from the policy, no downgrade, then one check', () => {
    const f = fakeUpdater();
    const d = startAutoUpdate(
      { ...on, updateChannel: 'beta' },
      { ...linuxDeb, env: { APPIMAGE: '/x.AppImage' } },
      () => f.u,
      publicKey,
    );
    expect(d).toMatchObject({ enabled: true, reason: 'enabled' });
    expect(f.feeds).toEqual([{ provider: 'generic', url: 'https://updates.stadt.de/ratsdesk/', channel: 'beta' }]);
    expect(f.u).toMatchObject({
      channel: 'beta',
      allowPrerelease: true,
      allowDowngrade: false,
      // Linux: electron-updater never installs by itself; only a verified download does, at quit.
      autoInstallOnAppQuit: false,
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
      const d = startAutoUpdate(
        policy,
        host,
        () => {
          touched = true;
          return fakeUpdater().u;
        },
        publicKey,
      );
      expect(d.reason).toBe(reason);
      expect(touched).toBe(false);
    }
  });

  test('a Windows MSI install (no NSIS uninstaller next to the exe) never updates itself', () => {
    let touched = false;
    const d = startAutoUpdate(
      on,
      { isPackaged: true, exePath: 'C:\\nonexistent\\Ratsdesk.exe', platform: 'win32', env: {}, ...glue },
      () => {
        touched = true;
        return fakeUpdater().u;
      },
    );
    expect(d.reason).toBe('msi-managed-by-it');
    expect(touched).toBe(false);
  });
});

describe('Linux updates install only with a detached signature that verifies against the built-in key', () => {
  const feed = 'https://updates.stadt.de/ratsdesk/';
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-update-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An artifact as the release workflow publishes it: the file, its .sig (sign-update.sh), its yml entry. */
  function release(name: string, content: string) {
    const file = join(dir, name);
    writeFileSync(file, content);
    execFileSync('sh', [join(__dirname, '..', '..', 'scripts', 'sign-update.sh'), join(keys, 'signing.pem'), file]);
    const sha512 = createHash('sha512').update(content).digest('base64');
    return { file, sig: readFileSync(`${file}.sig`), entry: { url: name, sha512 } };
  }

  function linuxHost(serve: Record<string, Uint8Array>) {
    const quitListeners: Array<() => void> = [];
    const refused: unknown[] = [];
    const fetched: string[] = [];
    return {
      host: {
        ...linuxDeb,
        onQuit: (fn: () => void) => quitListeners.push(fn),
        fetch: async (url: string) => {
          fetched.push(url);
          const body = serve[url];
          return { ok: body !== undefined, arrayBuffer: async () => new Uint8Array(body ?? []).buffer };
        },
        onRefused: (v: unknown) => refused.push(v),
      },
      quit: () => quitListeners.forEach((fn) => fn()),
      quitListeners,
      refused,
      fetched,
    };
  }

  test('no key built in: Linux self-update stays off, electron-updater is never touched', () => {
    let touched = false;
    const d = startAutoUpdate(
      on,
      linuxDeb,
      () => {
        touched = true;
        return fakeUpdater().u;
      },
      '',
    );
    expect(d).toMatchObject({ enabled: false, reason: 'no-update-signing-key' });
    expect(touched).toBe(false);
  });

  test('a correctly signed download installs at the next quit, and only then', async () => {
    const r = release('ratsdesk_1.3.0_amd64.deb', 'the real package');
    const f = fakeUpdater();
    const h = linuxHost({ [`${feed}ratsdesk_1.3.0_amd64.deb.sig`]: r.sig });
    startAutoUpdate({ ...on, updateUrl: feed }, h.host, () => f.u, publicKey);
    f.downloaded.forEach((fn) => fn({ downloadedFile: r.file, files: [r.entry] }));
    await vi.waitFor(() => expect(h.quitListeners).toHaveLength(1));
    expect(h.fetched).toEqual([`${feed}ratsdesk_1.3.0_amd64.deb.sig`]);
    expect(f.installs).toEqual([]);
    h.quit();
    expect(f.installs).toEqual([[true, false]]);
  });

  test('a swapped package, a signature by another key, or none at all: never installed', async () => {
    const good = release('Ratsdesk-1.3.0-x86_64.AppImage', 'the real AppImage');
    const cases = [
      // The server (or who controls it) serves another file with a matching yml, and the old signature.
      (() => {
        const evil = release('Ratsdesk-1.3.0-x86_64.AppImage.evil', 'a hostile AppImage');
        return {
          info: { downloadedFile: evil.file, files: [{ ...evil.entry, url: good.entry.url }] },
          serve: { [`${feed}${good.entry.url}.sig`]: good.sig },
          reason: 'bad-signature',
        };
      })(),
      // Signed, but with a key that is not the one built in.
      (() => {
        execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(keys, 'other.pem')]);
        const other = join(dir, 'other.AppImage');
        writeFileSync(other, 'signed by someone else');
        execFileSync('sh', [join(__dirname, '..', '..', 'scripts', 'sign-update.sh'), join(keys, 'other.pem'), other]);
        const sha512 = createHash('sha512').update('signed by someone else').digest('base64');
        return {
          info: { downloadedFile: other, files: [{ url: 'other.AppImage', sha512 }] },
          serve: { [`${feed}other.AppImage.sig`]: readFileSync(`${other}.sig`) },
          reason: 'bad-signature',
        };
      })(),
      { info: { downloadedFile: good.file, files: [good.entry] }, serve: {}, reason: 'signature-unavailable' },
      {
        info: { downloadedFile: good.file, files: [good.entry] },
        serve: { [`${feed}${good.entry.url}.sig`]: new Uint8Array(good.sig).map((b, i) => (i === 0 ? b ^ 1 : b)) },
        reason: 'bad-signature',
      },
      { info: { downloadedFile: good.file, files: [] }, serve: {}, reason: 'no-matching-file' },
    ];
    for (const c of cases) {
      const f = fakeUpdater();
      const h = linuxHost(c.serve);
      startAutoUpdate({ ...on, updateUrl: feed }, h.host, () => f.u, publicKey);
      f.downloaded.forEach((fn) => fn(c.info));
      await vi.waitFor(() => expect(h.refused).toEqual([{ ok: false, reason: c.reason }]));
      h.quit();
      expect(h.quitListeners).toEqual([]);
      expect(f.installs).toEqual([]);
      expect(f.u.autoInstallOnAppQuit).toBe(false);
    }
  });
});
