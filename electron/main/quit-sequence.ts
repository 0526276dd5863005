/** How long quitting waits for the services (IMAP logout, vault close) before it goes on anyway. */
export const QUIT_DEADLINE_MS = 5_000;

export interface QuitSequenceDeps {
  /** Closes every service (Services.dispose). */
  dispose(): Promise<void>;
  /** Quits again once the services are closed (Electron: app.quit, so 'quit' listeners still run). */
  quit(): void;
  deadlineMs?: number;
  /** Told when dispose failed or did not finish in time (the app quits all the same). */
  onProblem?(what: 'timeout' | 'failed', err?: unknown): void;
}

/**
 * The `will-quit` listener: the first quit is held (preventDefault) until the services are disposed or the
 * deadline passed, then the app quits again and that quit goes through. Quits asked for while the services
 * close are held too and change nothing.
 */
export function holdQuitUntilDisposed(deps: QuitSequenceDeps): (event: { preventDefault(): void }) => void {
  let phase: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase === 'closing') return;
    phase = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deps.deadlineMs ?? QUIT_DEADLINE_MS);
    });
    let disposing: Promise<void>;
    try {
      disposing = deps.dispose();
    } catch (err) {
      disposing = Promise.reject(err);
    }
    const disposed = disposing.then(
      () => 'done' as const,
      (err: unknown) => {
        deps.onProblem?.('failed', err);
        return 'failed' as const;
      },
    );
    void Promise.race([disposed, deadline]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === 'timeout') deps.onProblem?.('timeout');
      phase = 'closed';
      deps.quit();
    });
  };
}
