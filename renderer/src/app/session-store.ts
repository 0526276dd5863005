import { create } from 'zustand';
import type { AccountSettings, ConnectInput } from '../../../electron/contract/account';
import type { ErrorInfo } from '../../../electron/contract/errors';
import { api } from '../ratsdesk-api';
import { startCallOr } from './start-calls';

type Phase = 'starting' | 'restoring' | 'setup' | 'connecting' | 'inbox';

interface SessionState {
  phase: Phase;
  account: AccountSettings | undefined;
  error: ErrorInfo | undefined;
  /** On start: connect with the saved account, or show the setup form. */
  start(): Promise<void>;
  connect(input: ConnectInput): Promise<void>;
  forget(): Promise<void>;
}

export const useSession = create<SessionState>((set) => ({
  phase: 'starting',
  account: undefined,
  error: undefined,

  async start() {
    // The first start takes the answers asked when the start script ran (start-calls.ts); later ones ask.
    const status = await startCallOr('status', undefined, () => api().account.status());
    if (!status.ok) {
      // Locked (e.g. the app started locked): the lock screen shows, and unlocking starts again.
      if (status.error.code === 'APP_LOCKED') set({ phase: 'starting', error: undefined });
      else set({ phase: 'setup', error: status.error });
      return;
    }
    if (!status.value.configured) {
      set({ phase: 'setup', account: status.value.account, error: undefined });
      return;
    }
    set({ phase: 'restoring', account: status.value.account });
    const restored = await startCallOr('restore', undefined, () => api().account.restore());
    if (restored.ok) set({ phase: 'inbox', account: restored.value.account, error: undefined });
    else set({ phase: 'setup', error: restored.error });
  },

  async connect(input) {
    set({ phase: 'connecting', error: undefined });
    const { password: _password, ...account } = input;
    const result = await api().account.connect(input);
    if (result.ok) set({ phase: 'inbox', account: result.value.account, error: undefined });
    else set({ phase: 'setup', account, error: result.error });
  },

  async forget() {
    await api().account.forget();
    set({ phase: 'setup', error: undefined });
  },
}));
