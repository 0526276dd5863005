import type { RatsdeskHandlers } from '../contract';
import { AccountService } from './account/account-service';
import { KeychainService } from './keychain/keychain-service';
import type { TlsTrust } from './mail/imap-connection';
import { MailService } from './mail/mail-service';

export interface ServicesOptions {
  /** Per-user data folder (Electron's userData, or a temp folder in tests). */
  dataDir: string;
  /** Keychain service name; tests use their own so they never touch a real one. */
  keychainService?: string;
  trust?: TlsTrust;
}

/** Host-specific calls: things only the host (Electron main, or the test harness) can do. */
export type HostHandlers = Pick<RatsdeskHandlers, 'app'>;

/**
 * Builds every service and the contract handlers over them. Electron's main process and the
 * end-to-end harness both call this, so the renderer talks to the same code in both.
 */
export function createServices(options: ServicesOptions) {
  const keychain = new KeychainService(options.keychainService);
  const mail = new MailService(options.trust);
  const account = new AccountService(options.dataDir, keychain, mail);

  const handlers: Omit<RatsdeskHandlers, 'app'> = {
    account: {
      status: () => account.status(),
      connect: (input) => account.connect(input),
      restore: () => account.restore(),
      forget: () => account.forget(),
    },
    mail: {
      listFolders: () => mail.listFolders(),
      latest: (input) => mail.latest(input.folder, input.limit),
    },
  };

  return {
    keychain,
    mail,
    account,
    handlers,
    async dispose() {
      await mail.dispose();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
