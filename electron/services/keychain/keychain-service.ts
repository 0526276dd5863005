import { createRequire } from 'node:module';
import { RatsdeskError } from '../../contract/errors';

interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

const require = createRequire(import.meta.url);

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
 * through keytar. Passwords and the vault key live only here and in main-process memory.
 */
export class KeychainService {
  private keytar: KeytarLike | undefined;

  constructor(readonly serviceName = 'Ratsdesk') {}

  private load(): KeytarLike {
    if (!this.keytar) {
      try {
        this.keytar = require('keytar') as KeytarLike;
      } catch (err) {
        throw new RatsdeskError('KEYCHAIN_UNAVAILABLE', 'keytar could not be loaded', { cause: err });
      }
    }
    return this.keytar;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof RatsdeskError) throw err;
      // libsecret reports a missing or locked Secret Service as a plain Error; keep only its message.
      const message = err instanceof Error ? err.message : String(err);
      throw new RatsdeskError('KEYCHAIN_UNAVAILABLE', message.slice(0, 200), { cause: err });
    }
  }

  get(account: string): Promise<string | null> {
    return this.guard(() => this.load().getPassword(this.serviceName, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.guard(() => this.load().setPassword(this.serviceName, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.guard(() => this.load().deletePassword(this.serviceName, account));
  }

  /** Account names only; secrets are never listed. */
  async accounts(): Promise<string[]> {
    const found = await this.guard(() => this.load().findCredentials(this.serviceName));
    return found.map((c) => c.account);
  }
}
