import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { LockReason, LockState } from '../../contract/lock';
import { checkImapLogin, type TlsTrust } from '../mail/imap-connection';
import type { LockStateStore, PersistedLockState } from './lock-state-file';

/** The part of the offline verifier the lock uses (lock-verifier.ts: scrypt in the vault). */
export interface PasswordVerifier {
  store(password: string): Promise<void>;
  /** True/false when a verifier exists, undefined when none was stored yet. */
  check(password: string): Promise<boolean | undefined>;
}

export interface LockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LockClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
};

export interface AppLockOptions {
  /** The stored account (no secret); undefined when none is set up. */
  account: () => Promise<AccountSettings | undefined>;
  verifier: PasswordVerifier;
  trust: () => TlsTrust;
  /** Idle time before locking, in ms (the policy's idleLockMinutes, or a test's override). */
  idleMs: () => Promise<number>;
  /** Where the lock state and the failed attempts survive a restart (lock-state-file.ts). */
  store: LockStateStore;
  /** Tells the renderer the host locked the app. */
  onLocked?: (reason: LockReason) => void;
  /** Checks a password against the server; default: a short IMAP login with the stored settings. */
  checkWithServer?: (settings: AccountSettings, password: string) => Promise<void>;
  /** Time and waiting; tests pass their own to see the delays without spending them. */
  clock?: LockClock;
}

/**
 * How long an unlock attempt waits after `failures` failed ones: a mistyped password costs a moment, guessing
 * costs up to 30 s a guess (under 3,000 a day). Counted from the last failure, and the count survives a
 * restart, so quitting the app does not reset it.
 */
export function unlockDelayMs(failures: number): number {
  const steps = [0, 500, 1000, 2000, 4000, 8000, 16_000];
  return steps[failures] ?? 30_000;
}

/**
 * The app lock: a state in the main process that the contract dispatcher consults in front of every call,
 * and unlocking by the account password — checked against the mail server, or against the local verifier
 * when the server cannot be reached. Attempts run one at a time, each after the delay its failures earned.
 * The state is kept in a file, so a locked app starts locked: quitting is no way around the lock.
 */
export class AppLock {
  /** Locked until the stored state says otherwise (events sent before it is read carry no content). */
  private locked = true;
  private reason: LockReason | null = null;
  private failures = 0;
  private lastFailureAt: number | null = null;
  private loading: Promise<void> | undefined;
  /** Unlock attempts, one after the other. */
  private attempts: Promise<unknown> = Promise.resolve();
  /** State writes, one after the other (the file is replaced whole). */
  private writes: Promise<void> = Promise.resolve();
  private readonly lockListeners = new Set<(reason: LockReason) => void>();
  private readonly clock: LockClock;

  constructor(private readonly options: AppLockOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** The state as last known in memory (after `isLockedNow()` or any other call loaded it). */
  get isLocked(): boolean {
    return this.locked;
  }

  /** Whether the app is locked; the first call reads the stored state. For the dispatcher's gate. */
  async isLockedNow(): Promise<boolean> {
    await this.ready();
    return this.locked;
  }

  async state(): Promise<LockState> {
    await this.ready();
    return { locked: this.locked, reason: this.reason, idleMs: await this.options.idleMs() };
  }

  /** Called with the reason whenever the app goes from unlocked to locked (the host closes RIS windows). */
  onLock(listener: (reason: LockReason) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Locks (only when an account is set up: without one there is nothing to protect and no password). */
  async lock(reason: LockReason): Promise<LockState> {
    await this.ready();
    if (!this.locked && (await this.options.account())) {
      this.locked = true;
      this.reason = reason;
      await this.persist();
      for (const listener of this.lockListeners) listener(reason);
    }
    return this.state();
  }

  /** Locks from the host (OS lock, system idle) and tells the renderer. */
  async lockFromHost(reason: LockReason): Promise<void> {
    const wasLocked = await this.isLockedNow();
    await this.lock(reason);
    if (this.locked && !wasLocked) this.options.onLocked?.(reason);
  }

  /** One attempt at a time: a thousand parallel guesses queue up, each after its delay. */
  unlock(password: string): Promise<LockState> {
    const attempt = this.attempts.then(() => this.attempt(password));
    this.attempts = attempt.catch(() => undefined);
    return attempt;
  }

  private async attempt(password: string): Promise<LockState> {
    await this.ready();
    if (!this.locked) return this.state();
    await this.waitOutDelay();
    const settings = await this.options.account();
    if (!settings) {
      // No account any more (its settings file is gone): only the verifier of the last password can open.
      const offline = await this.options.verifier.check(password);
      if (offline === false) return this.fail();
      return this.open();
    }
    const check = this.options.checkWithServer ?? ((s, p) => checkImapLogin(s, p, this.options.trust()));
    try {
      await check(settings, password);
    } catch (err) {
      const code = err instanceof RatsdeskError ? err.code : 'INTERNAL';
      if (code === 'AUTH_FAILED') return this.fail();
      // The server cannot say (offline, a hotel network …): the verifier in the vault decides.
      const offline = await this.options.verifier.check(password);
      if (offline === undefined) throw err;
      if (!offline) return this.fail();
      return this.open();
    }
    await this.options.verifier.store(password);
    return this.open();
  }

  /** Records the password's verifier after the server accepted it (account connect), and starts unlocked. */
  async remember(password: string): Promise<void> {
    await this.ready();
    await this.options.verifier.store(password);
  }

  /**
   * A sign-in the server just accepted (account.connect, which the dispatcher serves only while unlocked):
   * the app is unlocked and the stored state says so — without one, an account in the data folder would
   * start the app locked (see load).
   */
  async signedIn(): Promise<void> {
    await this.ready();
    await this.open();
  }

  private async waitOutDelay(): Promise<void> {
    const delay = unlockDelayMs(this.failures);
    if (delay === 0 || this.lastFailureAt === null) return;
    // A clock set back never makes the wait longer than the delay itself.
    const wait = Math.min(delay, this.lastFailureAt + delay - this.clock.now());
    if (wait > 0) await this.clock.sleep(wait);
  }

  private async fail(): Promise<never> {
    this.failures += 1;
    this.lastFailureAt = this.clock.now();
    await this.persist();
    throw new RatsdeskError('AUTH_FAILED', 'unlock refused');
  }

  private async open(): Promise<LockState> {
    this.locked = false;
    this.reason = null;
    this.failures = 0;
    this.lastFailureAt = null;
    await this.persist();
    return this.state();
  }

  private ready(): Promise<void> {
    return (this.loading ??= this.load());
  }

  /**
   * Reads the stored state. Missing or unreadable while an account is stored: locked (fail closed — deleting
   * the file must not open the app); the person unlocks once with the password.
   */
  private async load(): Promise<void> {
    const stored = await this.options.store.read().catch(() => undefined);
    if (stored) {
      this.locked = stored.locked;
      this.reason = stored.locked ? stored.reason : null;
      this.failures = stored.failures;
      this.lastFailureAt = stored.lastFailureAt;
      return;
    }
    // An account that cannot be looked up (keychain unavailable) counts as stored: fail closed.
    const account = await this.options.account().catch(() => 'unknown' as const);
    this.locked = account !== undefined;
    this.reason = this.locked ? 'start' : null;
  }

  /** Writes the state; a write that fails leaves the state in memory in force (and the next write retries). */
  private persist(): Promise<void> {
    const snapshot: PersistedLockState = {
      locked: this.locked,
      reason: this.reason,
      failures: this.failures,
      lastFailureAt: this.lastFailureAt,
    };
    this.writes = this.writes.then(() => this.options.store.write(snapshot)).catch(() => undefined);
    return this.writes;
  }
}
