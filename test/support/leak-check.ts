/**
 * The leak check of the integration suites: after `dispose()`, no timer, socket, child process or worker
 * thread that the code under test created is left. Take the baseline after the test servers started and
 * before the services are built; compare after they are disposed.
 */
import { createHook } from 'node:async_hooks';

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

/**
 * Worker threads do not show in process.getActiveResourcesInfo() (an unref'd one not at all), so the
 * check watches them being born and ending through async_hooks, and only while a check is open: the
 * hook makes every promise pay, so it is not left on.
 */
const liveWorkers = new Set<number>();
let openChecks = 0;
const workerHook = createHook({
  init(id, type) {
    if (type === 'WORKER') liveWorkers.add(id);
  },
  destroy(id) {
    liveWorkers.delete(id);
  },
});

function watchWorkers(on: boolean): void {
  openChecks += on ? 1 : -1;
  if (on && openChecks === 1) workerHook.enable();
  if (!on && openChecks === 0) {
    workerHook.disable();
    liveWorkers.clear();
  }
}

function counts(): Map<string, number> {
  const out = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) out.set(kind, (out.get(kind) ?? 0) + 1);
  }
  if (liveWorkers.size > 0) out.set('Worker', liveWorkers.size);
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
  watchWorkers(true);
  let open = true;
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
      if (open) {
        open = false;
        watchWorkers(false);
      }
    },
  };
}
