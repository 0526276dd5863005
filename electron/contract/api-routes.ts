import { callRoutes, eventRoutes } from './dispatch';
import { contract } from './index';

/** The calls and events of `window.ratsdesk`, each as [domain, name]. */
export interface ApiRoutes {
  readonly calls: readonly (readonly [string, string])[];
  readonly events: readonly (readonly [string, string])[];
}

/**
 * What the preload (and the e2e page bridge) needs of the contract: its names, not its schemas. Their builds
 * replace this module by its value, computed at build time (scripts/contract-routes-plugin.mjs): building the
 * contract's zod schemas in every window, before the page's first script runs, only to read their names,
 * cost the start more than any other script (#15 target 4).
 */
export const apiRoutes: ApiRoutes = {
  calls: callRoutes(contract).map((r) => [r.domain, r.name] as const),
  events: eventRoutes(contract).map((r) => [r.domain, r.name] as const),
};
