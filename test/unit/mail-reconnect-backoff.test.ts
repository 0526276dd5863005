import { describe, expect, test } from 'vitest';
import { ReconnectBackoff } from '../../electron/services/mail/reconnect-backoff';

describe('ReconnectBackoff: exponential with full jitter', () => {
  test('the window doubles per attempt up to the cap, and reset starts over', () => {
    const b = new ReconnectBackoff({ baseMs: 1_000, capMs: 240_000, random: () => 0.999999 });
    const delays = Array.from({ length: 12 }, () => b.next());
    expect(delays.slice(0, 4)).toEqual([999, 1_999, 3_999, 7_999]);
    expect(Math.max(...delays)).toBeLessThan(240_000);
    expect(delays.at(-1)).toBe(239_999);
    b.reset();
    expect(b.next()).toBe(999);
  });

  test('delays are spread over the whole window (full jitter), never negative', () => {
    const b = new ReconnectBackoff({ baseMs: 1_000, capMs: 8_000 });
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      for (let k = 0; k < 5; k++) b.next();
      samples.push(b.next()); // attempt 5: window capped at 8 s
      b.reset();
    }
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(8_000);
    // a fleet restarting together lands in every quarter of the window
    const quarters = [0, 0, 0, 0];
    for (const s of samples) quarters[Math.floor(s / 2_000)]!++;
    for (const q of quarters) expect(q).toBeGreaterThan(300);
  });
});
