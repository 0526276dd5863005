/** Something with a lifetime: connections, timers, sessions, the vault. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** A Disposable from a function (a timer to clear, a listener to remove). */
export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  return { dispose };
}

/**
 * The things one owner created, disposed together in reverse order of creation (VS Code's
 * DisposableStore): what was built on something goes before it. A failing dispose does not stop the
 * others; the failures are handed to `onError`. Adding to a store that is already disposed disposes
 * the newcomer at once, so nothing outlives its owner.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposing: Promise<void> | undefined;

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  get isDisposed(): boolean {
    return this.disposing !== undefined;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposing) void this.disposeOne(item);
    else this.items.push(item);
    return item;
  }

  /** Disposes everything (once; later calls wait for the same run). */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      while (this.items.length > 0) await this.disposeOne(this.items.pop()!);
    })();
    return this.disposing;
  }

  private async disposeOne(item: Disposable): Promise<void> {
    try {
      await item.dispose();
    } catch (err) {
      this.onError(err);
    }
  }
}
