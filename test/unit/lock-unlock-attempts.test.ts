import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AccountSettings } from '../../electron/contract/account';
import { RatsdeskError } from '../../electron/contract/errors';
import { AppLock, type AppLockOptions, unlockDelayMs } from '../../electron/services/lock/app-lock';
import { lockStateFile } from '../../electron/services/lock/lock-state-file';

const PASSWORD = 'Fraktion-2026!';
const account: AccountSettings = { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'carla' };

/** Time that passes only when the lock waits: the delays are seen, not spent. */
function fakeClock(start = 1_700_000_000_000) {
  const clock = {
    time: start,
    waits: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

/** The mail server's password check: counts how many run at once. */
function fakeServer() {
  const server = {
    running: 0,
    mostAtOnce: 0,
    checks: 0,
    check: async (_settings: AccountSettings, password: string) => {
      server.checks += 1;
      server.running += 1;
      server.mostAtOnce = Math.max(server.mostAtOnce, server.running);
      await new Promise((ok) => setTimeout(ok, 1));
      server.running -= 1;
      if (password !== PASSWORD) throw new RatsdeskError('AUTH_FAILED');
    },
  };
  return server;
}

function fakeVerifier(password: string | undefined) {
  return {
    store: async () => undefined,
    check: async (p: string) => (password === undefined ? undefined : p === password),
  };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-lock-'));
  file = join(dir, 'lock-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function appLock(overrides: Partial<AppLockOptions> & { clock: ReturnType<typeof fakeClock> }) {
  return new AppLock({
    account: async () => account,
    verifier: fakeVerifier(PASSWORD),
    trust: () => ({}),
    idleMs: async () => 60_000,
    store: lockStateFile(file),
    checkWithServer: fakeServer().check,
    ...overrides,
  });
}

describe('unlock attempts run one at a time, each after the delay its failures earned', () => {
  test('parallel guesses are checked one after the other, with a growing delay', async () => {
    const clock = fakeClock();
    const server = fakeServer();
    const lock = appLock({ clock, checkWithServer: server.check });
    await lock.lock('demand');
    const guesses = Array.from({ length: 12 }, (_, i) => lock.unlock(`guess-${i}`));
    const outcomes = await Promise.allSettled(guesses);
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as RatsdeskError).code === 'AUTH_FAILED')).toBe(
      true,
    );
    expect(server.checks).toBe(12);
    expect(server.mostAtOnce).toBe(1);
    // The first guess is free; every further one waits longer, up to 30 s a guess.
    expect(clock.waits).toEqual(Array.from({ length: 11 }, (_, i) => unlockDelayMs(i + 1)));
    expect(clock.waits.at(-1)).toBe(30_000);
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(3 * 60_000);
    // The right password still opens (after its wait), and a success resets the count.
    expect(await lock.unlock(PASSWORD)).toMatchObject({ locked: false });
    expect(clock.waits.at(-1)).toBe(30_000);
    await lock.lock('demand');
    await expect(lock.unlock('wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(clock.waits.length).toBe(12);
  });

  test('the count of failures and the lock itself survive a restart', async () => {
    const clock = fakeClock();
    const before = appLock({ clock });
    await before.unlock(PASSWORD);
    await before.lock('idle');
    for (const guess of ['a', 'b', 'c', 'd']) await expect(before.unlock(guess)).rejects.toMatchObject({});
    expect(clock.waits).toEqual([500, 1000, 2000]);

    // A restart: a new lock over the same file, one second later.
    clock.time += 1000;
    const after = appLock({ clock });
    expect(await after.isLockedNow()).toBe(true);
    expect(await after.state()).toMatchObject({ locked: true, reason: 'idle' });
    await expect(after.unlock('e')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    // 4 failures earned 4 s; one of them had passed already.
    expect(clock.waits).toEqual([500, 1000, 2000, 3000]);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { failures: number; locked: boolean };
    expect(stored).toMatchObject({ failures: 5, locked: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('no state, or a broken one, with an account stored: the app starts locked', async () => {
    const clock = fakeClock();
    expect(await appLock({ clock }).state()).toMatchObject({ locked: true, reason: 'start' });
    writeFileSync(file, '{"locked": fal');
    expect(await appLock({ clock }).isLockedNow()).toBe(true);
    writeFileSync(file, JSON.stringify({ locked: false, reason: null, failures: -1, lastFailureAt: null }));
    expect(await appLock({ clock }).isLockedNow()).toBe(true);
    // First run (no account yet): nothing to protect, nothing to unlock with.
    expect(await appLock({ clock, account: async () => undefined }).isLockedNow()).toBe(false);
    rmSync(file);
    const fresh = appLock({ clock, account: async () => undefined });
    expect(await fresh.isLockedNow()).toBe(false);
  });

  test('a sign-in records the unlocked state; without an account only the last password’s verifier opens', async () => {
    const clock = fakeClock();
    const first = appLock({ clock });
    rmSync(file, { force: true });
    const signingIn = appLock({ clock, account: async () => undefined });
    await signingIn.signedIn();
    expect(await appLock({ clock }).isLockedNow()).toBe(false);
    await first.lock('demand');

    // The account's settings file vanished while locked: that does not open the app.
    const noAccount = appLock({ clock, account: async () => undefined });
    expect(await noAccount.isLockedNow()).toBe(true);
    await expect(noAccount.unlock('wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(await noAccount.unlock(PASSWORD)).toMatchObject({ locked: false });
  });

  test('the host hears of every lock (to close the council windows), once per lock', async () => {
    const clock = fakeClock();
    const lock = appLock({ clock });
    await lock.unlock(PASSWORD);
    const heard: string[] = [];
    const off = lock.onLock((reason) => heard.push(reason));
    await lock.lock('demand');
    await lock.lock('idle');
    await lock.unlock(PASSWORD);
    await lock.lockFromHost('os');
    off();
    await lock.unlock(PASSWORD);
    await lock.lock('demand');
    expect(heard).toEqual(['demand', 'os']);
  });
});
