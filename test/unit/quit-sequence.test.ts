import { afterEach, describe, expect, test, vi } from 'vitest';
import { holdQuitUntilDisposed } from '../../electron/main/quit-sequence';

function quitEvent() {
  return { preventDefault: vi.fn() };
}

describe('quit waits for the services (electron/main/quit-sequence.ts)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('the first quit is held until dispose finished, then the app quits again and that quit goes through', async () => {
    let finish!: () => void;
    const dispose = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const quit = vi.fn();
    const onWillQuit = holdQuitUntilDisposed({ dispose, quit });

    const first = quitEvent();
    onWillQuit(first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    expect(dispose).toHaveBeenCalledOnce();
    await Promise.resolve();
    expect(quit).not.toHaveBeenCalled();

    // Asked again while closing: held, no second dispose.
    const again = quitEvent();
    onWillQuit(again);
    expect(again.preventDefault).toHaveBeenCalledOnce();
    expect(dispose).toHaveBeenCalledOnce();

    finish();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    // The quit asked for after dispose passes.
    const last = quitEvent();
    onWillQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  test('a dispose that hangs does not keep the app alive: after the deadline it quits, and says so', async () => {
    vi.useFakeTimers();
    const quit = vi.fn();
    const onProblem = vi.fn();
    const onWillQuit = holdQuitUntilDisposed({
      dispose: () => new Promise<void>(() => undefined),
      quit,
      deadlineMs: 5_000,
      onProblem,
    });
    onWillQuit(quitEvent());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledOnce();
    expect(onProblem).toHaveBeenCalledWith('timeout');
  });

  test('a dispose that fails is reported and the app quits all the same', async () => {
    const quit = vi.fn();
    const onProblem = vi.fn();
    const failure = new Error('vault busy');
    holdQuitUntilDisposed({ dispose: () => Promise.reject(failure), quit, onProblem })(quitEvent());
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    expect(onProblem).toHaveBeenCalledWith('failed', failure);
  });
});
