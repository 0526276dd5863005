import type { Result } from '../../../../electron/contract/define';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { okOrRecord, type Succeeded } from '../../app/contract-call';

/**
 * What the mail store keeps besides its state: timers, event subscriptions, the page loads under way,
 * the refresh queue and the counter that lets only the latest "open message" land. One per store, so
 * nothing lives at module level; `reset()` (on lock) ends all of it and makes every call still under
 * way stale: its answer is dropped instead of putting mail back into the store.
 */
export class MailStoreRuntime {
  private session = 0;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions = new Set<() => void>();
  /** Pages being loaded, as `${generation}:${page}`. */
  readonly loadingPages = new Set<string>();
  /** Bumped by every "open message"; the answers for an older one are dropped. */
  openSeq = 0;
  /** The refresh under way; a request meanwhile sets `refreshAgain`, and it runs once more. */
  refreshRunning: Promise<void> | undefined;
  refreshAgain = false;
  /** The store's first load of this session (`start()`), once asked. */
  started: Promise<void> | undefined;
  /** The mail view has been shown since the start: its next mounting is a return to it. */
  viewShown = false;

  constructor(private readonly recordError: (error: ErrorInfo) => void) {}

  /** Runs `fn` after `ms`, replacing a pending timer of the same name. */
  later(name: string, ms: number, fn: () => void): void {
    const pending = this.timers.get(name);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fn();
      }, ms),
    );
  }

  /** Keeps an event subscription until `reset()` or until the returned function ends it. */
  own(unsubscribe: () => void): () => void {
    const end = () => {
      if (this.subscriptions.delete(end)) unsubscribe();
    };
    this.subscriptions.add(end);
    return end;
  }

  /** A token for work of several steps: `isCurrent(token)` turns false once the store is reset. */
  token(): number {
    return this.session;
  }

  isCurrent(token: number): boolean {
    return token === this.session;
  }

  /** The call's result, or undefined when the store was reset while it ran. */
  async current<T>(pending: Promise<Result<T>>): Promise<Result<T> | undefined> {
    const token = this.session;
    const result = await pending;
    return this.isCurrent(token) ? result : undefined;
  }

  /** The success of an answer; a failure goes to the store's error (or to `record`) and gives undefined. */
  ok<T>(result: Result<T>, record: (error: ErrorInfo) => void = this.recordError): Succeeded<T> | undefined {
    return okOrRecord(result, record);
  }

  /** The call's success, as `ok`; undefined also when the store was reset while it ran. */
  async call<T>(
    pending: Promise<Result<T>>,
    record: (error: ErrorInfo) => void = this.recordError,
  ): Promise<Succeeded<T> | undefined> {
    const result = await this.current(pending);
    return result === undefined ? undefined : this.ok(result, record);
  }

  reset(): void {
    this.session++;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const end of [...this.subscriptions]) end();
    this.loadingPages.clear();
    this.openSeq = 0;
    this.refreshRunning = undefined;
    this.refreshAgain = false;
    this.started = undefined;
    this.viewShown = false;
  }
}
