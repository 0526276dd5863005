/**
 * Document text benchmark (issue 16). `run()` returns the figures; the bench runner prints them as one JSON line.
 *
 * - Extract and index: 500 generated council PDFs (4 pages each, 2,000 pages of German text set in a standard
 *   font) are stored in the real vault's document cache; the text index (DocumentTextIndexer) then reads every
 *   one: decrypt from the cache, pdf.js text extraction in the document worker thread, folding and FTS5 writes
 *   in the vault. Baseline in the same run: pdf.js text extraction alone (the same function, in this thread,
 *   over the same bytes held in memory), measured before and after; `ratio_extract` = index / mean baseline
 *   (target ≤ 1.3).
 * - Search everywhere: `search_all_p95_ms` of SearchAllService over 100,000 mails (written straight into the
 *   vault, as the mail benchmark's search set) plus those 500 documents and an empty council store (target ≤ 25).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DocumentCache } from '../electron/services/documents/document-cache';
import { DocumentSearch } from '../electron/services/documents/document-search';
import { DocumentTextIndexer } from '../electron/services/documents/document-text-indexer';
import { DocumentWorker } from '../electron/services/documents/document-worker-thread';
import { extractPdfText } from '../electron/services/documents/pdf-text-extraction';
import { KeychainService } from '../electron/services/keychain/keychain-service';
import { MailSearch } from '../electron/services/mail/mail-search';
import { MailSyncRepository } from '../electron/services/mail/mail-sync-repository';
import { RisQueryRepository } from '../electron/services/ris/ris-query-repository';
import { SearchAllService } from '../electron/services/search/search-all-service';
import { openVault, type Vault } from '../electron/services/vault/vault';
import { startKeyring } from '../test/servers/keyring';
import { documentWorkerFile } from '../test/support/document-worker-file';
import { benchQueries } from './fixtures/mail-corpus';
import { searchSet } from './mail';

const DOCUMENTS = 500;
const PAGES_PER_DOCUMENT = 4;
const MAILS = 100_000;
const LINES_PER_PAGE = 38;

const WORDS = (
  'Der Rat der Stadt beschließt die Haushaltssatzung Bebauungsplan Radweg Bürgerbeteiligung Verwaltung ' +
  'Ausschuss für Stadtentwicklung Umwelt Verkehrsberuhigung Schulstraße Grundschule Sanierung Kosten ' +
  'Finanzierung Förderprogramm Wärmeplanung Klimaschutzkonzept Stellungnahme Anlage Begründung Beschlussvorschlag ' +
  'Mittel werden bereitgestellt Haushaltsjahr Ergebnisplan Finanzplan Stellenplan Kindertagesstätte Feuerwehr ' +
  'Gerätehaus Sportplatz Bibliothek Friedhof Abwasser Straßenbeleuchtung Parkraumbewirtschaftung Lärmschutz'
).split(/\s+/);

function stage(name: string): void {
  if (process.env.RATSDESK_BENCH_VERBOSE) process.stderr.write(`${new Date().toISOString()} ${name}\n`);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** 500 council-paper-like PDFs with different text on every page (deterministic). */
async function makeCorpus(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let n = 0;
  for (let d = 0; d < DOCUMENTS; d++) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let p = 1; p <= PAGES_PER_DOCUMENT; p++) {
      const page = doc.addPage([595.28, 841.89]);
      page.drawText(`Vorlage ${2026}/${String(d).padStart(4, '0')} – Seite ${p}`, { x: 56, y: 790, size: 13, font });
      for (let l = 0; l < LINES_PER_PAGE; l++) {
        const words: string[] = [];
        for (let w = 0; w < 11; w++) words.push(WORDS[(n = (n * 1103515245 + 12345) >>> 0) % WORDS.length]!);
        page.drawText(words.join(' '), { x: 56, y: 760 - l * 18, size: 10, font });
      }
    }
    out.push(await doc.save({ useObjectStreams: false }));
  }
  return out;
}

/** pdf.js text extraction alone over every document (this thread, bytes in memory): the baseline. */
async function extractAlone(corpus: readonly Uint8Array[]): Promise<{ ms: number; pages: number }> {
  const t = performance.now();
  let pages = 0;
  for (const bytes of corpus) pages += (await extractPdfText(bytes.slice())).pages.length;
  return { ms: performance.now() - t, pages };
}

export async function run(): Promise<Record<string, unknown>> {
  const keyring = process.env.DBUS_SESSION_BUS_ADDRESS ? undefined : await startKeyring();
  if (keyring) Object.assign(process.env, keyring.env);
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-bench-doctext-'));
  const keychain = new KeychainService(`ratsdesk-bench-${randomUUID()}`);
  let vault: Vault | undefined;
  const worker = new DocumentWorker({ file: await documentWorkerFile() });
  try {
    stage('corpus');
    const corpus = await makeCorpus();
    const corpusBytes = corpus.reduce((n, b) => n + b.byteLength, 0);
    vault = await openVault({ file: join(dir, 'vault.db'), keychain });
    const cache = new DocumentCache(vault);
    corpus.forEach((bytes, i) =>
      cache.put({
        bytes,
        name: `Vorlage 2026-${String(i).padStart(4, '0')}.pdf`,
        mimeType: 'application/pdf',
        source: { kind: 'url', ref: `https://ris.musterstadt.example/files/${i}.pdf` },
      }),
    );

    stage('warm');
    await extractAlone(corpus.slice(0, 20));
    stage('baseline 1');
    const before = await extractAlone(corpus);
    stage('index');
    const t0 = performance.now();
    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    indexer.kick();
    await indexer.idle();
    const indexMs = performance.now() - t0;
    indexer.dispose();
    stage('baseline 2');
    const after = await extractAlone(corpus);
    const baselineMs = (before.ms + after.ms) / 2;
    const indexedPages = vault.guard((db) => db.pluck<[], number>('SELECT count(*) FROM document_pages').get() ?? 0);

    stage('mail');
    const mail = new MailSyncRepository(vault);
    mail.setFolders([{ path: 'Suche', name: 'Suche', delimiter: '/', role: null }]);
    for (let done = 0; done < MAILS; done += 5_000) mail.insertMessages(searchSet(Math.min(5_000, MAILS - done), done));

    stage('search');
    const v = vault;
    const mailSearch = new MailSearch(v);
    const documentSearch = new DocumentSearch(v);
    const council = new RisQueryRepository(v);
    const searchAll = new SearchAllService({
      vault: async () => v,
      mail: async (query, limit) => mailSearch.search({ query, limit }),
      council: async (query, limit) => council.search(query, limit),
      documents: async (query, limit) => documentSearch.search(query, limit),
    });
    const queries = [...benchQueries(), 'Radweg Schulstraße', 'Wärmeplanung', 'Bürgerbeteiligung Kosten', 'Stadtentw'];
    for (const q of queries) await searchAll.all({ query: q });
    const latencies: number[] = [];
    let groups = 0;
    for (let r = 0; r < 10; r++) {
      for (const q of queries) {
        const query = r % 3 === 0 ? q.slice(0, Math.max(3, q.length - 2)) : q;
        const t = performance.now();
        const result = await searchAll.all({ query });
        latencies.push(performance.now() - t);
        groups += result.groups.length;
      }
    }
    return {
      bench: 'documents-text',
      documents: DOCUMENTS,
      pages: indexedPages,
      corpus_mb: round(corpusBytes / 1e6, 1),
      extract_alone_s: round(baselineMs / 1000),
      extract_alone_runs_s: [round(before.ms / 1000), round(after.ms / 1000)],
      index_s: round(indexMs / 1000),
      index_pages_per_s: Math.round(indexedPages / (indexMs / 1000)),
      extract_alone_pages_per_s: Math.round(before.pages / (baselineMs / 1000)),
      ratio_extract: round(indexMs / baselineMs),
      ratio_extract_target: 1.3,
      search_all_mails: MAILS,
      search_all_queries: latencies.length,
      search_all_groups: groups,
      search_all_p50_ms: round(percentile(latencies, 50)),
      search_all_p95_ms: round(percentile(latencies, 95)),
      search_all_p95_target_ms: 25,
      load_avg_1m: round(loadavg()[0] ?? 0, 1),
    };
  } finally {
    await worker.dispose();
    vault?.close();
    await keychain.delete('vault-key').catch(() => false);
    rmSync(dir, { recursive: true, force: true });
    await keyring?.stop();
  }
}
