import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { OparlClient } from '../../electron/services/ris/oparl-client';
import type { OparlMeeting, OparlPaper } from '../../electron/services/ris/oparl-schemas';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { makeTestCa } from '../servers/tls-ca';

let server: OparlTestServer;
const clients: OparlClient[] = [];

function client(extra: Partial<ConstructorParameters<typeof OparlClient>[0]> = {}): OparlClient {
  const c = new OparlClient({ allowedOrigins: [server.origin], extraCaPem: [server.caPem], ...extra });
  clients.push(c);
  return c;
}

async function collect<T>(pages: AsyncIterable<{ objects: T[]; errors: unknown[] }>) {
  const objects: T[] = [];
  const errors: unknown[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    objects.push(...page.objects);
    errors.push(...page.errors);
  }
  return { objects, errors, pages: count };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof RatsdeskError ? err.code : `not a RatsdeskError: ${String(err)}`;
  }
  return 'no error';
}

beforeAll(async () => {
  server = await startOparlServer({ papers: 250, meetings: 25, pageSize: 100 });
});
afterEach(() => {
  server.resetChanges();
  for (const key of Object.keys(server.misbehave)) delete (server.misbehave as Record<string, unknown>)[key];
  while (clients.length) clients.pop()?.dispose();
});
afterAll(async () => {
  await server.stop();
});

describe('OParl client against the loopback OParl server', () => {
  test('reads the OParl 1.0 and 1.1 spec examples: System → Body → lists with embedded objects', async () => {
    const c = client();
    for (const version of ['1.0', '1.1'] as const) {
      const system = await c.getSystem(server.spec[version]);
      expect(system.name).toBe('Beispiel-System');
      const [body] = await c.getBodies(system);
      expect(body?.name).toBe('Stadt Köln, kreisfreie Stadt');
      const papers = await collect(c.listPages('Paper', body?.paper as string));
      expect(papers.objects).toHaveLength(1);
      const paper = papers.objects[0] as OparlPaper;
      expect(paper.reference).toBe('1234/2014');
      expect(typeof paper.mainFile === 'object' && paper.mainFile.fileName).toBe('anlage_1_zur_anfrage.pdf');
      expect(paper.consultation).toHaveLength(1);
      const meetings = await collect(c.listPages('Meeting', body?.meeting as string));
      const meeting = meetings.objects[0] as OparlMeeting;
      expect(meeting.name).toBe('4. Sitzung des Finanzausschusses');
      // 1.0 references the location, 1.1 embeds it: both are accepted.
      expect(version === '1.0' ? typeof meeting.location : typeof meeting.location).toBe(
        version === '1.0' ? 'string' : 'object',
      );
      expect(meeting.agendaItem).toHaveLength(1);
    }
  });

  test('reads the System and Body of all 29 real German endpoints (rewritten to loopback)', async () => {
    const c = client();
    expect(server.fixtureSystems).toHaveLength(29);
    for (const fx of server.fixtureSystems) {
      const system = await c.getSystem(fx.systemUrl);
      const bodies = await c.getBodies(system);
      expect(bodies, fx.slug).toHaveLength(1);
      expect(bodies[0]?.name, fx.slug).toBe(fx.bodyName);
      const papers = await collect(c.listPages('Paper', bodies[0]?.paper as string));
      expect(papers.objects).toEqual([]);
    }
    // Leipzig's system is named "N/A" and its body has created: "" — both read as absent.
    const leipzig = server.fixtureSystems.find((s) => s.slug === 'stadt-leipzig');
    const system = await c.getSystem(leipzig?.systemUrl as string);
    expect(system.name).toBeUndefined();
    expect((await c.getBodies(system))[0]?.created).toBeUndefined();
  });

  test('pages through a generated list via links.next, fetching each page once', async () => {
    const c = client();
    server.resetRequests();
    const papers = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(papers.pages).toBe(3);
    expect(papers.objects).toHaveLength(250);
    expect(papers.errors).toEqual([]);
    expect(server.requests).toBe(3);
    const p7 = papers.objects[7] as OparlPaper;
    expect(p7.web).toBe(server.generated.paperWebUrl(7));
    expect(p7.consultation.length).toBeGreaterThan(0);
  });

  test('incremental: modified_since sends an unencoded timestamp and sees changed and deleted objects', async () => {
    const c = client();
    server.misbehave.rejectEncodedModifiedSince = true;
    const since = new Date(Date.now() - 1000);
    server.touch('paper', 5, { name: 'Geänderter Betreff' });
    server.remove('paper', 9);
    server.misbehave.deletedWithoutType = true;
    const changed = await collect(c.listPages('Paper', server.generated.lists.paper, { modifiedSince: since }));
    expect(changed.errors).toEqual([]);
    const byId = new Map(changed.objects.map((p) => [p.id, p]));
    expect(byId.get(server.generated.paperUrl(5))?.name).toBe('Geänderter Betreff');
    expect(byId.get(server.generated.paperUrl(9))?.deleted).toBe(true);
    expect(changed.objects).toHaveLength(2);
    expect(server.requestLog.at(-1)).toMatch(/modified_since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  test('an empty modified_since window answered with 404 and an error body is an empty list', async () => {
    const c = client();
    server.misbehave.emptyWindow404 = true;
    server.resetRequests();
    const r = await collect(
      c.listPages('Meeting', server.generated.lists.meeting, { modifiedSince: new Date(Date.now() + 60_000) }),
    );
    expect(r.objects).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(server.requests).toBe(1);
  });

  test('tolerates N/A and blank strings, single auxiliaryFile, mimeType "pdf", empty downloadUrl, size 0', async () => {
    const c = client();
    Object.assign(server.misbehave, {
      naStrings: true,
      auxiliaryFileAsObject: true,
      mimeTypePdf: true,
      emptyDownloadUrl: true,
      sizeZero: true,
    });
    const { objects, errors } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(errors).toEqual([]);
    const p0 = objects[0] as OparlPaper;
    expect(p0.paperType).toBeUndefined();
    expect(p0.reference).toBeUndefined();
    expect(p0.auxiliaryFile).toHaveLength(1);
    const main = p0.mainFile;
    if (typeof main !== 'object') throw new Error('mainFile should be embedded');
    expect(main.mimeType).toBe('application/pdf');
    expect(main.downloadUrl).toBeUndefined();
    expect(main.size).toBeUndefined();
    const file = await c.downloadFile(main);
    expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('tolerates unescaped control characters inside JSON strings; U+0001…U+001F other than tab and newline are removed', async () => {
    const c = client();
    server.misbehave.controlChars = true;
    const { objects, errors } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(errors).toEqual([]);
    expect(objects[3]?.name).toBe('Anfrage zur Radwegeverbindung Innenstadt – Bahnhof (Vorlage 3)\tmit\nSteuerzeichen');
    // eslint-disable-next-line no-control-regex -- the characters that must not survive
    const controls = /[\u0000-\u0008\u000B-\u001F]/;
    expect(objects.filter((p) => controls.test(p.name ?? ''))).toEqual([]);
  });

  test('files without size or checksum still download', async () => {
    const c = client();
    server.misbehave.noSizeOrChecksum = true;
    const paper = await c.getObject('Paper', server.generated.paperUrl(1));
    const main = paper.mainFile;
    if (typeof main !== 'object') throw new Error('embedded');
    expect(main.sha1Checksum).toBeUndefined();
    expect((await c.downloadFile(main)).bytes.equals(server.generated.fileBytes(2))).toBe(true);
  });

  test('a wrong type is reported on that object; the rest of the page is kept', async () => {
    const c = client();
    server.misbehave.wrongTypePaper = 4;
    const { objects, errors } = await collect(c.listPages('Paper', server.generated.lists.paper));
    expect(objects).toHaveLength(249);
    expect(errors).toEqual([expect.objectContaining({ url: server.generated.paperUrl(4), code: 'RIS_WRONG_TYPE' })]);
    expect(await codeOf(c.getObject('Paper', server.generated.paperUrl(4)))).toBe('RIS_WRONG_TYPE');
  });

  test('invalid JSON on a page fails that list with RIS_INVALID_JSON after the pages before it', async () => {
    const c = client();
    server.misbehave.invalidJsonPage = { list: 'paper', page: 2 };
    const seen: number[] = [];
    const code = await codeOf(
      (async () => {
        for await (const page of c.listPages('Paper', server.generated.lists.paper)) seen.push(page.objects.length);
      })(),
    );
    expect(code).toBe('RIS_INVALID_JSON');
    expect(seen).toEqual([100]);
  });

  test('a links.next cycle stops with RIS_PAGING_LOOP', async () => {
    const c = client();
    server.misbehave.nextCycle = { list: 'paper', fromPage: 3, toPage: 2 };
    const seen: number[] = [];
    const code = await codeOf(
      (async () => {
        for await (const page of c.listPages('Paper', server.generated.lists.paper)) seen.push(page.objects.length);
      })(),
    );
    expect(code).toBe('RIS_PAGING_LOOP');
    expect(seen).toEqual([100, 100, 50]);
  });

  test('a 50 MB response is cut off with RIS_RESPONSE_TOO_LARGE', async () => {
    const c = client({ maxBytes: 5 * 1024 * 1024 });
    server.misbehave.hugePage = { list: 'meeting', page: 1 };
    expect(await codeOf(collect(c.listPages('Meeting', server.generated.lists.meeting)))).toBe(
      'RIS_RESPONSE_TOO_LARGE',
    );
    // The connection pool still works afterwards.
    expect((await c.getObject('Meeting', server.generated.meetingUrl(1))).id).toBe(server.generated.meetingUrl(1));
  });

  test('a server that never answers runs into RIS_TIMEOUT', async () => {
    const c = client({ timeoutMs: 500 });
    server.misbehave.stallList = 'person';
    expect(await codeOf(collect(c.listPages('Person', server.generated.lists.person)))).toBe('RIS_TIMEOUT');
  });

  test('redirects: within the origin followed; to another origin rejected; to http only over https, never in clear', async () => {
    const c = client();
    server.misbehave.redirect = 'same-origin';
    expect((await c.getObject('Paper', server.generated.paperUrl(2))).id).toBe(server.generated.paperUrl(2));
    server.misbehave.redirect = 'other-origin';
    expect(await codeOf(c.getObject('Paper', server.generated.paperUrl(2)))).toBe('RIS_REDIRECT_REJECTED');
    server.resetRequests();
    // A redirect to http on a server that also speaks https is followed over https.
    server.misbehave.redirect = 'http';
    expect((await c.getObject('Paper', server.generated.paperUrl(2))).id).toBe(server.generated.paperUrl(2));
    // To a port that speaks only http: refused, nothing sent in clear.
    server.misbehave.redirect = 'http-only';
    expect(await codeOf(c.getObject('Paper', server.generated.paperUrl(2)))).toBe('RIS_REDIRECT_REJECTED');
    expect(server.plainHttpHeaders).toEqual([]);
  });

  test('refuses origins that are not the RIS, over https and over http', async () => {
    const c = client();
    expect(await codeOf(c.getSystem(server.generated.systemUrl.replace('127.0.0.1', 'localhost')))).toBe(
      'RIS_NOT_CONFIGURED',
    );
    const foreignHttp = server.generated.systemUrl.replace('https://127.0.0.1', 'http://localhost');
    expect(await codeOf(c.getSystem(foreignHttp))).toBe('RIS_NOT_HTTPS');
    expect(server.plainHttpHeaders).toEqual([]);
  });

  test('certificates are verified: an unknown CA is refused', async () => {
    const other = makeTestCa();
    try {
      const c = client({ extraCaPem: [other.caPem] });
      expect(await codeOf(c.getSystem(server.generated.systemUrl))).toBe('TLS_CERT_UNTRUSTED');
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  });

  test('file bytes failing the checksum and a "PDF" that is not a PDF are refused', async () => {
    const c = client();
    server.misbehave.badChecksumFiles = [0];
    server.misbehave.notPdfFiles = [1];
    const paper = await c.getObject('Paper', server.generated.paperUrl(0));
    const main = paper.mainFile;
    const aux = paper.auxiliaryFile[0];
    if (typeof main !== 'object' || typeof aux !== 'object') throw new Error('embedded');
    expect(await codeOf(c.downloadFile(main))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(await codeOf(c.downloadFile(aux))).toBe('RIS_NOT_PDF');
  });

  test('never more than 3 requests in flight to one host', async () => {
    const c = client();
    // Answers take a moment, as a remote server's do: requests really overlap.
    server.misbehave.latencyMs = 20;
    server.resetRequests();
    const urls = Array.from({ length: 30 }, (_, i) => server.generated.paperUrl(i));
    const papers = await Promise.all(urls.map((u) => c.getObject('Paper', u)));
    expect(papers.map((p) => p.id)).toEqual(urls);
    expect(server.maxConcurrent).toBe(3);
  });
});
