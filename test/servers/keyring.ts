import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKeyring {
  /** Environment for processes that should use this keyring (DBUS_SESSION_BUS_ADDRESS, HOME, …). */
  env: Record<string, string>;
  dir: string;
  stop(): Promise<void>;
}

function waitForLine(proc: ChildProcess, match: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${match}: ${buf}`)), timeoutMs);
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(match);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${match}: ${buf}`));
    });
  });
}

async function kill(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/**
 * A real Secret Service: gnome-keyring-daemon inside a private D-Bus session bus, with an unlocked
 * login keyring in a throwaway HOME. keytar (libsecret) talks to it over D-Bus as on a desktop.
 */
export async function startKeyring(): Promise<TestKeyring> {
  for (const bin of ['/usr/bin/dbus-daemon', '/usr/bin/gnome-keyring-daemon']) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing (Debian packages dbus and gnome-keyring)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-keyring-'));
  const bus = spawn(
    '/usr/bin/dbus-daemon',
    ['--session', '--nofork', '--nopidfile', `--address=unix:path=${join(dir, 'bus')}`, '--print-address=1'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const address = (await waitForLine(bus, /unix:path=[^\n]+/, 10_000)).trim();
  const env: Record<string, string> = {
    DBUS_SESSION_BUS_ADDRESS: address,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_RUNTIME_DIR: dir,
  };
  const keyring = spawn('/usr/bin/gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  keyring.stdin?.end('test-keyring-password');
  // The daemon owns org.freedesktop.secrets once it has started; wait for the name on the bus.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const owned = await new Promise<boolean>((resolve) => {
      const q = spawn(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let out = '';
      q.stdout.on('data', (d: Buffer) => (out += d.toString()));
      q.once('exit', () => resolve(/boolean true/.test(out)));
    });
    if (owned) break;
    if (Date.now() > deadline) throw new Error('gnome-keyring did not register org.freedesktop.secrets');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    env,
    dir,
    async stop() {
      await kill(keyring);
      await kill(bus);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
