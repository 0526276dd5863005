import { RatsdeskError } from '../../contract/errors';

interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
 * through keytar. Passwords and the vault key live only here and in main-process memory.
 */
export class KeychainService {
  private keytar: KeytarLike | undefined;

  constructor(readonly serviceName = 'Ratsdesk') {}

  private async load(): Promise<KeytarLike> {
    if (!this.keytar) {
      try {
        const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
        this.keytar = mod.default ?? mod;
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
    return this.guard(async () => (await this.load()).getPassword(this.serviceName, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.guard(async () => (await this.load()).setPassword(this.serviceName, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.guard(async () => (await this.load()).deletePassword(this.serviceName, account));
  }

  /** Account names only; secrets are never listed. */
  async accounts(): Promise<string[]> {
    const found = await this.guard(async () => (await this.load()).findCredentials(this.serviceName));
    return found.map((c) => c.account);
  }
}
