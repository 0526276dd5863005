import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { DisposableStore } from '../../electron/services/lifetime/disposable-store';
import { risHandlers } from '../../electron/services/ris/ris-handlers';
import { RisService, oparlPrefix } from '../../electron/services/ris/ris-service';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startOparlServer, type OparlTestServer } from '../servers/oparl-server';
import { leakCheck, type LeakCheck } from '../support/leak-check';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

// The `ris` contract handlers (electron/services/ris/ris-handlers.ts over ris-service.ts) over a real vault and the loopback OParl server.

let server: OparlTestServer;
let fx: VaultFixture;
let vault: Vault;
let documents: DocumentCache;
let service: RisService;
let leaks: LeakCheck;

beforeAll(async () => {
  server = await startOparlServer({
    papers: 30,
    meetings: 4,
    organizations: 3,
    persons: 6,
    itemsPerMeeting: 3,
    pageSize: 20,
  });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  leaks = await leakCheck();
  fx = makeVaultFixture();
  vault = await openVault({ file: fx.file, keychain: fx.keychain });
  documents = new DocumentCache(vault);
  service = new RisService({ systemUrl: server.generated.systemUrl, extraCaPem: [server.caPem] }, async () => ({
    vault,
    documents: async () => documents,
    owned: new DisposableStore(),
  }));
});
afterEach(async () => {
  for (const key of Object.keys(server.misbehave)) delete (server.misbehave as Record<string, unknown>)[key];
  await service.dispose();
  vault.close();
  await fx.cleanup();
  // The RIS client's sockets and retry timers are gone after dispose().
  await leaks.assertNoneLeft();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof RatsdeskError ? err.code : `not a RatsdeskError: ${String(err)}`;
  }
}

describe('ris handlers', () => {
  test('without a configured RIS every stored-data call says RIS_NOT_CONFIGURED; link recognition still works', async () => {
    const unconfigured = new RisService(undefined, async () => ({
      vault,
      documents: async () => documents,
      owned: new DisposableStore(),
    }));
    const h = risHandlers(unconfigured);
    expect(await codeOf(h.bodies())).toBe('RIS_NOT_CONFIGURED');
    expect(await codeOf(h.paper({ id: server.generated.paperUrl(1) }))).toBe('RIS_NOT_CONFIGURED');
    const links = await h.recognize({ text: `siehe ${server.generated.paperWebUrl(3)}.` });
    expect(links.map((l) => [l.product, l.kind])).toEqual([['allris', 'paper']]);
    await unconfigured.dispose();
  });

  test('the first link imports the configured system, then maps an ALLRIS link to its paper', async () => {
    const h = risHandlers(service);
    const [link] = await h.recognize({ text: server.generated.paperWebUrl(5) });
    expect(link).toBeDefined();
    expect(await h.resolveLink(link!)).toEqual({ target: 'paper', id: server.generated.paperUrl(5) });
    const bodies = await h.bodies();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.lastSync).not.toBeNull();
    const paper = await h.paper({ id: server.generated.paperUrl(5) });
    expect(paper.reference).toBe('VO/2025/0005');
    expect(await codeOf(h.paper({ id: `${server.generated.base}/paper/999999` }))).toBe('RIS_OBJECT_NOT_FOUND');

    // A RIS page without an OParl object opens in the web view; a link elsewhere is refused.
    const [person] = await h.recognize({ text: `${server.origin}/gen/bi/kp020.asp?KPLFDNR=2` });
    expect(await h.resolveLink(person!)).toEqual({ target: 'web', url: `${server.origin}/gen/bi/kp020.asp?KPLFDNR=2` });
    expect(
      await codeOf(
        h.resolveLink({
          product: 'allris',
          kind: 'paper',
          id: '1',
          url: 'https://ris.other.example/bi/vo020.asp?VOLFDNR=1',
        }),
      ),
    ).toBe('RIS_LINK_UNKNOWN');
    // OParl object URLs of the configured system are recognized as such.
    expect(oparlPrefix(server.generated.systemUrl)).toBe(`${server.generated.base}/`);
    const [oparl] = await h.recognize({ text: server.generated.meetingUrl(2) });
    expect(oparl).toMatchObject({ product: 'oparl', kind: 'meeting' });
    expect(await h.resolveLink(oparl!)).toEqual({ target: 'meeting', id: server.generated.meetingUrl(2) });
  });

  test('opening a file downloads it once, verified, into the document cache; a bad checksum stores nothing', async () => {
    const h = risHandlers(service);
    await h.bodies();
    await h.sync({ bodyId: (await h.bodies())[0]!.id });
    const fileId = server.generated.fileUrl(2 * 4);
    const { documentId } = await h.file({ fileId });
    expect(documents.open(documentId).bytes).toEqual(new Uint8Array(server.generated.fileBytes(2 * 4)));
    server.resetRequests();
    expect(await h.file({ fileId })).toEqual({ documentId, insecure: false });
    expect(server.requests).toBe(0);
    expect((await h.paper({ id: server.generated.paperUrl(4) })).files[0]).toMatchObject({ id: fileId, documentId });

    server.misbehave.badChecksumFiles = [2 * 6];
    expect(await codeOf(h.file({ fileId: server.generated.fileUrl(2 * 6) }))).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(documents.findBySource({ kind: 'url', ref: server.generated.fileUrl(2 * 6) })).toBeUndefined();
  });

  test('a download from the RIS web view goes into the document cache; other origins are refused', async () => {
    const url = server.generated.fileAccessUrl(3);
    const { documentId } = await service.storeWebDownload(url, 'Anlage.pdf');
    const stored = documents.open(documentId);
    expect(stored.meta).toMatchObject({ name: 'Anlage.pdf', source: { kind: 'url', ref: url } });
    expect(stored.bytes).toEqual(new Uint8Array(server.generated.fileBytes(3)));
    expect(service.allowedOrigins).toEqual([server.origin]);
    expect(await codeOf(service.storeWebDownload('https://evil.example/x.pdf', 'x.pdf'))).toBe('RIS_NOT_CONFIGURED');
  });

  test('a file link in a mail (OParl accessUrl or downloadUrl) opens that file from the document cache', async () => {
    const h = risHandlers(service);
    const n = 2 * 7;
    const mail = `Anbei die Vorlage: ${server.generated.fileAccessUrl(n)} – oder ${server.generated.fileDownloadUrl(n)}.`;
    const links = await h.recognize({ text: mail });
    expect(links.map((l) => [l.product, l.kind])).toEqual([
      ['oparl', 'file'],
      ['oparl', 'file'],
    ]);
    // The first link imports the system (nothing synced yet), then opens the file it names.
    const opened = await h.resolveLink(links[0]!);
    expect(opened).toMatchObject({ target: 'file', name: 'Vorlage', mimeType: 'application/pdf', insecure: false });
    const documentId = (opened as { documentId: string }).documentId;
    expect(documents.open(documentId).bytes).toEqual(new Uint8Array(server.generated.fileBytes(n)));
    // The same document the paper's "Datei" button opens (cached under the file's OParl id).
    expect(documents.findBySource({ kind: 'url', ref: server.generated.fileUrl(n) })?.id).toBe(documentId);
    server.resetRequests();
    expect(await h.resolveLink(links[1]!)).toMatchObject({ target: 'file', documentId });
    expect(server.requests).toBe(0);
  });

  test.each(['sdnet', 'allris', 'sessionnet', 'somacos-oparl'] as const)(
    "a vendor's download link (%s) in a mail opens the file in the viewer, not a web page",
    async (style) => {
      const h = risHandlers(service);
      await h.sync({ bodyId: (await h.bodies())[0]!.id });
      const n = 2 * 9 + 1;
      const url = server.generated.vendorDownloadUrl(style, n);
      const [link] = await h.recognize({ text: `Bitte lesen: ${url}` });
      expect(link).toMatchObject({ kind: 'file', url });
      const opened = await h.resolveLink(link!);
      expect(opened).toMatchObject({ target: 'file', name: `Vorlage_${n}.pdf`, mimeType: 'application/pdf' });
      const doc = documents.open((opened as { documentId: string }).documentId);
      expect(doc.bytes).toEqual(new Uint8Array(server.generated.fileBytes(n)));
      expect(doc.meta.source).toEqual({ kind: 'url', ref: url });
    },
  );

  test('a stored file whose accessUrl is a vendor link opens verified under its OParl id', async () => {
    server.misbehave.fileUrlStyle = 'sdnet';
    const h = risHandlers(service);
    await h.sync({ bodyId: (await h.bodies())[0]!.id });
    const n = 2 * 3;
    const [link] = await h.recognize({ text: server.generated.fileAccessUrl(n) });
    expect(link).toMatchObject({ product: 'sdnet', kind: 'file' });
    const opened = await h.resolveLink(link!);
    expect(opened).toMatchObject({ target: 'file', name: 'Vorlage' });
    expect(documents.findBySource({ kind: 'url', ref: server.generated.fileUrl(n) })?.id).toBe(
      (opened as { documentId: string }).documentId,
    );
  });

  test('a "download" that answers with a web page opens in the RIS web view; a foreign one is refused', async () => {
    const h = risHandlers(service);
    await h.bodies();
    const page = `${server.origin}/gen/bi/download.asp?dtyp=130&id=5`;
    const [link] = await h.recognize({ text: page });
    expect(link).toMatchObject({ product: 'allris', kind: 'file' });
    expect(await h.resolveLink(link!)).toEqual({ target: 'web', url: page });
    expect(
      await codeOf(
        h.resolveLink({
          product: 'sdnet',
          kind: 'file',
          id: 'UGhVM0hpd2NXNFdF',
          url: 'https://ris.other.example/sdnetrim/UGhVM0hpd2NXNFdF/Vorlage.pdf',
        }),
      ),
    ).toBe('RIS_LINK_UNKNOWN');
  });
});
