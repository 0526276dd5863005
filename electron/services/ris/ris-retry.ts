import { RatsdeskError } from '../../contract/errors';

/**
 * When a RIS request is worth repeating. Council servers answer a page with 500 now and then, drop a
 * keep-alive connection or stall; the same GET a moment later usually works. Everything else (4xx,
 * certificate problems, bad content) would fail the same way again.
 */
export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Backoff before the second attempt; it doubles for every further one. */
  baseMs: number;
  /** A server's Retry-After is honoured up to this many ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseMs: 500, maxDelayMs: 10_000 };

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** A RIS_HTTP_ERROR that remembers its status and Retry-After (the error code alone says neither). */
export class RisHttpStatusError extends RatsdeskError {
  constructor(
    readonly status: number,
    detail: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super('RIS_HTTP_ERROR', detail);
  }
}

/** Network errors that say "the connection went away", not "this cannot work". */
const TRANSIENT_NETWORK = /ECONNRESET|EPIPE|ECONNABORTED|socket hang up|response aborted/;

export function isTransient(err: unknown): boolean {
  if (err instanceof RisHttpStatusError) return TRANSIENT_STATUS.has(err.status);
  if (!(err instanceof RatsdeskError)) return false;
  if (err.code === 'RIS_TIMEOUT') return true;
  return err.code === 'SERVER_ERROR' && TRANSIENT_NETWORK.test(err.detail ?? '');
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d{1,6}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Exponential backoff with full jitter: attempt 1 waits base…2·base, attempt 2 waits 2·base…4·base, …
 * (jitter spreads the retries of lists running side by side), never more than maxDelayMs. A server's
 * Retry-After, when longer, wins (up to maxDelayMs).
 */
export function backoffMs(
  policy: RetryPolicy,
  failedAttempt: number,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const step = policy.baseMs * 2 ** Math.max(0, failedAttempt - 1);
  const jittered = step + random() * step;
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}
