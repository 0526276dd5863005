import { DocumentCache } from './documents/document-cache';
import { DocumentReaders } from './documents/document-readers';
import type { KeychainService } from './keychain/keychain-service';
import { DisposableStore, toDisposable, type Disposable } from './lifetime/disposable-store';
import { describeError, silentLog, type Log } from './log/log-service';
import { openVault, removeAllLocalData, type Vault } from './vault/vault';

export interface VaultSessionOptions {
  /** The vault file (its WAL/SHM and the documents folder live next to it). */
  file: string;
  keychain: KeychainService;
  /** The SQLite binding when it is not node_modules' own (see VaultOptions.nativeBinding). */
  nativeBinding?: string;
  /** Quota and retention for the document cache (the policy's); undefined keeps the cache's defaults. */
  documentLimits?: () => Promise<{ quotaBytes: number; retentionDays: number } | undefined>;
  log?: Log;
  /** The built document worker module; without it the documents' text is not indexed (see DocumentReaders). */
  documentWorkerFile?: string;
}

/**
 * One open vault and everything built on it. Whoever builds on the vault (the document cache, the RIS
 * repositories, an account's mail session) adds its disposable to `owned`; closing the scope disposes
 * those in reverse order, then closes the vault. A newcomer added after the close is disposed at once.
 */
export interface VaultScope {
  readonly vault: Vault;
  readonly owned: DisposableStore;
  /** The document cache over this vault (made once per scope, with the policy's quota and retention). */
  documents(): Promise<DocumentCache>;
  /**
   * The text index of the documents (made once per scope; it reads what is not indexed yet in the
   * background). Undefined when no document worker is configured (or the scope was built without one).
   */
  documentReaders?(): Promise<DocumentReaders | undefined>;
}

/**
 * The owner of the open vault. It opens on first use (its key comes from the keychain, which may be
 * locked at start); a failed open is not kept, so the next call tries again. Sign-out, "remove all local
 * data" and quit close the whole scope at once; the next use opens a fresh one.
 */
export class VaultSession implements Disposable {
  private opening: Promise<VaultScope> | undefined;
  private readonly log: Log;
  private readonly openListeners: ((scope: VaultScope) => void)[] = [];

  constructor(private readonly options: VaultSessionOptions) {
    this.log = options.log ?? silentLog;
  }

  get file(): string {
    return this.options.file;
  }

  /**
   * Runs `listener` each time a vault scope opens, before anyone else uses it: for things that live exactly as
   * long as the open vault (a timer reading it), which add their disposable to `scope.owned`.
   */
  onOpen(listener: (scope: VaultScope) => void): void {
    this.openListeners.push(listener);
  }

  /** The open vault's scope (opening it when needed). */
  open(): Promise<VaultScope> {
    return (this.opening ??= this.openScope().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    }));
  }

  async vault(): Promise<Vault> {
    return (await this.open()).vault;
  }

  async documents(): Promise<DocumentCache> {
    return (await this.open()).documents();
  }

  async documentReaders(): Promise<DocumentReaders | undefined> {
    return (await this.open()).documentReaders?.();
  }

  private async openScope(): Promise<VaultScope> {
    const { file, keychain, nativeBinding } = this.options;
    const vault = await openVault({ file, keychain, ...(nativeBinding ? { nativeBinding } : {}) });
    const owned = new DisposableStore((err) => this.log.warn('vault.dispose-failed', describeError(err)));
    const workerFile = this.options.documentWorkerFile;
    let cache: Promise<DocumentCache> | undefined;
    const documents = () =>
      (cache ??= (async () => {
        const made = new DocumentCache(vault);
        const limits = await this.options.documentLimits?.();
        if (limits) made.setLimits(limits);
        made.applyRetention();
        // The text index reads in the background what arrives from now on and what is not read yet.
        if (workerFile) queueMicrotask(() => void documentReaders().catch(() => undefined));
        return made;
      })().catch((err: unknown) => {
        cache = undefined;
        throw err;
      }));
    let text: Promise<DocumentReaders | undefined> | undefined;
    const documentReaders = (): Promise<DocumentReaders | undefined> => {
      if (!workerFile) return Promise.resolve(undefined);
      return (text ??= (async () => {
        const made = new DocumentReaders({ vault, documents: await documents(), workerFile });
        // Owned by the scope: disposed (its worker thread ended) before the vault closes.
        return owned.add(made);
      })().catch((err: unknown) => {
        text = undefined;
        throw err;
      }));
    };
    owned.add(toDisposable(() => vault.close()));
    const scope: VaultScope = { vault, owned, documents, documentReaders };
    for (const listener of this.openListeners) {
      try {
        listener(scope);
      } catch (err) {
        this.log.warn('vault.open-listener-failed', describeError(err));
      }
    }
    return scope;
  }

  /** Closes the scope: what was built on the vault (newest first), then the vault. */
  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    // An open that failed has nothing to close (its error went to whoever asked for the vault).
    const scope = await opening?.catch(() => undefined);
    await scope?.owned.dispose();
  }

  /** Closes everything, then deletes the vault with its documents folder and its key: the next use is a first run. */
  async removeAll(): Promise<void> {
    await this.close();
    await removeAllLocalData({ file: this.options.file, keychain: this.options.keychain });
  }

  dispose(): Promise<void> {
    return this.close();
  }
}
