import type { ApiRoutes } from './api-routes';
import { channelOf, eventListenerName } from './channel-names';
import type { ApiOf, ContractDef } from './define';

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds `window.ratsdesk` from the contract's routes (api-routes.ts): one function per call, one `onX` per
 * event, and nothing else (no generic invoke). The Electron preload and the e2e page bridge both use it.
 */
export function buildApi<C extends ContractDef>(routes: ApiRoutes, invoke: Invoke, subscribe: Subscribe): ApiOf<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [domainName, name] of routes.calls) {
    const domain = (api[domainName] ??= {});
    const channel = channelOf(domainName, name);
    domain[name] = (input: unknown) => invoke(channel, input);
  }
  for (const [domainName, name] of routes.events) {
    const domain = (api[domainName] ??= {});
    const channel = channelOf(domainName, name);
    domain[eventListenerName(name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return subscribe(channel, listener);
    };
  }
  for (const domain of Object.values(api)) Object.freeze(domain);
  return Object.freeze(api) as ApiOf<C>;
}
