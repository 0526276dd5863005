import { type Contract, channelOf, type EmitterOf, type RatsdeskApi } from '../../../electron/contract';
import { buildApi } from '../../../electron/contract/api-builder';
import { apiRoutes } from '../../../electron/contract/api-routes';
import type { ServicesOptions } from '../../../electron/services/app-services';
import { type ServiceHost, startServiceHost } from './service-host';

/** The app's own origin in Electron: the sender every call of this renderer comes from. */
const SENDER = { url: 'app://ratsdesk/index.html', isMainFrame: true };

export interface NodeRenderer {
  host: ServiceHost;
  api: RatsdeskApi;
  /** The channel of every call the renderer made, in order. */
  calls: string[];
  close(): Promise<void>;
}

/**
 * The renderer's stores in Node, without Chromium: `window.ratsdesk` built by the contract's api-builder
 * (as the preload builds it) over the real services' dispatcher, events delivered in-process. For tests of
 * what the stores hold and do; what a person sees is tested in Chromium.
 */
export function startNodeRenderer(options: Partial<ServicesOptions> = {}): NodeRenderer {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const emit: EmitterOf<Contract> = (domain, name, payload) => {
    for (const listener of listeners.get(channelOf(domain, name)) ?? []) listener(payload);
  };
  const host = startServiceHost(options, emit, (sender) => sender.isMainFrame && sender.url === SENDER.url);
  const calls: string[] = [];
  const api = buildApi<Contract>(
    apiRoutes,
    (channel, input) => {
      calls.push(channel);
      return host.dispatch(SENDER, channel, input);
    },
    (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  );
  Object.defineProperty(globalThis, 'window', { value: { ratsdesk: api }, configurable: true });
  return {
    host,
    api,
    calls,
    async close() {
      Reflect.deleteProperty(globalThis, 'window');
      await host.close();
    },
  };
}
