import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fetchRemoteImage, type ResolvedAddress } from '../../electron/services/mail/remote-image-fetch';
import { solidPng } from '../support/png-image';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';

// Remote images after consent (issue #10 item 10), against real TLS listeners on loopback: a mail may name
// any URL, so the app must not become a way into the laptop or the city's network.
const PNG = solidPng(4, 4, [0, 128, 0]);

let ca: ServerCert;
const hits = { a: [] as string[], b: [] as string[], v6: [] as string[] };
let port = 0;
const servers: Server[] = [];
let trickle: Server;
let tricklePort = 0;

function listen(server: Server, host: string, wanted = 0): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(wanted, host, () => ok((server.address() as AddressInfo).port));
  });
}

function imageServer(name: keyof typeof hits): Server {
  return createServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
    hits[name].push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
}

const trust = () => ({ extraCaPem: [ca.caPem] });
const PNG_URL = `data:image/png;base64,${PNG.toString('base64')}`;

beforeAll(async () => {
  ca = makeTestCa(['bilder.stadt.example', 'localhost'], ['127.0.0.1', '127.0.0.2', '::1']);
  // The same port on 127.0.0.1, 127.0.0.2 and ::1: only the address decides which listener is reached.
  const a = imageServer('a');
  port = await listen(a, '127.0.0.1');
  servers.push(a);
  const b = imageServer('b');
  await listen(b, '127.0.0.2', port);
  servers.push(b);
  const v6 = imageServer('v6');
  await listen(v6, '::1', port).then(
    () => servers.push(v6),
    () => undefined, // no IPv6 loopback on this machine: the [::1] case is still refused before connecting
  );
  // Answers an image one byte every 200 ms, for ever: only a total deadline ends it.
  trickle = createServer({ cert: ca.certPem, key: ca.keyPem }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    const timer = setInterval(() => res.write(Buffer.from([0])), 200);
    res.on('close', () => clearInterval(timer));
  });
  tricklePort = await listen(trickle, '127.0.0.1');
});

afterAll(async () => {
  trickle?.closeAllConnections();
  for (const s of [...servers, trickle]) await new Promise((ok) => s?.close(ok));
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const list of Object.values(hits)) list.length = 0;
});

describe('remote images reach public addresses only (real listeners on loopback)', () => {
  test('a loopback address is refused before any connection; the policy can name it as an internal host', async () => {
    const url = `https://127.0.0.1:${port}/wappen.png`;
    expect(await fetchRemoteImage(url, { trust: trust() })).toEqual({ refused: 'not-public' });
    expect(hits.a).toEqual([]);
    expect(await fetchRemoteImage(url, { trust: trust(), internalHosts: ['127.0.0.1'] })).toEqual({ dataUrl: PNG_URL });
    expect(hits.a).toEqual(['/wappen.png']);
  });

  test('IPv6 loopback, IPv4-mapped loopback and a name that resolves to loopback are refused too', async () => {
    for (const url of [
      `https://[::1]:${port}/a.png`,
      `https://[::ffff:127.0.0.1]:${port}/b.png`,
      `https://localhost:${port}/c.png`,
    ]) {
      expect(await fetchRemoteImage(url, { trust: trust() }), url).toEqual({ refused: 'not-public' });
    }
    expect([...hits.a, ...hits.v6]).toEqual([]);
  });

  test('a name with one public and one internal address is refused', async () => {
    const resolve = async (): Promise<ResolvedAddress[]> => [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const url = `https://bilder.stadt.example:${port}/x.png`;
    expect(await fetchRemoteImage(url, { trust: trust(), resolve })).toEqual({ refused: 'not-public' });
    expect(hits.a).toEqual([]);
  });

  test('the connection goes to the address that was checked: a second DNS answer is never asked for', async () => {
    // A resolver whose answer changes after the first question (DNS rebinding): 127.0.0.1, then 127.0.0.2.
    const asked: string[] = [];
    const resolve = async (name: string): Promise<ResolvedAddress[]> => {
      asked.push(name);
      return [{ address: asked.length === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const url = `https://bilder.stadt.example:${port}/wappen.png`;
    const result = await fetchRemoteImage(url, { trust: trust(), resolve, internalHosts: ['Bilder.Stadt.Example'] });
    expect(result).toEqual({ dataUrl: PNG_URL });
    expect(asked).toEqual(['bilder.stadt.example']);
    expect(hits.a).toEqual(['/wappen.png']);
    expect(hits.b).toEqual([]);
  });

  test('a public answer is connected to as checked, never re-resolved into loopback', async () => {
    let asked = 0;
    const resolve = async (): Promise<ResolvedAddress[]> => {
      asked++;
      // First a public address (nothing answers there on this machine), then loopback.
      return [{ address: asked === 1 ? '192.88.98.1' : '127.0.0.1', family: 4 }];
    };
    const url = `https://bilder.stadt.example:${port}/wappen.png`;
    const result = await fetchRemoteImage(url, { trust: trust(), resolve, deadlineMs: 1500 });
    expect('refused' in result).toBe(true);
    expect(asked).toBe(1);
    expect(hits.a).toEqual([]);
  });

  test('one deadline covers the whole load: a server trickling bytes cannot hold it open', async () => {
    const started = Date.now();
    const result = await fetchRemoteImage(`https://127.0.0.1:${tricklePort}/langsam.png`, {
      trust: trust(),
      internalHosts: ['127.0.0.1'],
      deadlineMs: 1500,
    });
    expect(result).toEqual({ refused: 'deadline' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('http is refused without a connection', async () => {
    expect(await fetchRemoteImage(`http://127.0.0.1:${port}/x.png`, { internalHosts: ['127.0.0.1'] })).toEqual({
      refused: 'not-https',
    });
  });
});
