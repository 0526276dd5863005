// Bundled into an init script for the e2e page: it builds window.ratsdesk from the same contract and
// the same api-builder as Electron's preload, but carries calls over Playwright's exposeBinding.
import type { Contract } from '../../../electron/contract';
import { buildApi } from '../../../electron/contract/api-builder';
import { apiRoutes } from '../../../electron/contract/api-routes';
import { unwrapBytes, type WrappedBytes, wrapBytes } from './bytes-transport';

// Base64 in the page: the built-in Uint8Array codec where present (Chromium ≥ 140), else atob/btoa.
type Base64Uint8Array = typeof Uint8Array & { fromBase64?: (text: string) => Uint8Array };
type Base64Bytes = Uint8Array & { toBase64?: () => string };
function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as Base64Uint8Array).fromBase64;
  if (native) return native(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
/** Large results come by reference: fetched once from the host's own origin. */
async function unwrap(wrapped: WrappedBytes): Promise<Uint8Array> {
  if ('__ratsdeskBytes' in wrapped) return fromBase64(wrapped.__ratsdeskBytes);
  const response = await fetch(wrapped.__ratsdeskBytesRef, { cache: 'no-store' });
  if (!response.ok) throw new Error(`bytes not available (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Base64Bytes).toBase64;
  if (native) return native.call(bytes);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

interface BridgeWindow {
  __ratsdeskInvoke(channel: string, input: unknown): Promise<unknown>;
  __ratsdeskEmit(channel: string, payload: unknown): void;
  ratsdesk: unknown;
}
const w = globalThis as unknown as BridgeWindow;

w.__ratsdeskEmit = (channel, payload) => {
  void unwrapBytes(payload, unwrap).then((decoded) => {
    for (const l of listeners.get(channel) ?? []) l(decoded);
  });
};

const api = buildApi<Contract>(
  apiRoutes,
  async (channel, input) =>
    unwrapBytes(
      await w.__ratsdeskInvoke(
        channel,
        wrapBytes(input, (b) => ({ __ratsdeskBytes: toBase64(b) })),
      ),
      unwrap,
    ),
  (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
    return () => set.delete(listener);
  },
);
Object.defineProperty(w, 'ratsdesk', { value: api, writable: false, configurable: false });
