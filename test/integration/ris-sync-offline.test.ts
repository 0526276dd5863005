import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { recognizeRisLinks } from '../../electron/services/ris/link-recognizer';
import {
  OFFLINE_STORE_AHEAD,
  OfflineMeetings,
  type OfflineProgress,
} from '../../electron/services/ris/offline-meeting';
import { OparlClient } from '../../electron/services/ris/oparl-client';
import { RisOfflineRepository } from '../../electron/services/ris/ris-offline-repository';
import { RisQueryRepository } from '../../electron/services/ris/ris-query-repository';
import { RisSync, type SyncProgress } from '../../electron/services/ris/ris-sync';
import { RisSyncRepository } from '../../electron/services/ris/ris-sync-repository';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

let server: OparlTestServer;
let fx: VaultFixture;
let vault: Vault;
let client: OparlClient;
let documents: DocumentCache;
let queries: RisQueryRepository;
let records: RisOfflineRepository;
let repository: RisSyncRepository;
let sync: RisSync;

beforeAll(async () => {
  server = await startOparlServer({ papers: 300, meetings: 30, pageSize: 100 });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  client = new OparlClient({ allowedOrigins: [server.origin], extraCaPem: [server.caPem], retry: { baseMs: 20 } });
  documents = new DocumentCache(vault);
  queries = new RisQueryRepository(vault, {
    documentIdOf: (id) => documents.findBySource({ kind: 'url', ref: id })?.id ?? null,
  });
  records = new RisOfflineRepository(vault);
  repository = new RisSyncRepository(vault);
  sync = new RisSync({ client, repository });
});
afterEach(async () => {
  server.resetChanges();
  for (const key of Object.keys(server.misbehave)) delete (server.misbehave as Record<string, unknown>)[key];
  client.dispose();
  vault.close();
  await fx.cleanup();
});

async function importGenerated() {
  const [body] = await sync.addSystem(server.generated.systemUrl);
  if (!body) throw new Error('no body');
  return { body, report: await sync.syncBody(body.id) };
}

describe('RIS sync into the vault', () => {
  test('full import stores papers, meetings, agenda, consultations and files; views join them', async () => {
    const { body, report } = await importGenerated();
    expect(report.mode).toBe('full');
    expect(report.lists.every((l) => l.error === null)).toBe(true);
    expect(queries.counts()).toMatchObject({ papers: 300, meetings: 30, organizations: 20, persons: 200 });

    const paper = queries.paper(server.generated.paperUrl(13));
    expect(paper).toMatchObject({ bodyId: body.id, reference: 'VO/2025/0013', paperType: 'Beschlussvorlage' });
    expect(paper?.files.map((f) => f.role)).toEqual(['mainFile', 'auxiliaryFile']);
    // Paper 13 is on the agendas of meetings 0 (item 14) and 1 (item 4).
    expect(paper?.consultations.map((c) => [c.meetingId, c.agendaItemNumber])).toEqual([
      [server.generated.meetingUrl(0), '14'],
      [server.generated.meetingUrl(1), '4'],
    ]);
    expect(paper?.consultations[0]?.organizations).toEqual(['Rat der Stadt']);

    const meeting = queries.meeting(server.generated.meetingUrl(1));
    expect(meeting?.agenda).toHaveLength(19);
    expect(meeting?.agenda[0]).toMatchObject({
      number: '1',
      paperId: server.generated.paperUrl(10),
      paperReference: 'VO/2025/0010',
    });
    expect(meeting?.files.map((f) => f.role)).toEqual(['invitation', 'auxiliaryFile']);
    expect(meeting?.location).toContain('Rathaus');
  });

  test('FTS search finds papers and meetings, with German umlauts and prefixes', async () => {
    await importGenerated();
    const hits = queries.search('Mühlenbach');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.kind === 'paper' || h.kind === 'meeting')).toBe(true);
    expect(queries.search('muhlenbach').length).toBe(hits.length); // diacritics folded
    expect(queries.search('Schulaus').some((h) => h.kind === 'meeting')).toBe(true);
    expect(queries.search('VO 2025 0042').map((h) => h.id)).toContain(server.generated.paperUrl(42));
    expect(queries.search('"); DROP TABLE ris_papers; --')).toEqual([]);
  });

  test('an ALLRIS link in a mail maps to its OParl paper through the web link', async () => {
    await importGenerated();
    const mail = `Bitte ansehen: ${server.generated.paperWebUrl(77)} und die Sitzung ${server.generated.meetingWebUrl(3)}.`;
    const links = recognizeRisLinks(mail);
    expect(links.map((l) => [l.product, l.kind])).toEqual([
      ['allris', 'paper'],
      ['allris', 'meeting'],
    ]);
    expect(queries.findByLink(links[0] as (typeof links)[0])).toEqual({
      kind: 'paper',
      id: server.generated.paperUrl(77),
    });
    expect(queries.findByLink(links[1] as (typeof links)[0])).toEqual({
      kind: 'meeting',
      id: server.generated.meetingUrl(3),
    });
    // Same VOLFDNR written with http and lower-case parameter still maps (host + product + id).
    const variant = recognizeRisLinks(server.generated.paperWebUrl(77).replace('VOLFDNR', 'volfdnr'))[0];
    expect(variant && queries.findByLink(variant)).toEqual({ kind: 'paper', id: server.generated.paperUrl(77) });
  });

  test('incremental sync with no changes makes one request per list; changes and deletions arrive', async () => {
    const { body } = await importGenerated();
    server.resetRequests();
    const noop = await sync.syncBody(body.id);
    expect(noop.mode).toBe('incremental');
    expect(server.requests).toBe(4);
    expect(noop.lists.every((l) => l.upserted === 0 && l.deleted === 0)).toBe(true);

    server.touch('paper', 20, { name: 'Neuer Betreff zur Ortsumgehung' });
    server.remove('paper', 21);
    server.remove('meeting', 2);
    server.misbehave.emptyWindow404 = true; // organizations and persons have no changes: 404 answers
    server.misbehave.deletedWithoutType = true;
    const inc = await sync.syncBody(body.id);
    expect(inc.lists.every((l) => l.error === null)).toBe(true);
    expect(queries.paper(server.generated.paperUrl(20))?.name).toBe('Neuer Betreff zur Ortsumgehung');
    expect(queries.search('Ortsumgehung').map((h) => h.id)).toEqual([server.generated.paperUrl(20)]);
    expect(queries.paper(server.generated.paperUrl(21))).toBeUndefined();
    expect(queries.meeting(server.generated.meetingUrl(2))).toBeUndefined();
    expect(queries.counts()).toMatchObject({ papers: 299, meetings: 29 });
  });

  test('a full re-import removes objects the server dropped without a deleted stub', async () => {
    const { body } = await importGenerated();
    server.vanish('paper', 30);
    server.vanish('meeting', 4);
    const report = await sync.syncBody(body.id, { full: true });
    expect(report.lists.find((l) => l.list === 'paper')?.deleted).toBe(1);
    expect(queries.paper(server.generated.paperUrl(30))).toBeUndefined();
    expect(queries.meeting(server.generated.meetingUrl(4))).toBeUndefined();
    expect(queries.counts()).toMatchObject({ papers: 299, meetings: 29 });
  });

  test('bad input on one list keeps everything already stored and the other lists complete', async () => {
    const { body } = await importGenerated();
    server.misbehave.invalidJsonPage = { list: 'paper', page: 2 };
    server.misbehave.wrongTypePaper = 3;
    const report = await sync.syncBody(body.id, { full: true });
    const papers = report.lists.find((l) => l.list === 'paper');
    expect(papers?.error?.code).toBe('RIS_INVALID_JSON');
    expect(papers?.upserted).toBe(99);
    expect(report.objectErrors).toEqual([
      expect.objectContaining({ code: 'RIS_WRONG_TYPE', url: server.generated.paperUrl(3) }),
    ]);
    expect(report.lists.find((l) => l.list === 'meeting')?.error).toBeNull();
    expect(queries.counts().papers).toBe(300);
    expect(queries.paper(server.generated.paperUrl(3))?.reference).toBe('VO/2025/0003');
  });
});

describe('RIS sync against servers that misbehave (issue 14)', () => {
  test('a 500 on one page once is retried: the import completes, nothing lost', async () => {
    server.misbehave.errorPage = { list: 'paper', page: 2 };
    const { report } = await importGenerated();
    expect(report.lists.every((l) => l.error === null)).toBe(true);
    expect(queries.counts()).toMatchObject({ papers: 300, meetings: 30 });
  });

  test('a list that still fails keeps what arrived and goes on from the failed page next time, not page one', async () => {
    server.misbehave.errorPage = { list: 'paper', page: 2, times: 3 };
    const startedBefore = Date.now() - 10 * 60_000;
    const { body, report } = await importGenerated();
    const papers = report.lists.find((l) => l.list === 'paper');
    expect(papers).toMatchObject({ upserted: 100, pages: 1, resumed: false });
    expect(papers?.error).toEqual({
      code: 'RIS_HTTP_ERROR',
      detail: `HTTP 500 for ${server.generated.lists.paper}?page=2 (3 attempts)`,
    });
    expect(queries.counts().papers).toBe(100);
    // The other lists completed; the paper list has no sync point yet.
    expect(report.lists.filter((l) => l.list !== 'paper').every((l) => l.error === null)).toBe(true);
    expect(repository.syncSince(body.id, 'paper')).toBeUndefined();

    server.resetRequests();
    const second = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(second.lists[0]).toMatchObject({ list: 'paper', upserted: 200, pages: 2, error: null, resumed: true });
    const paperRequests = server.requestLog.filter((u) => u.includes('/papers'));
    expect(paperRequests).toEqual(['/gen/oparl/v1.1/body/1/papers?page=2', '/gen/oparl/v1.1/body/1/papers?page=3']);
    expect(queries.counts().papers).toBe(300);
    // The sync point is when the interrupted import began (changes since then are not missed).
    const since = repository.syncSince(body.id, 'paper')?.getTime() ?? 0;
    expect(since).toBeGreaterThanOrEqual(startedBefore);
    expect(since).toBeLessThan(Date.now() - 9 * 60_000);

    // From now on: incremental, one request.
    server.resetRequests();
    const third = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(third.mode).toBe('incremental');
    expect(third.lists[0]?.resumed).toBe(false);
    expect(server.requestLog).toEqual([expect.stringMatching(/\/papers\?modified_since=/)]);
  });

  test('pages waiting to be written together are all stored when a later page fails; the list resumes after them', async () => {
    server.misbehave.errorPage = { list: 'paper', page: 3, times: 3 };
    const progress: SyncProgress[] = [];
    // The two pages that arrive wait together (however slow this machine is), as on a fast server.
    sync = new RisSync({ client, repository, batchMs: 60_000, onProgress: (p) => progress.push(p) });
    const { body, report } = await importGenerated();
    expect(report.lists.find((l) => l.list === 'paper')).toMatchObject({
      upserted: 200,
      pages: 2,
      error: { code: 'RIS_HTTP_ERROR' },
    });
    expect(queries.counts().papers).toBe(200);
    expect(progress.filter((p) => p.list === 'paper').at(-1)).toEqual({
      bodyId: body.id,
      list: 'paper',
      pages: 2,
      objects: 200,
    });

    server.resetRequests();
    const second = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(second.lists[0]).toMatchObject({ upserted: 100, pages: 1, error: null, resumed: true });
    expect(server.requestLog.filter((u) => u.includes('/papers'))).toEqual(['/gen/oparl/v1.1/body/1/papers?page=3']);
    expect(queries.counts().papers).toBe(300);
  });

  test('an incremental list resumes with its modified_since window intact', async () => {
    const { body } = await importGenerated();
    for (let n = 0; n < 250; n++) server.touch('paper', n);
    server.misbehave.errorPage = { list: 'paper', page: 2, times: 3 };
    const first = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(first.lists[0]?.error?.code).toBe('RIS_HTTP_ERROR');
    server.resetRequests();
    const second = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(second.lists[0]).toMatchObject({ error: null, resumed: true, upserted: 150 });
    expect(server.requestLog[0]).toMatch(/\/papers\?modified_since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ&page=2$/);
  });

  test('deleted stubs of objects never stored are not counted as deletions on a fresh import', async () => {
    server.remove('meeting', 3);
    server.remove('meeting', 4);
    server.remove('paper', 17);
    const { body, report } = await importGenerated();
    expect(report.lists.map((l) => [l.list, l.deleted])).toEqual([
      ['organization', 0],
      ['person', 0],
      ['meeting', 0],
      ['paper', 0],
    ]);
    expect(queries.counts()).toMatchObject({ papers: 299, meetings: 28 });
    // A real deletion later counts once; its stub seen again counts nothing.
    server.remove('paper', 18);
    const inc = await sync.syncBody(body.id, { lists: ['paper'] });
    expect(inc.lists[0]?.deleted).toBe(1);
    expect((await sync.syncBody(body.id, { lists: ['paper'], full: true })).lists[0]?.deleted).toBe(0);
  });

  test('control characters from broken JSON are not stored; tab and newline are', async () => {
    server.misbehave.controlChars = true;
    await importGenerated();
    const name = queries.paper(server.generated.paperUrl(13))?.name ?? '';
    expect(name).toBe('Anfrage zur Radwegeverbindung Innenstadt – Bahnhof (Vorlage 13)\tmit\nSteuerzeichen');
    expect(queries.search('Steuerzeichen').map((h) => h.title)).not.toContainEqual(expect.stringContaining('\u0001'));
  });

  test('a body list that is one Body object is imported, and the deviation is kept with the system', async () => {
    server.misbehave.bodyListAsObject = true;
    const { body, report } = await importGenerated();
    expect(report.lists.every((l) => l.error === null)).toBe(true);
    expect(queries.bodies()).toEqual([
      expect.objectContaining({
        id: body.id,
        deviations: [{ code: 'list-is-object', url: `${server.generated.base}/bodies` }],
      }),
    ]);
  });

  test('http ids: read over https where it answers (not marked); http-only origins allowed by policy are marked', async () => {
    server.misbehave.httpIds = 'dual';
    await importGenerated();
    expect(queries.paper(server.generated.paperUrl(1))?.insecure).toBe(false);
    expect(queries.bodies()[0]?.deviations).toEqual([
      { code: 'http-urls', url: server.origin.replace('https:', 'http:') },
    ]);
    client.dispose();

    client = new OparlClient({
      allowedOrigins: [server.origin],
      extraCaPem: [server.caPem],
      insecureHttpOrigins: [server.httpOnlyOrigin],
    });
    sync = new RisSync({ client, repository });
    server.misbehave.httpIds = 'http-only';
    const [body] = await sync.addSystem(server.generated.systemUrl);
    const report = await sync.syncBody(body?.id as string);
    expect(report.lists.every((l) => l.error === null)).toBe(true);
    expect(queries.paper(server.generated.paperUrl(1))).toMatchObject({ insecure: true, reference: 'VO/2025/0001' });
    expect(queries.meeting(server.generated.meetingUrl(1))?.insecure).toBe(true);
    // What the system was seen doing is kept: first https for its http ids, now http only.
    expect(queries.bodies().find((b) => b.id === body?.id)?.deviations).toEqual([
      { code: 'http-urls', url: server.origin.replace('https:', 'http:') },
      { code: 'http-only', url: server.httpOnlyOrigin },
    ]);
  });
});

describe('Available offline', () => {
  test('downloads every file of a meeting and its papers, verified, pinned until end + retention; opens with the server gone', async () => {
    const { body } = await importGenerated();
    const progress: OfflineProgress[] = [];
    const offline = new OfflineMeetings({
      client,
      queries,
      records,
      documents,
      retentionDays: 30,
      onProgress: (p) => progress.push(p),
    });
    const meetingId = server.generated.meetingUrl(20);
    const result = await offline.makeAvailable(meetingId);
    expect(result.total).toBe(40);
    expect(result.stored).toBe(40);
    expect(result.failures).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ done: 40, total: 40, state: 'complete' });
    expect(progress.filter((p) => p.state === 'running').length).toBeGreaterThanOrEqual(40);
    const end = server.generated.meetingStart(20).getTime() + 3 * 3_600_000;
    // Meeting 20 of 30 lies 5 days ahead: pinned until its end plus 30 days of retention.
    expect(Date.parse(result.pinnedUntil)).toBe(end + 30 * 86_400_000);

    await server.stop();
    try {
      const view = queries.meeting(meetingId);
      expect(view?.offline).toBe('complete');
      expect(view?.agenda).toHaveLength(19);
      for (const entry of view?.agenda ?? []) {
        const paper = queries.paper(entry.paperId as string);
        for (const f of paper?.files ?? []) {
          expect(f.documentId).not.toBeNull();
          const doc = documents.open(f.documentId as string);
          expect(Buffer.from(doc.bytes).subarray(0, 5).toString()).toBe('%PDF-');
          expect(doc.meta.pinned).toBe(true);
        }
      }
      expect(view?.files.every((f) => f.documentId !== null)).toBe(true);
      expect(body.id).toBe(server.generated.bodyUrl);
    } finally {
      server = await startOparlServer({ papers: 300, meetings: 30, pageSize: 100 });
    }
  });

  test('the progress record is committed once per batch of files settled together, not once per file, and ends exact', async () => {
    await importGenerated();
    const meetingId = server.generated.meetingUrl(12);
    const saved: number[] = [];
    const save = records.save.bind(records);
    records.save = (record) => {
      saved.push(record.done);
      save(record);
    };
    const offline = new OfflineMeetings({ client, queries, records, documents });
    const result = await offline.makeAvailable(meetingId);
    expect(result.stored).toBe(40);
    // The start, the batches (a flush group of the document cache settles several files at once), the end.
    expect(saved.length).toBeLessThan(40);
    expect(saved).toEqual([...saved].sort((a, b) => a - b));
    expect(records.get(meetingId)).toMatchObject({ state: 'complete', done: 40, total: 40 });
  });

  test('a vault failing while the progress is saved fails the run once the files in flight are settled; stored files stay', async () => {
    await importGenerated();
    const meetingId = server.generated.meetingUrl(13);
    const save = records.save.bind(records);
    let calls = 0;
    records.save = (record) => {
      if (++calls === 2) throw new Error('disk gone');
      save(record);
    };
    const offline = new OfflineMeetings({ client, queries, records, documents });
    await expect(offline.makeAvailable(meetingId)).rejects.toThrow('disk gone');
    records.save = save;
    const files = queries.filesForMeeting(meetingId);
    const stored = files.filter((f) => documents.findBySource({ kind: 'url', ref: f.id }));
    expect(stored.length).toBeGreaterThan(0);
    // No download started after the failure was seen: the run stopped short of the 40 files.
    expect(stored.length).toBeLessThan(40);
    for (const f of stored) {
      const doc = documents.findBySource({ kind: 'url', ref: f.id });
      expect(
        Buffer.from(documents.open(doc?.id as string).bytes)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
    // Resuming finishes the rest without fetching the stored ones again.
    server.resetRequests();
    const again = await new OfflineMeetings({ client, queries, records, documents }).makeAvailable(meetingId);
    expect(again).toMatchObject({ alreadyPresent: stored.length, stored: 40 - stored.length, failures: [] });
    expect(server.requests).toBe(40 - stored.length);
  });

  test('a file failing its checksum and a "PDF" that is not a PDF are reported; the others are stored', async () => {
    await importGenerated();
    const meetingId = server.generated.meetingUrl(5);
    const files = server.generated.filesOfMeeting(5);
    server.misbehave.badChecksumFiles = [files[2] as number];
    server.misbehave.notPdfFiles = [files[3] as number];
    // notPdf changes the served checksum too: re-import so the stored metadata matches the HTML bytes.
    await sync.syncBody(server.generated.bodyUrl, { full: true });
    const offline = new OfflineMeetings({ client, queries, records, documents });
    const result = await offline.makeAvailable(meetingId);
    expect(result.stored).toBe(38);
    expect(result.failures.map((f) => f.code).sort()).toEqual(['DOCUMENT_CHECKSUM_MISMATCH', 'RIS_NOT_PDF']);
    expect(queries.meeting(meetingId)?.offline).toBe('partial');
  });

  test('is resumable: an interrupted run continues after a restart without fetching stored files again', async () => {
    await importGenerated();
    const meetingId = server.generated.meetingUrl(7);
    const controller = new AbortController();
    let seen = 0;
    const first = new OfflineMeetings({
      client,
      queries,
      records,
      documents,
      concurrency: 1,
      onProgress: (p) => {
        seen = p.done;
        if (p.done >= 15) controller.abort();
      },
    });
    const partial = await first.makeAvailable(meetingId, { signal: controller.signal });
    // No download starts after the pause; the files already downloaded (at most OFFLINE_STORE_AHEAD) are stored.
    expect(partial.stored).toBeGreaterThanOrEqual(15);
    expect(partial.stored).toBeLessThanOrEqual(15 + OFFLINE_STORE_AHEAD);
    expect(partial.stored).toBeLessThan(40);
    expect(seen).toBe(partial.stored);
    expect(records.get(meetingId)?.state).toBe('running');

    // "Restart": a new service on the same vault picks the run up.
    server.resetRequests();
    const second = new OfflineMeetings({ client, queries, records, documents });
    const [resumed] = await second.resumePending();
    expect(resumed).toMatchObject({
      meetingId,
      alreadyPresent: partial.stored,
      stored: 40 - partial.stored,
      failures: [],
    });
    expect(server.requests).toBe(40 - partial.stored);
    expect(records.get(meetingId)?.state).toBe('complete');
  });
});
