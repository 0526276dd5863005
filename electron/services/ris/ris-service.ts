import libmime from 'libmime';
import { lookup as mimeTypeOfName } from 'mime-types';
import { RatsdeskError } from '../../contract/errors';
import { safeFileName } from '../../contract/file-name';
import type { OfflinePackInfo, OfflineProgressInfo } from '../../contract/ris';
import type { DocumentCache } from '../documents/document-cache';
import { toDisposable } from '../lifetime/disposable-store';
import { describeError, silentLog, type Log } from '../log/log-service';
import type { VaultScope } from '../vault-session';
import { recognizeRisLinks, type LinkRecognizerOptions, type RisLink } from './link-recognizer';
import { OfflineMeetings, toOparlFile } from './offline-meeting';
import { OfflinePacks, type OfflinePacksOptions } from './offline-packs';
import { OparlClient } from './oparl-client';
import { RisOfflineRepository } from './ris-offline-repository';
import { RisQueryRepository } from './ris-query-repository';
import { RisSync, type SyncProgress } from './ris-sync';
import { RisSyncRepository } from './ris-sync-repository';

/**
 * The council information system this installation talks to: the machine policy's oparlSystemUrl and
 * risAllowedOrigins (policy-service-options.ts), read at start.
 */
export interface RisConfig {
  /** URL of the OParl System object, e.g. https://ris.stadt.de/oparl/v1/system. */
  systemUrl: string;
  /** Origins of the RIS (OParl API and web front end); default: the system URL's origin. */
  allowedOrigins?: string[];
  /** Extra CA certificates (PEM) for the RIS, on top of the system roots. */
  extraCaPem?: readonly string[];
  /**
   * http origins the machine policy lets Ratsdesk read in clear when https does not answer there
   * (risInsecureHttpOrigins). What comes from them is marked "unverschlüsselt übertragen".
   */
  insecureHttpOrigins?: readonly string[];
}

export interface RisServiceEvents {
  syncProgress(p: SyncProgress): void;
  offlineProgress(p: OfflineProgressInfo): void;
  offlinePackChanged(p: OfflinePackInfo): void;
}

/** What the automatic offline pack reads from outside the RIS: its window (setting/policy) and the app lock. */
export type OfflinePackSettings = Pick<
  OfflinePacksOptions,
  'days' | 'locked' | 'checkEveryMs' | 'retryMs' | 'maxRetryMs' | 'now'
>;

interface RisParts {
  client: OparlClient;
  queries: RisQueryRepository;
  sync: RisSync;
  offline: OfflineMeetings;
  documents: DocumentCache;
  /** The automatic offline pack, when the service was given its settings. */
  packs: OfflinePacks | undefined;
}

/**
 * The `ris` domain over the RIS services: builds client, repositories, sync and offline meetings lazily
 * over the open vault's scope (the vault and its document cache), and answers the contract's calls
 * (ris-handlers.ts maps them). The parts belong to that scope: when the vault closes (sign-out, "remove all
 * local data", quit) they go with it, and the next call builds them over the vault opened then.
 */
export class RisService {
  private partsOpening: Promise<RisParts> | undefined;
  /** The offline pack of the parts built last (for wake/pause without building parts for it). */
  private packs: OfflinePacks | undefined;
  private readonly recognizerOptions: LinkRecognizerOptions;
  private readonly origins: string[];

  constructor(
    private readonly config: RisConfig | undefined,
    private readonly vaultScope: () => Promise<VaultScope>,
    private readonly events: Partial<RisServiceEvents> = {},
    private readonly log: Log = silentLog,
    private readonly packSettings?: OfflinePackSettings,
  ) {
    this.origins = config ? (config.allowedOrigins ?? [new URL(config.systemUrl).origin]) : [];
    this.recognizerOptions = config ? { oparlPrefixes: [oparlPrefix(config.systemUrl)], risOrigins: this.origins } : {};
  }

  /** Client, repositories, sync and offline meetings; RIS_NOT_CONFIGURED when no RIS is set up. */
  parts(): Promise<RisParts> {
    const config = this.config;
    if (!config) return Promise.reject(new RatsdeskError('RIS_NOT_CONFIGURED'));
    return (this.partsOpening ??= this.build(config, this.vaultScope()));
  }

  /**
   * Builds the parts over a vault scope that just opened (VaultSession.onOpen), so the offline pack and
   * "available offline" runs cut short go on without waiting for a first council call. It never opens a
   * vault itself (a scope closing meanwhile builds nothing).
   */
  openWith(scope: VaultScope): void {
    if (!this.config || this.partsOpening || scope.owned.isDisposed) return;
    this.partsOpening = this.build(this.config, Promise.resolve(scope));
    this.partsOpening.catch((err: unknown) => this.log.warn('ris.parts-failed', describeError(err)));
  }

  private build(config: RisConfig, scopeReady: Promise<VaultScope>): Promise<RisParts> {
    const opening: Promise<RisParts> = (async () => {
      const scope = await scopeReady;
      const { vault } = scope;
      const documents = await scope.documents();
      const client = new OparlClient({
        allowedOrigins: this.origins,
        ...(config.extraCaPem ? { extraCaPem: config.extraCaPem } : {}),
        ...(config.insecureHttpOrigins ? { insecureHttpOrigins: config.insecureHttpOrigins } : {}),
      });
      const queries = new RisQueryRepository(vault, {
        documentIdOf: (fileId) => documents.findBySource({ kind: 'url', ref: fileId })?.id ?? null,
      });
      const sync = new RisSync({
        client,
        repository: new RisSyncRepository(vault),
        onProgress: (p) => this.events.syncProgress?.(p),
      });
      const offline = new OfflineMeetings({
        client,
        queries,
        records: new RisOfflineRepository(vault),
        documents,
        onProgress: (p) => this.events.offlineProgress?.(p),
      });
      const packs =
        this.packSettings &&
        new OfflinePacks({
          ...this.packSettings,
          offline,
          queries,
          onChange: (p) => this.events.offlinePackChanged?.(p),
          onError: (err) => this.log.warn('ris.offline-pack-failed', describeError(err)),
        });
      // Owned by the scope, added before the client: disposed after it, so a download in flight ends at once
      // and the pack's run is over before the vault closes.
      if (packs) scope.owned.add(packs);
      // Built on this vault: closing it drops them (added after a close, they are dropped at once).
      scope.owned.add(
        toDisposable(() => {
          if (this.partsOpening === opening) this.partsOpening = undefined;
          if (this.packs === packs) this.packs = undefined;
          client.dispose();
        }),
      );
      if (!scope.owned.isDisposed) this.packs = packs;
      // "Available offline" runs cut short by a restart continue on their own (stored files are not fetched again).
      void offline
        .resumePending()
        .catch((err: unknown) => this.log.warn('ris.offline-resume-failed', describeError(err)));
      packs?.wake();
      return { client, queries, sync, offline, documents, packs };
    })().catch((err: unknown) => {
      if (this.partsOpening === opening) this.partsOpening = undefined;
      throw err;
    });
    return opening;
  }

  /** The automatic offline pack's queue (off without its settings). */
  async offlinePack(): Promise<OfflinePackInfo> {
    return (await this.parts()).packs?.status() ?? { state: 'off', days: 0, meetings: 0, available: 0 };
  }

  /** The offline pack looks again now (a changed setting, unlocked); nothing when the RIS parts are not built. */
  wakeOfflinePack(): void {
    this.packs?.wake();
  }

  /** The app locked: the offline pack's download stops until it is woken. */
  pauseOfflinePack(): void {
    this.packs?.pause();
  }

  async chooseOrganizations(bodyId: string, organizationIds: string[]): Promise<void> {
    const parts = await this.parts();
    parts.queries.chooseOrganizations(bodyId, organizationIds);
    parts.packs?.wake();
  }

  /** The configured system's bodies; the first call reads the system from the RIS. */
  private async ensureBodies(parts: RisParts) {
    const known = parts.queries.bodies();
    if (known.length > 0 || !this.config) return known;
    await parts.sync.addSystem(this.config.systemUrl);
    return parts.queries.bodies();
  }

  private async syncAll(parts: RisParts): Promise<void> {
    for (const body of await this.ensureBodies(parts)) await parts.sync.syncBody(body.id);
  }

  async resolveLink(link: RisLink): Promise<ResolvedLink> {
    const parts = await this.parts();
    if (link.kind === 'file') return this.resolveFileLink(parts, link);
    let found = parts.queries.findByLink(link);
    if (!found && (await this.ensureBodies(parts)).every((b) => b.lastSync === null)) {
      // Nothing synced yet: import once, then look again.
      await this.syncAll(parts);
      found = parts.queries.findByLink(link);
    }
    if (found) return { target: found.kind, id: found.id };
    const url = new URL(link.url);
    if (url.protocol === 'https:' && this.origins.includes(url.origin)) return { target: 'web', url: url.href };
    throw new RatsdeskError('RIS_LINK_UNKNOWN', url.host.slice(0, 200));
  }

  /**
   * A file link (an OParl accessUrl/downloadUrl in a mail, a vendor's download link) opens the file:
   * a file the RIS store knows goes through `file()` (verified, cached under its OParl id, like the
   * "Datei" buttons); any other download on a RIS origin is fetched into the document cache. A link
   * that answers with a web page (a login, an expired session) opens in the RIS web view instead.
   */
  private async resolveFileLink(parts: RisParts, link: RisLink): Promise<ResolvedLink> {
    let stored = parts.queries.fileByUrl(link.url);
    if (!stored && (await this.ensureBodies(parts)).every((b) => b.lastSync === null)) {
      await this.syncAll(parts);
      stored = parts.queries.fileByUrl(link.url);
    }
    if (stored) {
      const { documentId, insecure } = await this.file(stored.id);
      const name = stored.name ?? stored.fileName ?? stored.id;
      return { target: 'file', documentId, name: name.slice(0, 1000), mimeType: stored.mimeType, insecure };
    }
    if (!parts.client.http.isAllowed(link.url)) {
      throw new RatsdeskError('RIS_LINK_UNKNOWN', new URL(link.url).host.slice(0, 200));
    }
    const present = parts.documents.findBySource({ kind: 'url', ref: link.url });
    if (present) {
      return {
        target: 'file',
        documentId: present.id,
        name: present.name,
        mimeType: present.mimeType,
        insecure: false,
      };
    }
    const res = await parts.client.http.get(link.url, { accept: '*/*', maxBytes: MAX_DOWNLOAD_BYTES });
    const mimeType = res.contentType.split(';')[0]?.trim().toLowerCase() || null;
    if (mimeType === 'text/html' && !res.insecure) return { target: 'web', url: res.url };
    const name = downloadName(res.contentDisposition, res.url);
    const stored2 = parts.documents.put({
      bytes: res.body,
      name,
      mimeType:
        mimeType && mimeType !== 'application/octet-stream'
          ? mimeType
          : mimeTypeOfName(name) || 'application/octet-stream',
      source: { kind: 'url', ref: link.url },
    });
    return { target: 'file', documentId: stored2.id, name, mimeType: stored2.mimeType, insecure: res.insecure };
  }

  /**
   * The document-cache id of a RIS file, downloading (verified) it into the cache when not there yet;
   * `insecure` when it (or the paper or meeting it belongs to) came over plain http.
   */
  async file(fileId: string): Promise<{ documentId: string; insecure: boolean }> {
    const parts = await this.parts();
    const known = parts.queries.fileByUrl(fileId);
    const present = parts.documents.findBySource({ kind: 'url', ref: fileId });
    if (present) return { documentId: present.id, insecure: known?.insecure ?? false };
    // The File object itself when it can be fetched; else what the paper or meeting embedded.
    const meta = await parts.client.getObject('File', fileId).catch((err: unknown) => {
      if (known && !known.referenceOnly && err instanceof RatsdeskError && err.code === 'RIS_HTTP_ERROR') {
        return toOparlFile(known);
      }
      throw err;
    });
    const downloaded = await parts.client.downloadFile(meta);
    const stored = parts.documents.put({
      bytes: downloaded.bytes,
      name: meta.name ?? meta.fileName ?? fileId,
      mimeType: downloaded.mimeType,
      source: { kind: 'url', ref: fileId },
      ...(meta.sha512Checksum ? { expectedSha512: meta.sha512Checksum } : {}),
      ...(meta.sha1Checksum ? { expectedSha1: meta.sha1Checksum } : {}),
    });
    return { documentId: stored.id, insecure: downloaded.insecure || (known?.insecure ?? false) };
  }

  /** The RIS origins (for the sandboxed web view's navigation limits). */
  get allowedOrigins(): readonly string[] {
    return this.origins;
  }

  /**
   * A download from the RIS web view: fetched through the RIS fetcher (https, RIS origins, size limit)
   * into the document cache instead of the Downloads folder.
   */
  async storeWebDownload(url: string, fileName: string): Promise<{ documentId: string }> {
    const parts = await this.parts();
    const res = await parts.client.http.get(url, { accept: '*/*', maxBytes: MAX_DOWNLOAD_BYTES });
    const stored = parts.documents.put({
      bytes: res.body,
      name: safeFileName(fileName, { paths: 'last-segment', fallback: 'download' }),
      mimeType: res.contentType.split(';')[0]?.trim() || 'application/octet-stream',
      source: { kind: 'url', ref: url },
    });
    return { documentId: stored.id };
  }

  async addSystem(systemUrl: string) {
    const parts = await this.parts();
    await parts.sync.addSystem(systemUrl);
    return parts.queries.bodies();
  }

  async bodies() {
    return this.ensureBodies(await this.parts());
  }

  async queries(): Promise<RisQueryRepository> {
    return (await this.parts()).queries;
  }

  async paper(id: string) {
    const paper = (await this.queries()).paper(id);
    if (!paper) throw new RatsdeskError('RIS_OBJECT_NOT_FOUND', id.slice(0, 300));
    return paper;
  }

  async meeting(id: string) {
    const meeting = (await this.queries()).meeting(id);
    if (!meeting) throw new RatsdeskError('RIS_OBJECT_NOT_FOUND', id.slice(0, 300));
    return meeting;
  }

  /** Meetings starting in [from, to) for the calendar: of the person's bodies or of all. */
  async meetingsBetween(from: Date, to: Date, bodies: 'mine' | 'all') {
    return (await this.queries()).meetingsBetween(from, to, bodies);
  }

  /** One meeting as the calendar exports it, or null. */
  async meetingById(id: string) {
    return (await this.queries()).meetingDate(id) ?? null;
  }

  async syncBody(bodyId: string) {
    const parts = await this.parts();
    const report = await parts.sync.syncBody(bodyId);
    // New or moved meetings may fall into the offline pack's window.
    parts.packs?.wake();
    return report;
  }

  async makeMeetingOffline(id: string) {
    return (await this.parts()).offline.makeAvailable(id);
  }

  /** Recognizes council links in text, with this installation's RIS origins and OParl prefix. */
  recognize(text: string): RisLink[] {
    return recognizeRisLinks(text, this.recognizerOptions);
  }

  async dispose(): Promise<void> {
    const opening = this.partsOpening;
    this.partsOpening = undefined;
    // Parts that failed to build hold nothing (their error went to the call that needed them).
    const parts = await opening?.catch(() => undefined);
    parts?.client.dispose();
  }
}

type ResolvedLink =
  | { target: 'paper' | 'meeting'; id: string }
  | { target: 'web'; url: string }
  | { target: 'file'; documentId: string; name: string; mimeType: string | null; insecure: boolean };

/** Size limit of a download from the RIS (a file link, the RIS web view). */
const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

/** A download's file name: Content-Disposition's filename (RFC 2231 too), else the URL's last segment. */
export function downloadName(contentDisposition: string, url: string): string {
  const fromHeader = contentDisposition ? libmime.parseHeaderValue(contentDisposition).params.filename : undefined;
  let fromUrl = '';
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
    fromUrl = decodeURIComponent(last);
  } catch {
    fromUrl = '';
  }
  // Only the name: no folders, no control characters.
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = (s: string) => (s.split(/[/\\]/).at(-1) ?? '').replace(/[\u0000-\u001f]/g, '').trim();
  return (clean(fromHeader ?? '') || clean(fromUrl) || 'Dokument').slice(0, 500);
}

/** The URL prefix under which a system's OParl objects live: the system URL's folder. */
export function oparlPrefix(systemUrl: string): string {
  const url = new URL(systemUrl);
  url.search = '';
  url.hash = '';
  return url.href.slice(0, url.href.lastIndexOf('/') + 1);
}
