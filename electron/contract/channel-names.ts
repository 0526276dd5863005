// The names on the wire, without zod: the preload needs them, not the schemas (api-routes.ts).

export function channelOf(domain: string, name: string): string {
  return `ratsdesk:${domain}:${name}`;
}

export function eventListenerName(name: string): string {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
