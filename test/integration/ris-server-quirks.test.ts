import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { OparlClient, type OparlClientOptions } from '../../electron/services/ris/oparl-client';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';

// What real council servers do that the spec does not (issue 14), against the loopback OParl server
// made to behave that way: transient 500s, one Body instead of a body list, http:// ids, slow answers.

let server: OparlTestServer;
const clients: OparlClient[] = [];

function client(extra: Partial<OparlClientOptions> = {}): OparlClient {
  const c = new OparlClient({
    allowedOrigins: [server.origin],
    extraCaPem: [server.caPem],
    retry: { baseMs: 20 },
    ...extra,
  });
  clients.push(c);
  return c;
}

async function collect<T>(pages: AsyncIterable<{ objects: T[]; insecure: boolean }>) {
  const objects: T[] = [];
  const insecure: boolean[] = [];
  for await (const page of pages) {
    objects.push(...page.objects);
    insecure.push(page.insecure);
  }
  return { objects, insecure };
}

async function errorOf(p: Promise<unknown>): Promise<RatsdeskError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RatsdeskError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

const pageRequests = (list: string, page: number) =>
  server.requestLog.filter((u) => u.includes(`/${list}?page=${page}`) || (page === 1 && u.endsWith(`/${list}`))).length;

beforeAll(async () => {
  server = await startOparlServer({ papers: 250, meetings: 25, pageSize: 50 });
});
afterEach(() => {
  server.resetChanges();
  server.resetRequests();
  for (const key of Object.keys(server.misbehave)) delete (server.misbehave as Record<string, unknown>)[key];
  while (clients.length) clients.pop()?.dispose();
});
afterAll(async () => {
  await server.stop();
});

describe('transient server errors', () => {
  test('a 500 on one page is retried; the list completes with every object, that page asked twice', async () => {
    const c = client();
    server.misbehave.errorPage = { list: 'paper', page: 3 };
    const { objects } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(objects).toHaveLength(250);
    expect(new Set(objects.map((o) => o.id)).size).toBe(250);
    expect(pageRequests('papers', 3)).toBe(2);
    expect(server.requests).toBe(5 + 1);
  });

  test('503 with Retry-After and 502 are retried too; a 404 is not', async () => {
    const c = client();
    server.misbehave.errorPage = { list: 'meeting', page: 1, status: 503, retryAfter: '0', times: 2 };
    expect((await collect(c.listPages('Meeting', server.generated.lists.meeting))).objects).toHaveLength(25);
    expect(pageRequests('meetings', 1)).toBe(3);

    server.resetRequests();
    server.misbehave.errorPage = { list: 'meeting', page: 1, status: 404, times: 5 };
    const err = await errorOf(collect(c.listPages('Meeting', server.generated.lists.meeting)));
    expect(err.code).toBe('RIS_HTTP_ERROR');
    expect(pageRequests('meetings', 1)).toBe(1);
  });

  test('a page that keeps failing gives up after 3 attempts, after the pages before it; the detail names the page', async () => {
    const c = client();
    server.misbehave.errorPage = { list: 'paper', page: 2, times: 100 };
    const seen: Array<{ url: string; next: string | undefined }> = [];
    const err = await errorOf(
      (async () => {
        for await (const page of c.listPages('Paper', server.generated.lists.paper)) seen.push(page);
      })(),
    );
    expect(err.code).toBe('RIS_HTTP_ERROR');
    expect(pageRequests('papers', 2)).toBe(3);
    // Where to resume: the first page's `next`, the failed page.
    expect(seen.map((p) => p.next)).toEqual([`${server.generated.lists.paper}?page=2`]);
    // The full URL with its query, so the helpdesk sees which page it was.
    expect(err.detail).toBe(`HTTP 500 for ${server.generated.lists.paper}?page=2 (3 attempts)`);
  });

  test('a dropped connection and an answer cut off mid-body are asked again; the list completes', async () => {
    const c = client();
    server.misbehave.errorPage = { list: 'paper', page: 2, kind: 'reset' };
    expect((await collect(c.listPages('Paper', server.generated.lists.paper))).objects).toHaveLength(250);
    expect(pageRequests('papers', 2)).toBe(2);

    server.resetRequests();
    server.misbehave.errorPage = { list: 'paper', page: 4, kind: 'cut' };
    const { objects } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(new Set(objects.map((o) => o.id)).size).toBe(250);
    expect(pageRequests('papers', 4)).toBe(2);
  });

  test('a page that does not answer in time is asked again; one that never answers fails with RIS_TIMEOUT naming it', async () => {
    // Long enough that a normal answer arrives in time on a busy machine; the stalled page never does.
    const c = client({ timeoutMs: 1500 });
    server.misbehave.errorPage = { list: 'meeting', page: 1, kind: 'stall' };
    expect((await collect(c.listPages('Meeting', server.generated.lists.meeting))).objects).toHaveLength(25);
    expect(pageRequests('meetings', 1)).toBe(2);

    server.resetRequests();
    server.misbehave.errorPage = { list: 'meeting', page: 1, kind: 'stall', times: 100 };
    const err = await errorOf(collect(c.listPages('Meeting', server.generated.lists.meeting)));
    expect(err.code).toBe('RIS_TIMEOUT');
    expect(err.detail).toBe(`${server.generated.lists.meeting} after 1500 ms (3 attempts)`);
    expect(pageRequests('meetings', 1)).toBe(3);
  });

  test('error details keep the full URL but never the credentials in it', async () => {
    const c = client({ retry: { maxAttempts: 1 } });
    server.misbehave.errorPage = { list: 'meeting', page: 1, times: 100 };
    const withCredentials = server.generated.lists.meeting.replace('https://', 'https://ratsdesk:Geheim-123@');
    const err = await errorOf(collect(c.listPages('Meeting', `${withCredentials}?body=1`)));
    expect(err.code).toBe('RIS_HTTP_ERROR');
    expect(err.detail).toBe(`HTTP 500 for ${server.generated.lists.meeting}?body=1`);
    expect(err.detail).not.toContain('Geheim');
  });
});

describe('odd endpoints', () => {
  test('a /body answering one Body object (not a list) is accepted and listed as a deviation', async () => {
    const c = client();
    server.misbehave.bodyListAsObject = true;
    const system = await c.getSystem(server.generated.systemUrl);
    const bodies = await c.getBodies(system);
    expect(bodies.map((b) => [b.id, b.name])).toEqual([[server.generated.bodyUrl, 'Stadt Beispielstadt (Testsystem)']]);
    expect(c.deviations()).toEqual([{ code: 'list-is-object', url: system.body }]);
  });
});

describe('systems that publish http:// URLs', () => {
  test('http ids of a server that also speaks https are read over https; nothing goes in clear', async () => {
    const c = client();
    server.misbehave.httpIds = 'dual';
    server.misbehave.setCookie = true;
    const system = await c.getSystem(server.generated.systemUrl);
    expect(system.body).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const [body] = await c.getBodies(system);
    const papers = await collect(c.listPages('Paper', body?.paper as string));
    expect(papers.objects).toHaveLength(250);
    expect(papers.insecure.every((i) => i === false)).toBe(true);
    expect(server.plainHttpHeaders).toEqual([]);
    expect(c.deviations()).toEqual([{ code: 'http-urls', url: server.origin.replace('https:', 'http:') }]);
  });

  test('the real ALLRIS systems of Erkelenz and Märkisch-Oderland (http ids) are read over https', async () => {
    const c = client();
    for (const slug of ['stadt-erkelenz', 'landkreis-markisch-oderland']) {
      const fx = server.fixtureSystems.find((s) => s.slug === slug);
      expect(fx?.systemUrl).toMatch(/^http:\/\//);
      const system = await c.getSystem(fx?.systemUrl as string);
      const bodies = await c.getBodies(system);
      expect(bodies[0]?.name).toBe(fx?.bodyName);
    }
    expect(server.plainHttpHeaders).toEqual([]);
  });

  test('a server that speaks only http is refused with RIS_HTTP_ONLY naming it; nothing is sent in clear', async () => {
    const c = client();
    server.misbehave.httpIds = 'http-only';
    const system = await c.getSystem(server.generated.systemUrl);
    const err = await errorOf(c.getBodies(system));
    expect(err.code).toBe('RIS_HTTP_ONLY');
    expect(err.detail).toBe(server.httpOnlyOrigin);
    expect(server.plainHttpHeaders).toEqual([]);
  });

  test('…unless the machine policy lists that origin: then the data is read in clear, marked, without credentials or cookies', async () => {
    const c = client({ insecureHttpOrigins: [server.httpOnlyOrigin] });
    server.misbehave.httpIds = 'http-only';
    server.misbehave.setCookie = true;
    // Credentials in a URL would become an Authorization header: never over http.
    const system = await c.getSystem(server.generated.systemUrl.replace('https://', 'https://ratsdesk:Geheim-123@'));
    const [body] = await c.getBodies(system);
    const papers = await collect(
      c.listPages('Paper', (body?.paper as string).replace('http://', 'http://ratsdesk:Geheim-123@')),
    );
    expect(papers.objects).toHaveLength(250);
    expect(papers.insecure.every((i) => i === true)).toBe(true);
    expect(server.plainHttpHeaders.length).toBeGreaterThanOrEqual(6);
    for (const headers of server.plainHttpHeaders) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
    }
    expect(c.deviations()).toEqual([{ code: 'http-only', url: server.httpOnlyOrigin }]);
    const paper = papers.objects[0];
    const main = paper?.mainFile;
    if (typeof main !== 'object') throw new Error('embedded');
    const file = await c.downloadFile(main);
    expect(file.insecure).toBe(true);
    expect(file.bytes.equals(server.generated.fileBytes(0))).toBe(true);
  });
});

describe('pages at once', () => {
  test('numbered pages (links.last) are fetched up to 3 at once, each once, in order, ≤ 3 in flight', async () => {
    const c = client();
    // Long enough that requests sent together overlap at the server even on a busy machine.
    server.misbehave.latencyMs = 300;
    const pageUrls: string[] = [];
    for await (const page of c.listPages('Paper', server.generated.lists.paper)) pageUrls.push(page.url);
    expect(pageUrls).toEqual([
      server.generated.lists.paper,
      ...[2, 3, 4, 5].map((p) => `${server.generated.lists.paper}?page=${p}`),
    ]);
    expect(server.requests).toBe(5);
    expect(server.maxConcurrent).toBe(3);
  });

  test('an incremental list keeps its raw modified_since while pages are predicted', async () => {
    const c = client();
    server.misbehave.rejectEncodedModifiedSince = true;
    server.misbehave.latencyMs = 300; // as above: pages 2 and 3 overlap
    const since = new Date(Date.now() - 1000);
    for (let n = 0; n < 120; n++) server.touch('paper', n);
    const { objects } = await collect(c.listPages('Paper', server.generated.lists.paper, { modifiedSince: since }));
    expect(objects).toHaveLength(120);
    expect(server.requests).toBe(3);
    expect(server.maxConcurrent).toBeGreaterThan(1);
  });

  test('opaque next links (no page numbers) are followed one after the other', async () => {
    const c = client();
    server.misbehave.opaqueNextLinks = true;
    server.misbehave.latencyMs = 30;
    const { objects } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(objects).toHaveLength(250);
    expect(server.requests).toBe(5);
    expect(server.maxConcurrent).toBe(1);
  });

  test('a predicted page that the server does not link is dropped and `next` followed instead', async () => {
    const c = client();
    server.misbehave.latencyMs = 30;
    // Page 3 links back to page 2: the predicted pages 4–5 are dropped, the loop is reported.
    server.misbehave.nextCycle = { list: 'paper', fromPage: 3, toPage: 2 };
    const seen: number[] = [];
    const err = await errorOf(
      (async () => {
        for await (const page of c.listPages('Paper', server.generated.lists.paper)) seen.push(page.objects.length);
      })(),
    );
    expect(err.code).toBe('RIS_PAGING_LOOP');
    expect(seen).toEqual([50, 50, 50]);
  });
});
