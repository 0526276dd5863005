import type { RatsdeskApi } from '../../electron/contract';

declare global {
  interface Window {
    /** Built by the preload from the contract; the renderer's only way to the services. */
    readonly ratsdesk: RatsdeskApi;
  }
}

export function api(): RatsdeskApi {
  return window.ratsdesk;
}
