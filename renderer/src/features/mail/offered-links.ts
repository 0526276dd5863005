/**
 * Which links of a mail the reading pane offers to open (issue #19 item 8): https links to a named host, and
 * mailto:. An http link would leave the app unencrypted, and a link to an IP address or to localhost points
 * at the laptop or the network it sits in (a router, a printer, a service on the laptop) — a mail has no
 * business there. Those stay visible as text, without a button. Council links are not judged here: they open
 * in the council viewer inside the app, under its own rules.
 */
const IPV4_LITERAL = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function isOfferedLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'mailto:') return true;
  if (parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.toLowerCase();
  if (host === '' || host.startsWith('[') || IPV4_LITERAL.test(host)) return false;
  return host !== 'localhost' && !host.endsWith('.localhost');
}
