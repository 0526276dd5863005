import type { ApiOf, ContractDef } from './define';
import { eventListenerName } from './define';
import { callRoutes, eventRoutes } from './dispatch';

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds `window.ratsdesk` from the contract: one function per call, one `onX` per event, and
 * nothing else (no generic invoke). The Electron preload and the e2e page bridge both use it.
 */
export function buildApi<C extends ContractDef>(contract: C, invoke: Invoke, subscribe: Subscribe): ApiOf<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const route of callRoutes(contract)) {
    const domain = (api[route.domain] ??= {});
    const channel = route.channel;
    domain[route.name] = (input: unknown) => invoke(channel, input);
  }
  for (const route of eventRoutes(contract)) {
    const domain = (api[route.domain] ??= {});
    const channel = route.channel;
    domain[eventListenerName(route.name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return subscribe(channel, listener);
    };
  }
  for (const domain of Object.values(api)) Object.freeze(domain);
  return Object.freeze(api) as ApiOf<C>;
}
