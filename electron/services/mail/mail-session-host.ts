import type { Contract, EmitterOf, RatsdeskHandlers } from '../../contract';
import { RatsdeskError } from '../../contract/errors';
import { type AccountService, keychainAccountName } from '../account/account-service';
import type { KeychainService } from '../keychain/keychain-service';
import { toDisposable } from '../lifetime/disposable-store';
import { silentLog, type Log } from '../log/log-service';
import type { VaultScope } from '../vault-session';
import type { TlsTrust } from './imap-connection';
import type { RecipientRules } from './recipient-policy';
import type { SmimeIndexer, SmimeOpener } from './message-sources';
import type { SmimeProtector } from './compose-service';
import { MailAccountSession } from './mail-account-session';
import type { RemoteImagePolicy } from './mail-reader-service';
import type { Resolve } from './remote-image-fetch';

export interface MailSessionHostOptions {
  /** The open vault's scope: the session is built on it and closes with it. */
  vaultScope: () => Promise<VaultScope>;
  keychain: KeychainService;
  account: AccountService;
  trust?: TlsTrust;
  emit?: EmitterOf<Contract>;
  pollMs?: number;
  /** The policy's offline period for mail bodies (days; null = all), read when a session starts. */
  offlineMailDays?: () => Promise<number | null>;
  /** The machine policy's recipient rules, read on every send. */
  recipientRules?: () => Promise<RecipientRules>;
  /** S/MIME for the account's reader and composer (SmimeService). */
  smime?: SmimeOpener & SmimeProtector & SmimeIndexer;
  log?: Log;
  /** The policy's `documentExportAllowed`, read on every send and draft. */
  exportAllowed?: () => Promise<boolean>;
  /** The machine policy's internal image hosts, read on every remote image. */
  remoteImagePolicy?: () => Promise<RemoteImagePolicy>;
  /** DNS for remote images (tests answer for their own host names). */
  resolve?: Resolve;
}

type AccountHandlers = RatsdeskHandlers['account'];

/** Errors after which the stored account still opens offline (the server is merely unreachable). */
const OFFLINE_CODES = new Set(['CONNECTION_REFUSED', 'HOST_NOT_FOUND', 'TIMEOUT', 'SERVER_ERROR']);

/**
 * Runs one MailAccountSession for the signed-in account: started after connect or restore (restore
 * works offline from the vault), stopped on sign-out, and whenever the vault it is built on closes.
 */
export class MailSessionHost {
  private session: MailAccountSession | undefined;
  private pending: Promise<MailAccountSession | undefined> = Promise.resolve(undefined);

  constructor(private readonly options: MailSessionHostOptions) {}

  /** The running session, or NO_ACCOUNT. Waits for one that is starting. */
  async current(): Promise<MailAccountSession> {
    const s = this.session ?? (await this.pending);
    if (!s) throw new RatsdeskError('NO_ACCOUNT');
    return s;
  }

  /** (Re)starts the session for the stored account. */
  start(): Promise<MailAccountSession | undefined> {
    // A start or stop that failed before was answered to its caller; the next one starts clean.
    this.pending = this.pending
      .catch(() => undefined)
      .then(async () => {
        await this.stopNow();
        const status = await this.options.account.status();
        const settings = status.account;
        if (!status.configured || !settings) return undefined;
        const { keychain, emit } = this.options;
        const name = keychainAccountName(settings);
        const scope = await this.options.vaultScope();
        const session = new MailAccountSession({
          vault: scope.vault,
          settings,
          password: async () => {
            const p = await keychain.get(name);
            if (!p) throw new RatsdeskError('NO_ACCOUNT', 'no password in keychain');
            return p;
          },
          trust: this.options.trust,
          documents: () => scope.documents(),
          log: this.options.log ?? silentLog,
          recipientRules: this.options.recipientRules,
          ...(this.options.smime ? { smime: this.options.smime } : {}),
          exportAllowed: this.options.exportAllowed,
          remoteImagePolicy: this.options.remoteImagePolicy,
          resolve: this.options.resolve,
          sync: { pollMs: this.options.pollMs, bodyDays: (await this.options.offlineMailDays?.()) ?? null },
          events: {
            syncProgress: (p) => emit?.('mailSync', 'syncProgress', p),
            newMail: (n) => emit?.('mailSync', 'newMail', n),
            offlineProgress: (p) => emit?.('mailSync', 'offlineProgress', p),
            connectionState: (s) => emit?.('mailSync', 'syncConnectionState', s),
            outboxChanged: (items) => emit?.('compose', 'outboxChanged', { items }),
          },
        });
        this.session = session;
        // Closing the vault ends the session built on it (a newer session is not touched).
        scope.owned.add(
          toDisposable(async () => {
            if (this.session === session) this.session = undefined;
            await session.dispose();
          }),
        );
        session.start();
        return session;
      });
    return this.pending;
  }

  private async stopNow(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.dispose();
  }

  async stop(): Promise<void> {
    this.pending = this.pending
      .catch(() => undefined)
      .then(async () => {
        await this.stopNow();
        return undefined;
      });
    await this.pending;
  }

  /** Account handlers that start and stop the session around the account service's calls. */
  wrapAccount(inner: AccountHandlers): AccountHandlers {
    return {
      status: () => inner.status(),
      connect: async (input) => {
        const opened = await inner.connect(input);
        await this.start();
        return opened;
      },
      restore: async () => {
        try {
          const opened = await inner.restore();
          await this.start();
          return opened;
        } catch (err) {
          // Offline-first: a configured account opens from the vault when only the server is unreachable.
          if (!(err instanceof RatsdeskError) || !OFFLINE_CODES.has(err.code)) throw err;
          const started = await this.start();
          if (!started) throw err;
          return { account: started.settings, online: false };
        }
      },
      forget: async () => {
        await this.stop();
        return inner.forget();
      },
    };
  }

  async dispose(): Promise<void> {
    await this.stop();
  }
}
