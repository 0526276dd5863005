import { RatsdeskError, type ErrorCode } from '../../contract/errors';
import type { DocumentCache } from '../documents/document-cache';
import type { DownloadedFile, OparlClient } from './oparl-client';
import type { OparlFile } from './oparl-schemas';
import type { RisOfflineRepository } from './ris-offline-repository';
import type { RisQueryRepository, StoredFile } from './ris-query-repository';

export interface OfflineProgress {
  meetingId: string;
  done: number;
  total: number;
  bytes: number;
  failed: number;
  state: 'running' | 'complete' | 'failed' | 'paused';
}

export interface OfflineResult {
  meetingId: string;
  total: number;
  /** Downloaded and stored now. */
  stored: number;
  /** Already in the document cache (an earlier, interrupted run or another meeting); re-pinned. */
  alreadyPresent: number;
  failures: Array<{ fileId: string; code: ErrorCode; detail?: string }>;
  pinnedUntil: string;
}

export interface OfflineMeetingsOptions {
  client: OparlClient;
  queries: RisQueryRepository;
  records: RisOfflineRepository;
  documents: DocumentCache;
  /** Days a meeting's files stay pinned after the meeting ended. Default 30. */
  retentionDays?: number;
  /** Parallel downloads (the fetcher still keeps at most 3 per host in flight). Default 3. */
  concurrency?: number;
  onProgress?: (p: OfflineProgress) => void;
  now?: () => Date;
}

export interface MakeAvailableOptions {
  signal?: AbortSignal;
  onFailure?: (failure: OfflineResult['failures'][number]) => void;
}

const DAY_MS = 86_400_000;
/**
 * Downloaded files of one run waiting to be stored, at most: their bytes are held meanwhile, and a paused
 * run still stores them (no new download starts after the pause).
 */
export const OFFLINE_STORE_AHEAD = 8;

/** A stored file's metadata as an OParl File (for a download verified against its checksums). */
export function toOparlFile(f: StoredFile): OparlFile {
  return {
    id: f.id,
    name: f.name ?? undefined,
    fileName: f.fileName ?? undefined,
    mimeType: f.mimeType ?? undefined,
    size: f.size ?? undefined,
    sha1Checksum: f.sha1 ?? undefined,
    sha512Checksum: f.sha512 ?? undefined,
    accessUrl: f.accessUrl ?? undefined,
    downloadUrl: f.downloadUrl ?? undefined,
  } as OparlFile;
}

/**
 * "Available offline" for a meeting: every file of the meeting and of the papers on its agenda goes
 * into the document cache (encrypted in the vault), verified by checksum, pinned until the meeting
 * ends plus the retention period. Progress is reported per file; the run is recorded in the vault, so
 * after a restart `resumePending()` continues where it stopped (files already stored are not fetched
 * again). A file that fails is reported with its code; the others are still stored.
 */
export class OfflineMeetings {
  private readonly client: OparlClient;
  private readonly queries: RisQueryRepository;
  private readonly records: RisOfflineRepository;
  private readonly documents: DocumentCache;
  private readonly retentionDays: number;
  private readonly concurrency: number;
  private readonly onProgress: ((p: OfflineProgress) => void) | undefined;
  private readonly now: () => Date;
  private readonly running = new Map<string, Promise<OfflineResult>>();

  constructor(options: OfflineMeetingsOptions) {
    this.client = options.client;
    this.queries = options.queries;
    this.records = options.records;
    this.documents = options.documents;
    this.retentionDays = options.retentionDays ?? 30;
    this.concurrency = Math.max(1, options.concurrency ?? 3);
    this.onProgress = options.onProgress;
    this.now = options.now ?? (() => new Date());
  }

  /** The document-cache id of a stored OParl file, or null. */
  documentIdOf(fileId: string): string | null {
    return this.documents.findBySource({ kind: 'url', ref: fileId })?.id ?? null;
  }

  /**
   * `onFailure` hears of each file that failed as it fails (the offline pack stops a run at the first
   * "server not reachable" instead of letting every further file time out).
   */
  makeAvailable(meetingId: string, options: MakeAvailableOptions = {}): Promise<OfflineResult> {
    const existing = this.running.get(meetingId);
    if (existing) return existing;
    const run = this.run(meetingId, options).finally(() => this.running.delete(meetingId));
    this.running.set(meetingId, run);
    return run;
  }

  /** Continue every run that was interrupted (app closed, network gone). */
  async resumePending(): Promise<OfflineResult[]> {
    const pending = this.records.all().filter((r) => r.state !== 'complete');
    const results: OfflineResult[] = [];
    for (const r of pending) results.push(await this.makeAvailable(r.meetingId));
    return results;
  }

  private async run(meetingId: string, { signal, onFailure }: MakeAvailableOptions): Promise<OfflineResult> {
    const now = this.now();
    const end = this.queries.meetingEnd(meetingId);
    if (end === undefined && !this.queries.meeting(meetingId)) {
      throw new RatsdeskError('DOCUMENT_NOT_FOUND', `unknown meeting ${meetingId}`.slice(0, 300));
    }
    const base = Math.max(now.getTime(), end?.getTime() ?? now.getTime());
    const pinnedUntil = new Date(base + this.retentionDays * DAY_MS);
    const files = this.queries.filesForMeeting(meetingId);
    const previous = this.records.get(meetingId);
    const record = {
      meetingId,
      requestedAt: previous?.requestedAt ?? now.toISOString(),
      pinnedUntil: pinnedUntil.toISOString(),
      state: 'running' as const,
      total: files.length,
      done: 0,
    };
    this.records.save(record);

    const result: OfflineResult = {
      meetingId,
      total: files.length,
      stored: 0,
      alreadyPresent: 0,
      failures: [],
      pinnedUntil: pinnedUntil.toISOString(),
    };
    let bytes = 0;
    let next = 0;
    const report = (state: OfflineProgress['state']) =>
      this.onProgress?.({
        meetingId,
        done: result.stored + result.alreadyPresent,
        total: files.length,
        bytes,
        failed: result.failures.length,
        state,
      });
    report('running');

    const failed = (file: StoredFile, err: unknown) => {
      const e = err instanceof RatsdeskError ? err : new RatsdeskError('INTERNAL', undefined, { cause: err });
      const failure = { fileId: file.id, code: e.code, ...(e.detail ? { detail: e.detail } : {}) };
      result.failures.push(failure);
      onFailure?.(failure);
    };
    // The record's `done` is written once per batch of files settled together (a flush group of the document
    // cache settles several at once), not once per file: each save is a vault commit, and they cost a third of
    // the meeting's time. The count only shows progress after a restart; resuming asks the document cache which
    // files are there, so a count that lags a few files loses nothing.
    let fatal: unknown;
    let savePending = false;
    const saveProgress = () => {
      savePending = false;
      try {
        this.records.save({ ...record, done: result.stored + result.alreadyPresent });
      } catch (err) {
        fatal ??= err; // the vault failed: thrown once every file in flight is settled
      }
    };
    const settled = () => {
      report('running');
      if (savePending) return;
      savePending = true;
      setImmediate(() => {
        if (savePending) saveProgress();
      });
    };
    // A downloaded file is stored while the next downloads go on: the files waiting to be made durable
    // then share one flush (DocumentCache.putAsync), instead of each download waiting for its own fsyncs.
    const storing = new Set<Promise<void>>();
    const store = async (file: StoredFile, meta: OparlFile, downloaded: DownloadedFile) => {
      try {
        await this.documents.putAsync({
          bytes: downloaded.bytes,
          name: meta.name ?? meta.fileName ?? file.id,
          mimeType: downloaded.mimeType,
          source: { kind: 'url', ref: file.id },
          ...(meta.sha512Checksum ? { expectedSha512: meta.sha512Checksum } : {}),
          ...(meta.sha1Checksum ? { expectedSha1: meta.sha1Checksum } : {}),
          pinned: true,
          pinnedUntil,
        });
        bytes += downloaded.bytes.length;
        result.stored++;
      } catch (err) {
        failed(file, err);
      }
      settled();
    };
    const worker = async () => {
      while (next < files.length) {
        if (signal?.aborted || fatal !== undefined) return;
        const file = files[next++] as StoredFile;
        try {
          const present = this.documents.findBySource({ kind: 'url', ref: file.id });
          if (present && (!file.sha512 || present.sha512 === file.sha512)) {
            this.documents.pin(present.id, pinnedUntil);
            result.alreadyPresent++;
          } else {
            const meta = file.referenceOnly ? await this.client.getObject('File', file.id) : toOparlFile(file);
            const downloaded = await this.client.downloadFile(meta);
            const stored: Promise<void> = store(file, meta, downloaded).finally(() => storing.delete(stored));
            storing.add(stored);
            // Downloaded bytes wait in memory only for a flush or two.
            while (storing.size >= OFFLINE_STORE_AHEAD) await Promise.race(storing);
            continue;
          }
        } catch (err) {
          failed(file, err);
        }
        settled();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, files.length)) }, worker));
    await Promise.all(storing);
    if (savePending) saveProgress();
    if (fatal !== undefined) throw fatal;

    const done = result.stored + result.alreadyPresent;
    const state = signal?.aborted ? 'paused' : result.failures.length > 0 ? 'failed' : 'complete';
    this.records.save({ ...record, done, state: state === 'paused' ? 'running' : state });
    report(state);
    return result;
  }
}
