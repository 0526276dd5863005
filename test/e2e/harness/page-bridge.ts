// Bundled into an init script for the e2e page: it builds window.ratsdesk from the same contract and
// the same api-builder as Electron's preload, but carries calls over Playwright's exposeBinding.
import { buildApi } from '../../../electron/contract/api-builder';
import { contract } from '../../../electron/contract';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

interface BridgeWindow {
  __ratsdeskInvoke(channel: string, input: unknown): Promise<unknown>;
  __ratsdeskEmit(channel: string, payload: unknown): void;
  ratsdesk: unknown;
}
const w = globalThis as unknown as BridgeWindow;

w.__ratsdeskEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l(payload);
};

const api = buildApi(
  contract,
  (channel, input) => w.__ratsdeskInvoke(channel, input),
  (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
    return () => set.delete(listener);
  },
);
Object.defineProperty(w, 'ratsdesk', { value: api, writable: false, configurable: false });
