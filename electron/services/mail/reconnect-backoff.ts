/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniformly random time in [0, min(cap, base · 2^n)). A fleet of clients that lost
 * the same restarted server spreads its reconnects over the whole window instead of stampeding it.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

export class ReconnectBackoff {
  private attempt = 0;
  readonly baseMs: number;
  readonly capMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1_000;
    this.capMs = options.capMs ?? 4 * 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Upper bound of the window for the current attempt. */
  windowMs(attempt = this.attempt): number {
    // 2^attempt overflows nothing below attempt 1024; clamp early anyway.
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt, 30));
  }

  /** The delay before the next attempt; each call widens the window until the cap. */
  next(): number {
    const delay = Math.floor(this.random() * this.windowMs());
    this.attempt++;
    return delay;
  }

  get attempts(): number {
    return this.attempt;
  }

  /**
   * A delay spread over the widest window: when the server itself ended the connection (a restart), every
   * client of that server would otherwise come back in the same second.
   */
  spreadOverCap(): number {
    return Math.floor(this.random() * this.capMs);
  }

  /** After a successful connect. */
  reset(): void {
    this.attempt = 0;
  }
}
