import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses are public: the only ones a mail may make the app connect to (remote images after
 * consent, issue #10 item 10). A hostile mail names its image as https://intranet.stadt.local/… or
 * https://[fd00::1]/…; without this check, the laptop fetches it from inside the city's network (or from the
 * VPN, or from a service on the laptop itself) and the answer's timing and size tell the sender what is there.
 *
 * Refused: this network, loopback, RFC 1918 private, CGNAT (RFC 6598), link-local, the IETF, documentation,
 * benchmarking and 6to4-relay blocks, multicast and reserved space; in IPv6 the unspecified and loopback
 * addresses, IPv4-compatible, discard, Teredo, ORCHID, documentation, ULA (fc00::/7), link- and site-local
 * and multicast. An IPv6 address that carries an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96,
 * 6to4 2002::/16) is judged by the IPv4 address inside it.
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed in old networks)
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail); null when it is not one. */
export function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...(rest === undefined ? [] : Array<string>(missing).fill('0')), ...right];
  return groups.length === 8 ? groups.map((g) => parseInt(g, 16)) : null;
}

function embeddedIpv4(groups: readonly number[]): string {
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
}

/** Is this IP address public (see above)? Anything that is not an IP address is not. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const groups = ipv6Groups(address);
  if (!groups) return false;
  const [g0, g1, g2, g3, g4, g5] = groups as [number, number, number, number, number, number];
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): the IPv4 address inside decides.
  if (
    (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) ||
    (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
  ) {
    return isPublicAddress(embeddedIpv4(groups));
  }
  // 6to4 (2002:aabb:ccdd::/48): the IPv4 address in groups 1 and 2 decides.
  if (g0 === 0x2002) return isPublicAddress([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff].join('.'));
  return !NON_PUBLIC.check(address.split('%')[0]!, 'ipv6');
}
