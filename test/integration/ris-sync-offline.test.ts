import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { recognizeRisLinks } from '../../electron/services/ris/link-recognizer';
import { OfflineMeetings, type OfflineProgress } from '../../electron/services/ris/offline-meeting';
import { OparlClient } from '../../electron/services/ris/oparl-client';
import { RisOfflineRepository } from '../../electron/services/ris/ris-offline-repository';
import { RisQueryRepository } from '../../electron/services/ris/ris-query-repository';
import { RisSync } from '../../electron/services/ris/ris-sync';
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
  client = new OparlClient({ allowedOrigins: [server.origin], extraCaPem: [server.caPem] });
  documents = new DocumentCache(vault);
  queries = new RisQueryRepository(vault, {
    documentIdOf: (id) => documents.findBySource({ kind: 'url', ref: id })?.id ?? null,
  });
  records = new RisOfflineRepository(vault);
  sync = new RisSync({ client, repository: new RisSyncRepository(vault) });
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
    expect(partial.stored).toBe(15);
    expect(seen).toBe(15);
    expect(records.get(meetingId)?.state).toBe('running');

    // "Restart": a new service on the same vault picks the run up.
    server.resetRequests();
    const second = new OfflineMeetings({ client, queries, records, documents });
    const [resumed] = await second.resumePending();
    expect(resumed).toMatchObject({ meetingId, alreadyPresent: 15, stored: 25, failures: [] });
    expect(server.requests).toBe(25);
    expect(records.get(meetingId)?.state).toBe('complete');
  });
});
