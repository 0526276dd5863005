import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { DocumentSearch } from '../../electron/services/documents/document-search';
import { DocumentTextIndexer } from '../../electron/services/documents/document-text-indexer';
import { textState } from '../../electron/services/documents/document-text-repository';
import { DocumentWorker } from '../../electron/services/documents/document-worker-thread';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { documentWorkerFile } from '../support/document-worker-file';
import { makeGermanPdf, makeScannedPdf } from '../support/german-test-pdf';
import { makeTestPdf } from '../e2e/harness/test-pdf';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

const DAY = 86_400_000;

let fx: VaultFixture;
let vault: Vault;
let worker: DocumentWorker;
let workerFile: string;

beforeAll(async () => {
  workerFile = await documentWorkerFile();
});

beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  worker = new DocumentWorker({ file: workerFile });
});
afterEach(async () => {
  await worker.dispose();
  vault.close();
  await fx.cleanup();
});

function pdf(name: string, bytes: Uint8Array, ref = name) {
  return {
    bytes,
    name,
    mimeType: 'application/pdf',
    source: { kind: 'url' as const, ref: `https://ris.example/${ref}` },
  };
}

function pageRows(id: string): number {
  return vault.guard(
    (db) => db.pluck<[string], number>('SELECT count(*) FROM document_pages WHERE document_id = ?').get(id) ?? 0,
  );
}

function ftsRows(): number {
  // A contentless index answers rowids for a term; count the entries behind the pages that are left.
  return vault.guard(
    (db) => db.pluck<[], number>("SELECT count(*) FROM document_fts WHERE document_fts MATCH 'verwaltung'").get() ?? 0,
  );
}

describe('text of cached documents, extracted with pdf.js in a worker thread and indexed in the vault', () => {
  test('German text with umlauts, ß, ligatures and hyphenation is found with the folding mail uses, at its page', async () => {
    const cache = new DocumentCache(vault);
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    const search = new DocumentSearch(vault);
    const bytes = await makeGermanPdf([
      {
        lines: [
          'Die Verwaltung empfiehlt die \uFB01nanzielle Förderung des Radwegs',
          'an der Hauptstraße zwischen Bahnhof und Marktplatz.',
        ],
      },
      { lines: ['Anlage 2: Kostenübersicht', 'Die Kosten trägt die Stadt.'] },
      {
        lines: [
          'Beschlussvorschlag: Der Ausschuss stimmt der Bürger-',
          'beteiligung zum Radweg zu und beauftragt die Verwaltung.',
          'Der Au\uFB02age wird zugestimmt.',
        ],
      },
    ]);
    const meta = cache.put(pdf('Vorlage 2026-0815.pdf', bytes));
    await indexer.idle();
    expect(vault.guard((db) => textState(db, meta.id))).toMatchObject({ state: 'indexed', pages: 3 });

    // ß → ss on both sides; prefix matching like mail: "Hauptstrasse", "hauptstr", "Straße" in any spelling.
    for (const q of ['Hauptstrasse', 'hauptstr', 'HAUPTSTRASSE']) {
      const hits = search.search(q, 10);
      expect(
        hits.map((h) => [h.documentId, h.page]),
        q,
      ).toEqual([[meta.id, 1]]);
    }
    // A ligature glyph (U+FB01 "ﬁ", U+FB02 "ﬂ") is found as its letters.
    expect(search.search('finanzielle Förderung', 10)[0]).toMatchObject({
      page: 1,
      words: expect.arrayContaining(['finanzielle', 'Förderung']),
    });
    expect(search.search('Auflage', 10)[0]?.page).toBe(3);
    // Diacritics folded: "Foerderung" is not "Förderung", but "forderung" is (as in mail search).
    expect(search.search('forderung', 10)[0]?.page).toBe(1);
    // A word hyphenated at a line end is found whole (and the viewer gets the whole word to highlight).
    const joined = search.search('Bürgerbeteiligung', 10)[0];
    expect(joined).toMatchObject({ documentId: meta.id, page: 3, words: ['Bürgerbeteiligung'] });
    expect(joined?.snippet).toContain('Bürger-');
    // Several pages match: the first is the hit, the others are named.
    expect(search.search('Verwaltung', 10)[0]).toMatchObject({ page: 1, otherPages: [3] });
    // Every word must match (AND), on one page.
    expect(search.search('Hauptstraße Kosten', 10)).toEqual([]);
    // Hostile query syntax is just words.
    expect(search.search('Radweg" OR NEAR(a b) *', 10)).toEqual([]);
    indexer.dispose();
  });

  test('a PDF without a text layer is marked as scanned; a plain text file is indexed; other types are left out', async () => {
    const cache = new DocumentCache(vault);
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    const scan = cache.put(pdf('Scan Bauantrag.pdf', await makeScannedPdf(2)));
    const text = cache.put({
      bytes: new TextEncoder().encode('Protokoll der Sitzung: Straßenreinigung wird vergeben.'),
      name: 'protokoll.txt',
      mimeType: 'application/octet-stream',
      source: { kind: 'message', ref: 'acct/INBOX/1/2' },
    });
    const image = cache.put({
      bytes: randomBytes(2000),
      name: 'foto.png',
      mimeType: 'image/png',
      source: { kind: 'message', ref: 'acct/INBOX/1/3' },
    });
    const broken = cache.put(pdf('kaputt.pdf', new TextEncoder().encode('%PDF-1.7\nnot really a pdf')));
    await indexer.idle();
    const state = (id: string) => vault.guard((db) => textState(db, id))?.state;
    expect(state(scan.id)).toBe('scanned');
    expect(state(text.id)).toBe('indexed');
    expect(state(image.id)).toBe('unsupported');
    expect(state(broken.id)).toBe('failed');
    expect(new DocumentSearch(vault).search('strassenreinigung', 5).map((h) => h.documentId)).toEqual([text.id]);
    indexer.dispose();
  });

  test('removing a document, retention and the quota take its text and index entries with it', async () => {
    let now = Date.parse('2026-03-01T08:00:00Z');
    const cache = new DocumentCache(vault, { retentionDays: 30, now: () => new Date(now) });
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    const search = new DocumentSearch(vault);
    const lines = (n: number) => [{ lines: [`Die Verwaltung berichtet zu Vorgang ${n}.`] }];
    const a = cache.put(pdf('a.pdf', await makeGermanPdf(lines(1)), 'a'));
    const b = cache.put(pdf('b.pdf', await makeGermanPdf(lines(2)), 'b'));
    const c = cache.put(pdf('c.pdf', await makeGermanPdf(lines(3)), 'c'));
    await indexer.idle();
    expect(search.search('Verwaltung', 10)).toHaveLength(3);
    expect(ftsRows()).toBe(3);

    cache.remove(a.id);
    expect(pageRows(a.id)).toBe(0);
    expect(ftsRows()).toBe(2);
    expect(
      search
        .search('Verwaltung', 10)
        .map((h) => h.documentId)
        .sort(),
    ).toEqual([b.id, c.id].sort());

    // The text counts against the quota: usage is documents plus their text.
    const docBytes = b.size + c.size;
    expect(cache.usage().usedBytes).toBeGreaterThan(docBytes);

    // Retention: b is opened now, c is not; 31 days later only b's text is left.
    now += 20 * DAY;
    cache.open(b.id);
    now += 11 * DAY;
    expect(cache.applyRetention()).toBe(1);
    expect(pageRows(c.id)).toBe(0);
    expect(search.search('Verwaltung', 10).map((h) => h.documentId)).toEqual([b.id]);

    // Quota: a lower quota evicts b, and its text with it.
    cache.setLimits({ quotaBytes: 1 });
    expect(pageRows(b.id)).toBe(0);
    expect(ftsRows()).toBe(0);
    expect(search.search('Verwaltung', 10)).toEqual([]);
    indexer.dispose();
  });

  test('a revised PDF from the same source replaces the old text; the indexer survives a restart mid-way', async () => {
    const cache = new DocumentCache(vault);
    const search = new DocumentSearch(vault);
    const first = cache.put(pdf('v.pdf', await makeGermanPdf([{ lines: ['Erste Fassung: Spielplatz'] }]), 'v'));
    // Nothing indexes yet (no indexer): a later one picks the document up.
    const second = cache.put(pdf('v.pdf', await makeGermanPdf([{ lines: ['Zweite Fassung: Sportplatz'] }]), 'v'));
    expect(cache.get(first.id)).toBeUndefined();
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    indexer.kick();
    await indexer.idle();
    expect(search.search('Spielplatz', 5)).toEqual([]);
    expect(search.search('Sportplatz', 5).map((h) => h.documentId)).toEqual([second.id]);
    indexer.dispose();
  });

  test('a 200-page PDF is read in the worker thread while the main thread keeps serving', async () => {
    const cache = new DocumentCache(vault);
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    const meta = cache.put(pdf('haushalt.pdf', await makeTestPdf({ pages: 200 })));
    // The event loop keeps running while the worker extracts (the UI and the sync run on it): timers fire and
    // the vault answers reads before the text is in.
    let ticks = 0;
    let readsWhileExtracting = 0;
    const timer = setInterval(() => {
      ticks++;
      if (vault.guard((db) => textState(db, meta.id)) === undefined && cache.list().length === 1)
        readsWhileExtracting++;
    }, 5);
    await indexer.idle();
    clearInterval(timer);
    expect(readsWhileExtracting).toBeGreaterThan(3);
    expect(ticks).toBeGreaterThanOrEqual(readsWhileExtracting);
    expect(vault.guard((db) => textState(db, meta.id))).toMatchObject({ state: 'indexed', pages: 200 });
    expect(new DocumentSearch(vault).search('Abschnitt 137', 5)[0]?.page).toBe(137);
    indexer.dispose();
  });
});
