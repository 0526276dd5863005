/**
 * The leak check of the integration suites: after `dispose()`, no timer, socket or child process that
 * the code under test created is left (process.getActiveResourcesInfo()). Take the baseline after the
 * test servers started and before the services are built; compare after they are disposed.
 */

/** Resource kinds that outlive nothing on purpose: timers, sockets, child processes and their pipes. */
const WATCHED = new Set([
  'Timeout',
  'Immediate',
  'TCPSocketWrap',
  'TCPServerWrap',
  'TCPWrap',
  'TLSWrap',
  'PipeWrap',
  'ProcessWrap',
  'UDPWrap',
  'GetAddrInfoReqWrap',
]);

function counts(): Map<string, number> {
  const out = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) out.set(kind, (out.get(kind) ?? 0) + 1);
  }
  return out;
}

function excess(now: Map<string, number>, base: Map<string, number>): string[] {
  return [...now]
    .filter(([kind, n]) => n > (base.get(kind) ?? 0))
    .map(([kind, n]) => `${kind} +${n - (base.get(kind) ?? 0)}`);
}

export interface LeakCheck {
  /** Resolves once nothing beyond the baseline is left; fails naming what is (sockets close asynchronously). */
  assertNoneLeft(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * The baseline is the least seen over a short moment, so a timer that was only passing through when the
 * check began cannot hide a leaked one later.
 */
export async function leakCheck(): Promise<LeakCheck> {
  const base = counts();
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    for (const [kind, n] of counts()) base.set(kind, Math.min(n, base.get(kind) ?? n));
    for (const kind of [...base.keys()]) if (!counts().has(kind)) base.set(kind, 0);
  }
  return {
    async assertNoneLeft({ timeoutMs = 3_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let left = excess(counts(), base);
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = excess(counts(), base);
      }
      if (left.length > 0) throw new Error(`left after dispose(): ${left.join(', ')}`);
    },
  };
}
