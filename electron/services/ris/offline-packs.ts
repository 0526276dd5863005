import type { ErrorCode } from '../../contract/errors';
import type { OfflinePackInfo } from '../../contract/ris';
import type { Disposable } from '../lifetime/disposable-store';
import type { OfflineMeetings } from './offline-meeting';
import type { MeetingDate, RisQueryRepository } from './ris-query-repository';

export interface OfflinePacksOptions {
  /** The "available offline" runs (the same path as the person's own click): checksums, pins, resume. */
  offline: OfflineMeetings;
  queries: RisQueryRepository;
  /** Days ahead (offlinePackDays: the person's setting or the policy's); 0 = off. Read on every look. */
  days: () => Promise<number>;
  /** While the app is locked nothing is fetched. */
  locked: () => Promise<boolean>;
  /** The queue changed (counts or state): the Heute line. */
  onChange?: (status: OfflinePackInfo) => void;
  /** A look that failed (the vault unreadable): logged; the next regular look tries again. */
  onError?: (err: unknown) => void;
  now?: () => Date;
  /** How often to look again once everything is there (new meetings, the window moving on). Default 15 min. */
  checkEveryMs?: number;
  /** The first wait after the council server did not answer; it doubles up to `maxRetryMs`. Default 30 s / 10 min. */
  retryMs?: number;
  maxRetryMs?: number;
}

const DAY_MS = 86_400_000;
/** A meeting without an end is taken to last this long (it is still worth having while it runs). */
const ASSUMED_LENGTH_MS = 4 * 3_600_000;

/**
 * Failures that say "the council server cannot be reached now" (no network, server down, a hotel network),
 * as opposed to one file being bad: the pack pauses and tries again later instead of going on file by file.
 */
const UNREACHABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CONNECTION_REFUSED',
  'HOST_NOT_FOUND',
  'RIS_TIMEOUT',
  'SERVER_ERROR',
  'NOT_CONNECTED',
]);

const OFF: OfflinePackInfo = { state: 'off', days: 0, meetings: 0, available: 0 };

/**
 * The automatic offline pack: the meetings of the person's chosen bodies in the next N days are made
 * available offline in the background, one meeting after the other through OfflineMeetings (so at most its
 * 3 downloads are in flight, files are checksum-verified, stored files are not fetched again and a run cut
 * short continues after a restart). It pauses when the server does not answer (and tries again with a
 * growing wait) and while the app is locked; the finished meetings stay pinned until their end plus the
 * retention period and then leave by the document cache's retention rule. Without a chosen body nothing
 * is fetched: "all bodies" of a city are far more than anyone prepares.
 *
 * Owns one timer and the run in progress; `dispose()` (the vault scope closing) stops both and waits for
 * the run, so nothing writes into a closed vault.
 */
export class OfflinePacks implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private lookAgain = false;
  private current: AbortController | undefined;
  private unreachableInARow = 0;
  private disposed = false;
  private last: OfflinePackInfo = OFF;
  private readonly now: () => Date;

  constructor(private readonly options: OfflinePacksOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The queue as last seen. */
  status(): OfflinePackInfo {
    return { ...this.last };
  }

  /** Look now: at start, after a sync, a changed setting or choice of bodies, after unlocking. */
  wake(): void {
    if (this.disposed) return;
    this.clearTimer();
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.looking = this.look()
      .catch((err: unknown) => {
        this.options.onError?.(err);
        this.schedule(this.options.checkEveryMs ?? 15 * 60_000);
      })
      .finally(() => {
        this.looking = undefined;
        if (this.lookAgain && !this.disposed) {
          this.lookAgain = false;
          this.wake();
        }
      });
  }

  /** Stops the download in progress (the app locked); `wake` goes on where it stopped. */
  pause(): void {
    this.current?.abort();
  }

  /** Resolves once the look in progress (if any) has finished: for tests and the quit sequence. */
  async settled(): Promise<void> {
    while (this.looking) await this.looking;
  }

  private async look(): Promise<void> {
    const days = await this.options.days();
    if (this.disposed) return;
    if (days <= 0 || !this.hasChosenBodies()) {
      this.publish({ ...OFF, days: Math.max(0, days) });
      this.schedule(this.options.checkEveryMs ?? 15 * 60_000);
      return;
    }
    let window = this.window(days);
    for (const meetingId of window.filter((m) => m.offline !== 'complete').map((m) => m.id)) {
      if (await this.options.locked()) return this.pausedByLock(days, window);
      if (this.disposed) return;
      this.publish(this.counted('running', days, window));
      const controller = new AbortController();
      this.current = controller;
      let unreachable = false;
      try {
        await this.options.offline.makeAvailable(meetingId, {
          signal: controller.signal,
          onFailure: (f) => {
            if (!UNREACHABLE.has(f.code)) return;
            unreachable = true;
            controller.abort();
          },
        });
      } catch (err) {
        // One meeting that cannot be made available (gone from the RIS store meanwhile) does not stop the others.
        this.options.onError?.(err);
      } finally {
        this.current = undefined;
      }
      if (this.disposed) return;
      window = this.window(days);
      if (unreachable) {
        // Resumable: the files stored so far stay, the record says "running", the next look goes on.
        this.unreachableInARow++;
        this.publish(this.counted('offline', days, window));
        const first = this.options.retryMs ?? 30_000;
        this.schedule(Math.min(this.options.maxRetryMs ?? 600_000, first * 2 ** (this.unreachableInARow - 1)));
        return;
      }
      if (controller.signal.aborted) return this.pausedByLock(days, window);
    }
    this.unreachableInARow = 0;
    this.publish(this.counted('idle', days, window));
    this.schedule(this.options.checkEveryMs ?? 15 * 60_000);
  }

  /** Locked: nothing until unlocking wakes it (and the regular look, in case a wake was missed). */
  private pausedByLock(days: number, window: MeetingDate[]): void {
    this.publish(this.counted('locked', days, window));
    this.schedule(this.options.checkEveryMs ?? 15 * 60_000);
  }

  private hasChosenBodies(): boolean {
    const { queries } = this.options;
    return queries.bodies().some((b) => queries.organizations(b.id).some((o) => o.chosen));
  }

  /** The meetings of the chosen bodies from now (one running now included) to N days ahead, not cancelled. */
  private window(days: number): MeetingDate[] {
    const now = this.now().getTime();
    return this.options.queries
      .meetingsBetween(new Date(now - DAY_MS), new Date(now + days * DAY_MS), 'mine')
      .filter((m) => {
        if (m.cancelled) return false;
        const until = Date.parse(m.end ?? '') || Date.parse(m.start ?? '') + ASSUMED_LENGTH_MS;
        return until > now;
      });
  }

  private counted(state: OfflinePackInfo['state'], days: number, window: MeetingDate[]): OfflinePackInfo {
    return { state, days, meetings: window.length, available: window.filter((m) => m.offline === 'complete').length };
  }

  private publish(next: OfflinePackInfo): void {
    const before = this.last;
    this.last = next;
    if (this.disposed) return;
    if (Object.keys(next).some((k) => next[k as keyof OfflinePackInfo] !== before[k as keyof OfflinePackInfo])) {
      this.options.onChange?.({ ...next });
    }
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearTimer();
    this.current?.abort();
    await this.looking?.catch(() => undefined);
  }
}
