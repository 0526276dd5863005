import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { LockReason, LockState } from '../../contract/lock';
import { closeImap, connectImap, type TlsTrust } from '../mail/imap-connection';
import type { LockVerifier } from './lock-verifier';

export interface AppLockOptions {
  /** The stored account (no secret); undefined when none is set up. */
  account: () => Promise<AccountSettings | undefined>;
  verifier: LockVerifier;
  trust: () => TlsTrust;
  /** Idle time before locking, in ms (the policy's idleLockMinutes, or a test's override). */
  idleMs: () => Promise<number>;
  /** Tells the renderer the host locked the app. */
  onLocked?: (reason: LockReason) => void;
  /** Checks a password against the server; default: a short IMAP login with the stored settings. */
  checkWithServer?: (settings: AccountSettings, password: string) => Promise<void>;
}

async function imapLogin(settings: AccountSettings, password: string, trust: TlsTrust): Promise<void> {
  await closeImap(await connectImap(settings, password, trust));
}

/** Wrong passwords wait a little longer each time, so guessing at the lock screen is slow. */
const FAILURE_DELAY_MS = [0, 500, 1000, 2000, 4000];

/**
 * The app lock: a state in the main process that gates every content call (see app-services), and
 * unlocking by the account password — checked against the mail server, or against the local verifier
 * when the server cannot be reached.
 */
export class AppLock {
  private locked = false;
  private reason: LockReason | null = null;
  private failures = 0;

  constructor(private readonly options: AppLockOptions) {}

  get isLocked(): boolean {
    return this.locked;
  }

  async state(): Promise<LockState> {
    return { locked: this.locked, reason: this.reason, idleMs: await this.options.idleMs() };
  }

  /** Locks (only when an account is set up: without one there is nothing to protect and no password). */
  async lock(reason: LockReason): Promise<LockState> {
    if (!this.locked && (await this.options.account())) {
      this.locked = true;
      this.reason = reason;
    }
    return this.state();
  }

  /** Locks from the host (OS lock, system idle) and tells the renderer. */
  async lockFromHost(reason: LockReason): Promise<void> {
    const wasLocked = this.locked;
    await this.lock(reason);
    if (this.locked && !wasLocked) this.options.onLocked?.(reason);
  }

  async unlock(password: string): Promise<LockState> {
    if (!this.locked) return this.state();
    const settings = await this.options.account();
    if (!settings) throw new RatsdeskError('NO_ACCOUNT');
    const delay = FAILURE_DELAY_MS[Math.min(this.failures, FAILURE_DELAY_MS.length - 1)] ?? 0;
    if (delay > 0) await new Promise((ok) => setTimeout(ok, delay));
    const check = this.options.checkWithServer ?? ((s, p) => imapLogin(s, p, this.options.trust()));
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

  /** Records the password's verifier after the server accepted it (account connect). */
  async remember(password: string): Promise<void> {
    await this.options.verifier.store(password);
  }

  private fail(): never {
    this.failures += 1;
    throw new RatsdeskError('AUTH_FAILED', 'unlock refused');
  }

  private async open(): Promise<LockState> {
    this.locked = false;
    this.reason = null;
    this.failures = 0;
    return this.state();
  }
}
