import vm from 'node:vm';

/** Thrown when a job did not finish within its deadline; whatever it had produced so far is kept by the caller. */
export class DeadlineExceeded extends Error {
  constructor(readonly milliseconds: number) {
    super(`calendar work exceeded ${milliseconds} ms`);
    this.name = 'DeadlineExceeded';
  }
}

// Why a vm context: ical.js's recurrence iterator loops forever on some rules whose BY parts can never all
// hold (ical.js issues #509 and #1038, e.g. FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, or YEARLY with BYSETPOS=366),
// and its parser is quadratic in the parameters of one line. Those loops sit in several places inside the
// library, so no counter of ours can reach them all. Node's vm timeout arms V8's watchdog, which interrupts
// whatever JavaScript runs on this thread — also functions from outside the context — so every call into
// ical.js that depends on foreign input runs here, with a hard deadline, synchronously.
const context = vm.createContext({ job: undefined as (() => unknown) | undefined });
const script = new vm.Script('job()', { filename: 'ratsdesk-calendar-deadline.js' });
let running = false;
const interruptionListeners = new Set<() => void>();

/**
 * Registers what must be forgotten after a job was interrupted: state shared between jobs (caches inside
 * ical.js objects) may have been left half-updated.
 */
export function onInterrupted(listener: () => void): void {
  interruptionListeners.add(listener);
}

/**
 * Runs `job` and returns its result, or throws DeadlineExceeded after `milliseconds`. A nested call runs
 * inside the outer deadline (V8 arms one watchdog at a time).
 */
export function runWithDeadline<T>(job: () => T, milliseconds: number): T {
  if (running) return job();
  running = true;
  context.job = job;
  try {
    return script.runInContext(context, { timeout: milliseconds, breakOnSigint: false }) as T;
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      for (const listener of interruptionListeners) listener();
      throw new DeadlineExceeded(milliseconds);
    }
    throw err;
  } finally {
    context.job = undefined;
    running = false;
  }
}
