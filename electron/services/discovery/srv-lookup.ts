import { Resolver, type SrvRecord } from 'node:dns';

/** Looks up SRV records; injectable so tests use a loopback DNS server or a fake. */
export type SrvResolver = (name: string) => Promise<SrvRecord[]>;

/** A node:dns resolver, optionally against specific DNS servers (e.g. ['127.0.0.1:5353'] in tests). */
export function createSrvResolver(servers?: readonly string[], timeoutMs = 3000): SrvResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return (name) =>
    new Promise((resolve, reject) => {
      resolver.resolveSrv(name, (err, records) => (err ? reject(err) : resolve(records)));
    });
}

/** RFC 2782 order: lowest priority first, then highest weight. A target of "." means "no service". */
export function bestSrv(records: readonly SrvRecord[]): SrvRecord | undefined {
  const usable = records.filter((r) => r.name !== '' && r.name !== '.' && r.port > 0);
  return [...usable].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
}
