import type { KeychainService } from './keychain/keychain-service';
import { DocumentCache } from './documents/document-cache';
import { openVault, removeAllLocalData, type Vault } from './vault/vault';

export interface VaultSessionOptions {
  /** The vault file (its WAL/SHM and the documents folder live next to it). */
  file: string;
  keychain: KeychainService;
  /** The SQLite binding when it is not node_modules' own (see VaultOptions.nativeBinding). */
  nativeBinding?: string;
  /** Quota and retention for the document cache (the policy's); undefined keeps the cache's defaults. */
  documentLimits?: () => Promise<{ quotaBytes: number; retentionDays: number } | undefined>;
}

/**
 * The open vault and what is built directly on it (the document cache). The vault opens on first use
 * (its key comes from the keychain, which may be locked at start); a failed open is not kept, so the next
 * call tries again after the person unlocked it. `close` closes it; the next use opens it afresh.
 */
export class VaultSession {
  private opening: Promise<Vault> | undefined;
  private cache: Promise<DocumentCache> | undefined;

  constructor(private readonly options: VaultSessionOptions) {}

  get file(): string {
    return this.options.file;
  }

  vault(): Promise<Vault> {
    const { file, keychain, nativeBinding } = this.options;
    return (this.opening ??= openVault({ file, keychain, ...(nativeBinding ? { nativeBinding } : {}) }).catch(
      (err: unknown) => {
        this.opening = undefined;
        throw err;
      },
    ));
  }

  /** The document cache over the vault, with the policy's quota and retention applied once at open. */
  documents(): Promise<DocumentCache> {
    return (this.cache ??= (async () => {
      const cache = new DocumentCache(await this.vault());
      const limits = await this.options.documentLimits?.();
      if (limits) cache.setLimits(limits);
      cache.applyRetention();
      return cache;
    })().catch((err: unknown) => {
      this.cache = undefined;
      throw err;
    }));
  }

  /** Closes the vault (if open) and forgets the cache over it. */
  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.cache = undefined;
    const opened = await opening?.catch(() => undefined);
    opened?.close();
  }

  /** Closes the vault, then deletes it with its documents folder and its key: the next use is a first run. */
  async removeAll(): Promise<void> {
    await this.close();
    await removeAllLocalData({ file: this.options.file, keychain: this.options.keychain });
  }
}
