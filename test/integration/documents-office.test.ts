import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { DocumentPreviews } from '../../electron/services/documents/document-previews';
import { DocumentSearch } from '../../electron/services/documents/document-search';
import { DocumentTextIndexer } from '../../electron/services/documents/document-text-indexer';
import { textState } from '../../electron/services/documents/document-text-repository';
import { DocumentWorker } from '../../electron/services/documents/document-worker-thread';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { documentWorkerFile } from '../support/document-worker-file';
import { makeDocx, makeXlsx } from '../support/office-test-files';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

let fx: VaultFixture;
let vault: Vault;
let workerFile: string;
let worker: DocumentWorker;
let previews: DocumentPreviews;
let cache: DocumentCache;

beforeAll(async () => {
  workerFile = await documentWorkerFile();
});

beforeEach(async () => {
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  cache = new DocumentCache(vault);
  worker = new DocumentWorker({ file: workerFile });
  previews = new DocumentPreviews(cache, workerFile);
});
afterEach(async () => {
  await Promise.all([worker.dispose(), previews.dispose()]);
  vault.close();
  await fx.cleanup();
});

function attachment(name: string, bytes: Uint8Array, mimeType = 'application/octet-stream') {
  return cache.put({ bytes, name, mimeType, source: { kind: 'message', ref: `acct/INBOX/1/${name}` } });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isRatsdeskError(err))
      return err.code === 'DOCUMENT_PREVIEW_REFUSED' ? `${err.code}: ${err.detail?.split(' ')[0] ?? ''}` : err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('office files: read-only previews and their text in the index, read in the document worker thread', () => {
  test('a Word document becomes HTML (mammoth) and its text is found with the German folding', async () => {
    const docx = await makeDocx('Beschlussvorlage Radverkehr', [
      'Die Verwaltung schlägt vor, den Radweg an der Hauptstraße zu verbreitern.',
      'Kosten: 240.000 € <script>alert(1)</script>',
    ]);
    const doc = attachment('Vorlage 2026-041.docx', docx);
    const preview = await previews.preview(doc.id);
    expect(preview.kind).toBe('html');
    if (preview.kind !== 'html') return;
    expect(preview.html).toContain('<h1>Beschlussvorlage Radverkehr</h1>');
    expect(preview.html).toContain('Hauptstraße');
    // Text that looks like markup stays text.
    expect(preview.html).not.toContain('<script>');
    expect(preview.html).toContain('&lt;script&gt;');

    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    indexer.kick();
    await indexer.idle();
    expect(vault.guard((db) => textState(db, doc.id))?.state).toBe('indexed');
    const hits = new DocumentSearch(vault).search('hauptstrasse radweg', 5);
    expect(hits.map((h) => h.documentId)).toEqual([doc.id]);
    indexer.dispose();
  });

  test('a workbook becomes bounded tables with its sheets; a German CSV (semicolons, Windows-1252) too', async () => {
    const xlsx = await makeXlsx({
      Haushalt: [
        ['Produkt', 'Ansatz 2026', 'Ansatz 2027'],
        ['Straßenunterhaltung', 1200000, 1250000],
        ['Grünflächen', 430000, 445000],
      ],
      Stellen: [
        ['Amt', 'Stellen'],
        ['Tiefbauamt', 42],
      ],
    });
    const book = attachment('Haushalt.xlsx', xlsx);
    const csvBytes = new Uint8Array(Buffer.from('Name;Fraktion;Ausschuss\r\nMüller;Grüne;Bauausschuss\r\n', 'latin1'));
    const csv = attachment('mitglieder.csv', csvBytes, 'text/csv');

    const sheets = await previews.preview(book.id);
    expect(sheets).toMatchObject({ kind: 'sheets', moreSheets: false });
    if (sheets.kind !== 'sheets') return;
    expect(sheets.sheets.map((s) => s.name)).toEqual(['Haushalt', 'Stellen']);
    expect(sheets.sheets[0]?.rows[1]).toEqual(['Straßenunterhaltung', '1200000', '1250000']);
    expect(sheets.sheets[1]?.rows).toEqual([
      ['Amt', 'Stellen'],
      ['Tiefbauamt', '42'],
    ]);

    const table = await previews.preview(csv.id);
    if (table.kind !== 'sheets') throw new Error(`expected sheets, got ${table.kind}`);
    expect(table.sheets[0]?.rows).toEqual([
      ['Name', 'Fraktion', 'Ausschuss'],
      ['Müller', 'Grüne', 'Bauausschuss'],
    ]);

    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    indexer.kick();
    await indexer.idle();
    const search = new DocumentSearch(vault);
    // Each sheet is a "page": a hit names the sheet it is on.
    expect(search.search('tiefbauamt', 5).map((h) => [h.documentId, h.page])).toEqual([[book.id, 2]]);
    expect(search.search('bauausschuss müller grüne', 5).map((h) => h.documentId)).toEqual([csv.id]);
    indexer.dispose();
  });

  test('a zip bomb is refused at once and a damaged file with a sentence code; nothing else is affected', async () => {
    // 40 MB of zeros deflate to ~40 KB: a ratio no office XML reaches.
    const bomb = attachment(
      'bombe.docx',
      await makeDocx('Harmlos', ['Text'], { 'word/media/zeros.bin': new Uint8Array(40 * 1024 * 1024) }),
    );
    // Refused by the check of the zip directory, before anything is inflated (not by the deadline).
    expect(await refusal(previews.preview(bomb.id))).toBe('DOCUMENT_PREVIEW_REFUSED: declares');

    const damaged = attachment('kaputt.xlsx', new TextEncoder().encode('PK\u0003\u0004 not a workbook'));
    expect(await refusal(previews.preview(damaged.id))).toBe('DOCUMENT_UNREADABLE');

    const fine = attachment('ok.docx', await makeDocx('Protokoll', ['Sitzung des Bauausschusses']));
    expect((await previews.preview(fine.id)).kind).toBe('html');

    const indexer = new DocumentTextIndexer({ vault, documents: cache, worker });
    indexer.kick();
    await indexer.idle();
    const state = (id: string) => vault.guard((db) => textState(db, id))?.state;
    expect(state(bomb.id)).toBe('failed');
    expect(state(damaged.id)).toBe('failed');
    expect(state(fine.id)).toBe('indexed');
    indexer.dispose();
  });

  test('types without a reader have no preview; PDFs keep their own viewer', async () => {
    const png = attachment('foto.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    expect(await previews.preview(png.id)).toEqual({ kind: 'none' });
    const text = attachment('notiz.txt', new TextEncoder().encode('Ältestenrat tagt am Montag.'));
    expect(await previews.preview(text.id)).toEqual({ kind: 'text', text: 'Ältestenrat tagt am Montag.', more: false });
  });
});
