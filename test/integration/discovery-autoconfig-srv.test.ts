import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:https';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { discoverMailServers, requireMailServers } from '../../electron/services/discovery/mail-discovery';
import { createSrvResolver } from '../../electron/services/discovery/srv-lookup';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';

// --- A loopback HTTPS server that plays autoconfig.<domain> and <domain>/.well-known/ -------------
const AUTOCONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="stadt.example">
    <domain>stadt.example</domain>
    <incomingServer type="pop3"><hostname>pop.stadt.example</hostname><port>995</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
    <incomingServer type="imap"><hostname>imap-plain.stadt.example</hostname><port>143</port><socketType>plain</socketType><username>%EMAILLOCALPART%</username></incomingServer>
    <incomingServer type="imap"><hostname>imap.stadt.example</hostname><port>143</port><socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></incomingServer>
    <incomingServer type="imap"><hostname>mail.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.stadt.example</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
  </emailProvider>
</clientConfig>`;

interface Served {
  status: number;
  body: string;
  location?: string;
}
let routes: Map<string, Served>;
const requests: string[] = [];
let https: Server;
let httpsPort: number;
let cert: ServerCert;
let otherCa: ServerCert;

const connectTo = () => ({ host: '127.0.0.1', port: httpsPort });

// --- A loopback DNS server answering SRV questions (RFC 1035 wire format, UDP) ------------------
let dns: Socket;
let dnsPort: number;
let srvZone: Map<string, Array<{ priority: number; weight: number; port: number; target: string }>>;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function answerDns(msg: Buffer): Buffer {
  let off = 12;
  const labels: string[] = [];
  while (msg[off] !== 0) {
    const len = msg[off] ?? 0;
    labels.push(msg.subarray(off + 1, off + 1 + len).toString('ascii'));
    off += len + 1;
  }
  off += 1;
  const qtype = msg.readUInt16BE(off);
  const question = msg.subarray(12, off + 4);
  const name = labels.join('.').toLowerCase();
  const records = qtype === 33 ? srvZone.get(name) : undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  header.writeUInt16BE(records ? 0x8580 : 0x8583, 2); // response, authoritative, RD, RA; NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records?.length ?? 0, 6);
  const answers = (records ?? []).map((r) => {
    const target = encodeName(r.target);
    const rr = Buffer.alloc(12 + 6);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(33, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(6 + target.length, 10);
    rr.writeUInt16BE(r.priority, 12);
    rr.writeUInt16BE(r.weight, 14);
    rr.writeUInt16BE(r.port, 16);
    return Buffer.concat([rr, target]);
  });
  return Buffer.concat([header, question, ...answers]);
}

beforeAll(async () => {
  cert = makeTestCa(['autoconfig.stadt.example', 'stadt.example', 'autoconfig.leer.example', 'leer.example']);
  otherCa = makeTestCa(['autoconfig.stadt.example', 'stadt.example']);
  https = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const key = `${req.headers.host ?? ''}${req.url ?? ''}`;
    requests.push(key);
    const path = key.replace(/\?.*$/, '');
    const hit = routes.get(path);
    res.writeHead(hit?.status ?? 404, {
      'Content-Type': 'text/xml',
      ...(hit?.location ? { Location: hit.location } : {}),
    });
    res.end(hit?.body ?? 'not found');
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  httpsPort = (https.address() as AddressInfo).port;

  dns = createSocket('udp4');
  dns.on('message', (msg, rinfo) => dns.send(answerDns(msg), rinfo.port, rinfo.address));
  await new Promise<void>((r) => dns.bind(0, '127.0.0.1', r));
  dnsPort = dns.address().port;
});

afterAll(async () => {
  await new Promise<void>((r) => https.close(() => r()));
  await new Promise<void>((r) => dns.close(() => r()));
  rmSync(cert.dir, { recursive: true, force: true });
  rmSync(otherCa.dir, { recursive: true, force: true });
});

beforeEach(() => {
  routes = new Map();
  srvZone = new Map();
  requests.length = 0;
});

describe('mail server discovery', () => {
  it('reads autoconfig.<domain> over verified HTTPS and picks implicit-TLS IMAP, never plain or POP3', async () => {
    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', { status: 200, body: AUTOCONFIG });
    const { servers, attempts } = await discoverMailServers('anna.schmidt@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
    });
    expect(servers).toEqual({
      method: 'autoconfig',
      origin: 'https://autoconfig.stadt.example/mail/config-v1.1.xml',
      imap: { host: 'mail.stadt.example', port: 993, tls: 'tls', username: 'anna.schmidt' },
      smtp: { host: 'smtp.stadt.example', port: 587, tls: 'starttls', username: 'anna.schmidt@stadt.example' },
      domain: 'stadt.example',
      foreignHosts: [],
    });
    expect(attempts[0]).toMatchObject({ method: 'autoconfig', outcome: 'found' });
    expect(requests).toContain(
      'autoconfig.stadt.example/mail/config-v1.1.xml?emailaddress=anna.schmidt%40stadt.example',
    );
  });

  it('falls back to <domain>/.well-known/autoconfig/ when autoconfig.<domain> has nothing', async () => {
    routes.set('stadt.example/.well-known/autoconfig/mail/config-v1.1.xml', { status: 200, body: AUTOCONFIG });
    const { servers, attempts } = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
    });
    expect(servers?.method).toBe('autoconfig-well-known');
    expect(servers?.imap.host).toBe('mail.stadt.example');
    expect(attempts[0]).toMatchObject({ method: 'autoconfig', outcome: 'not-found', detail: 'HTTP 404' });
  });

  it('follows an https redirect but refuses one to http', async () => {
    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', {
      status: 302,
      body: '',
      location: 'https://stadt.example/isp/config.xml',
    });
    routes.set('stadt.example/isp/config.xml', { status: 200, body: AUTOCONFIG });
    const followed = await discoverMailServers('anna@stadt.example', { extraCaPem: [cert.caPem], connectTo });
    expect(followed.servers?.method).toBe('autoconfig');
    expect(followed.servers?.imap.host).toBe('mail.stadt.example');

    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', {
      status: 301,
      body: '',
      location: 'http://stadt.example/isp/config.xml',
    });
    const refused = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(refused.servers).toBeNull();
    expect(refused.attempts[0]).toMatchObject({
      outcome: 'error',
      detail: 'not-https: redirect to http://stadt.example/isp/config.xml',
    });
  });

  it('treats a broken or IMAP-less autoconfig document as nothing found', async () => {
    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', {
      status: 200,
      body: '<clientConfig><emailProvider><incomingServer type="imap">',
    });
    routes.set('stadt.example/.well-known/autoconfig/mail/config-v1.1.xml', {
      status: 200,
      body: AUTOCONFIG.replace(/<incomingServer type="imap">[\s\S]*?<\/incomingServer>/g, ''),
    });
    const { servers, attempts } = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(servers).toBeNull();
    expect(attempts.slice(0, 2).map((a) => a.detail)).toEqual([
      'no usable IMAP server with TLS in the document',
      'no usable IMAP server with TLS in the document',
    ]);
  });

  it('refuses an autoconfig server whose certificate is not trusted, and never tries http', async () => {
    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', { status: 200, body: AUTOCONFIG });
    const { servers, attempts } = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [otherCa.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(servers).toBeNull();
    expect(attempts.slice(0, 2).map((a) => [a.outcome, a.detail?.split(':')[0]])).toEqual([
      ['error', 'tls'],
      ['error', 'tls'],
    ]);
    expect(requests).toEqual([]);
  });

  it('uses RFC 6186 SRV records from a real DNS server when there is no autoconfig', async () => {
    srvZone.set('_imaps._tcp.stadt.example', [
      { priority: 20, weight: 0, port: 993, target: 'backup.stadt.example' },
      { priority: 10, weight: 5, port: 993, target: 'imap.stadt.example' },
    ]);
    srvZone.set('_submissions._tcp.stadt.example', [{ priority: 0, weight: 0, port: 0, target: '.' }]);
    srvZone.set('_submission._tcp.stadt.example', [
      { priority: 0, weight: 1, port: 587, target: 'smtp.stadt.example' },
    ]);
    const { servers, attempts } = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(servers).toEqual({
      method: 'srv',
      origin: '_imaps._tcp.stadt.example',
      imap: { host: 'imap.stadt.example', port: 993, tls: 'tls', username: 'anna@stadt.example' },
      smtp: { host: 'smtp.stadt.example', port: 587, tls: 'starttls', username: 'anna@stadt.example' },
      domain: 'stadt.example',
      foreignHosts: [],
    });
    expect(attempts.map((a) => [a.target, a.outcome])).toEqual([
      ['https://autoconfig.stadt.example/mail/config-v1.1.xml', 'not-found'],
      ['https://stadt.example/.well-known/autoconfig/mail/config-v1.1.xml', 'not-found'],
      ['_imaps._tcp.stadt.example', 'found'],
      ['_submissions._tcp.stadt.example', 'not-found'],
      ['_submission._tcp.stadt.example', 'found'],
    ]);
  });

  it('falls back from _imaps to _imap (STARTTLS)', async () => {
    srvZone.set('_imap._tcp.stadt.example', [{ priority: 0, weight: 0, port: 143, target: 'imap.stadt.example' }]);
    const { servers } = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(servers?.imap).toEqual({
      host: 'imap.stadt.example',
      port: 143,
      tls: 'starttls',
      username: 'anna@stadt.example',
    });
    expect(servers?.smtp).toBeNull();
  });

  it('answers DISCOVERY_FAILED naming what was tried when nothing is found', async () => {
    const err = await requireMailServers('anna@leer.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    }).catch((e: unknown) => e);
    expect(isRatsdeskError(err) && err.code).toBe('DISCOVERY_FAILED');
    expect(isRatsdeskError(err) && err.detail).toContain('_imaps._tcp.leer.example');
    expect(isRatsdeskError(err) && err.detail).toContain('autoconfig.leer.example');
  });

  it("names SRV and autoconfig hosts outside the address's domain as foreign (RFC 6186 §6)", async () => {
    // A forged DNS answer: the city's SRV records point at the attacker's server.
    srvZone.set('_imaps._tcp.stadt.example', [{ priority: 0, weight: 0, port: 993, target: 'imap.angreifer.example' }]);
    srvZone.set('_submission._tcp.stadt.example', [
      { priority: 0, weight: 0, port: 587, target: 'smtp.stadt.example.angreifer.example' },
    ]);
    const srv = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(srv.servers).toMatchObject({
      method: 'srv',
      domain: 'stadt.example',
      foreignHosts: ['imap.angreifer.example', 'smtp.stadt.example.angreifer.example'],
    });

    // An autoconfig document (from the city's own, verified web server) naming a hosted provider.
    routes.set('autoconfig.stadt.example/mail/config-v1.1.xml', {
      status: 200,
      body: AUTOCONFIG.replace('mail.%EMAILDOMAIN%', 'imap.kommunal-it.example'),
    });
    const hosted = await discoverMailServers('anna@stadt.example', { extraCaPem: [cert.caPem], connectTo });
    expect(hosted.servers?.foreignHosts).toEqual(['imap.kommunal-it.example']);

    // The same host preset by the machine policy is the administration's choice: no warning.
    const preset = await discoverMailServers('anna@stadt.example', {
      extraCaPem: [cert.caPem],
      connectTo,
      presetHosts: ['IMAP.Kommunal-IT.example.'],
    });
    expect(preset.servers?.foreignHosts).toEqual([]);
  });

  it('keeps same-domain hosts (the domain itself and names under it) without a warning', async () => {
    srvZone.set('_imaps._tcp.stadt.example', [{ priority: 0, weight: 0, port: 993, target: 'stadt.example' }]);
    srvZone.set('_submissions._tcp.stadt.example', [
      { priority: 0, weight: 0, port: 465, target: 'Mail.Rathaus.Stadt.Example' },
    ]);
    const { servers } = await discoverMailServers('anna@Stadt.Example', {
      extraCaPem: [cert.caPem],
      connectTo,
      resolveSrv: createSrvResolver([`127.0.0.1:${dnsPort}`]),
    });
    expect(servers).toMatchObject({ domain: 'stadt.example', foreignHosts: [] });
    expect(servers?.smtp?.host).toBe('mail.rathaus.stadt.example');
  });

  it('rejects something that is not an e-mail address', async () => {
    await expect(discoverMailServers('anna', {})).rejects.toSatisfy(
      (e) => isRatsdeskError(e) && e.code === 'INVALID_INPUT',
    );
  });
});
