import { create } from 'zustand';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { LockReason } from '../../../../electron/contract/lock';
import { runLockHandlers } from '../../app/lock-registry';
import { api } from '../../ratsdesk-api';
import './clear-feature-stores';

interface LockStoreState {
  locked: boolean;
  reason: LockReason | null;
  /** Lock after this long without input; from the policy (idleLockMinutes). */
  idleMs: number;
  busy: boolean;
  error: ErrorInfo | undefined;
  /** Reads the lock state and the idle time, and listens for the host locking the app (OS lock). */
  init(): () => void;
  lockNow(reason: LockReason): Promise<void>;
  unlock(password: string): Promise<boolean>;
}

function dropContent(set: (s: Partial<LockStoreState>) => void, reason: LockReason) {
  // Content leaves the screen and the stores first, before anything asynchronous.
  set({ locked: true, reason, error: undefined, busy: false });
  runLockHandlers();
}

export const useLock = create<LockStoreState>((set, get) => ({
  locked: false,
  reason: null,
  idleMs: 15 * 60_000,
  busy: false,
  error: undefined,

  init() {
    void api()
      .lock.state()
      .then((r) => {
        if (!r.ok) return;
        set({ idleMs: r.value.idleMs });
        if (r.value.locked && !get().locked) dropContent(set, r.value.reason ?? 'demand');
      });
    return api().lock.onLocked(({ reason }) => {
      if (!get().locked) dropContent(set, reason);
    });
  },

  async lockNow(reason) {
    if (get().locked) return;
    dropContent(set, reason);
    const r = await api().lock.lock({ reason });
    // Without an account there is nothing to lock (and no password to unlock with).
    if (r.ok && !r.value.locked) set({ locked: false, reason: null });
  },

  async unlock(password) {
    set({ busy: true, error: undefined });
    const r = await api().lock.unlock({ password });
    if (r.ok && !r.value.locked) {
      set({ locked: false, reason: null, busy: false, error: undefined, idleMs: r.value.idleMs });
      return true;
    }
    set({ busy: false, error: r.ok ? undefined : r.error });
    return false;
  },
}));
