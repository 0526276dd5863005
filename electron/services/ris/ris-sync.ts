import { RatsdeskError, type ErrorInfo } from '../../contract/errors';
import type { OparlClient, OparlPage, RisObjectError } from './oparl-client';
import type { OparlBody } from './oparl-schemas';
import { isTransient } from './ris-retry';
import type { ListObject, RisListName, RisSyncRepository } from './ris-sync-repository';

export interface ListReport {
  list: RisListName;
  upserted: number;
  deleted: number;
  pages: number;
  /** Why this list stopped early (what was stored before stays); null when it completed. */
  error: ErrorInfo | null;
  /** The list went on from the page where an earlier sync stopped, not from page one. */
  resumed: boolean;
}

export interface SyncReport {
  bodyId: string;
  mode: 'full' | 'incremental';
  lists: ListReport[];
  objectErrors: RisObjectError[];
}

export interface SyncProgress {
  bodyId: string;
  list: RisListName;
  pages: number;
  objects: number;
}

export interface RisSyncOptions {
  client: OparlClient;
  repository: RisSyncRepository;
  onProgress?: (p: SyncProgress) => void;
  /**
   * How far back the next incremental sync reaches before this sync's start, to cover clock skew
   * between laptop and RIS server. Default 10 minutes.
   */
  overlapMs?: number;
  /** How long a page may wait to be written with the next ones (default BATCH_MS; tests make it long). */
  batchMs?: number;
}

const LISTS: readonly RisListName[] = ['organization', 'person', 'meeting', 'paper'];
const MAX_OBJECT_ERRORS = 500;
/**
 * Pages of a list are written together until they hold this many objects (or have waited BATCH_MS for
 * the next page): one commit per few pages instead of one per page. The profile of a 5,000-paper import
 * showed the commits' page writes (SQLCipher encrypts every page a commit writes) as the largest cost.
 */
const BATCH_OBJECTS = 500;
const BATCH_MS = 250;

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof RatsdeskError)
    return { code: err.code, ...(err.detail ? { detail: err.detail.slice(0, 500) } : {}) };
  return { code: 'INTERNAL' };
}

/**
 * Imports a body's lists (organizations, persons, meetings, papers) into the vault: a full import
 * the first time, then `modified_since` increments (changed and deleted objects only). Lists run side by
 * side (the fetcher keeps at most 3 requests per host in flight); each page is one transaction.
 *
 * A list that fails (after the fetcher's retries) keeps what it stored and its previous sync point, and
 * remembers the failed page: the next sync goes on from there instead of from page one, and only when
 * that run completes does the list's sync point move (to when the interrupted run began).
 */
export class RisSync {
  private readonly client: OparlClient;
  private readonly repository: RisSyncRepository;
  private readonly onProgress: ((p: SyncProgress) => void) | undefined;
  private readonly overlapMs: number;
  private readonly batchMs: number;

  constructor(options: RisSyncOptions) {
    this.client = options.client;
    this.repository = options.repository;
    this.onProgress = options.onProgress;
    this.overlapMs = options.overlapMs ?? 10 * 60_000;
    this.batchMs = options.batchMs ?? BATCH_MS;
  }

  /** Reads a System and its bodies and stores them; returns the bodies. */
  async addSystem(systemUrl: string): Promise<OparlBody[]> {
    const system = await this.client.getSystem(systemUrl);
    const bodies = await this.client.getBodies(system);
    this.repository.saveSystem(system);
    for (const body of bodies) this.repository.saveBody(system.id, body);
    this.repository.addDeviations(system.id, this.client.deviations());
    return bodies;
  }

  async syncBody(
    bodyId: string,
    options: { full?: boolean; lists?: readonly RisListName[] } = {},
  ): Promise<SyncReport> {
    const lists = this.repository.bodyLists(bodyId);
    if (!lists) throw new RatsdeskError('RIS_NOT_CONFIGURED', `unknown body ${bodyId}`.slice(0, 300));
    const wanted = (options.lists ?? LISTS).filter((l) => typeof lists[l] === 'string');
    const objectErrors: RisObjectError[] = [];
    let incrementalAll = true;
    const reports = await Promise.all(
      wanted.map(async (list): Promise<ListReport> => {
        const resume = options.full ? undefined : this.repository.syncResume(bodyId, list);
        const since = options.full ? undefined : this.repository.syncSince(bodyId, list);
        if (!since) incrementalAll = false;
        const startedAt = resume?.startedAt ?? new Date(Date.now() - this.overlapMs);
        const report: ListReport = {
          list,
          upserted: 0,
          deleted: 0,
          pages: 0,
          error: null,
          resumed: resume !== undefined,
        };
        // A full import from page one also notices objects the server dropped without a deleted stub
        // (a resumed one has not seen the pages before the failed one: it leaves that to the next).
        const seen = since || resume ? undefined : new Set<string>();
        // Pages are written a few at a time (see BATCH_OBJECTS); `next` is where the list goes on after
        // the last page written, so a list that stops resumes exactly after what is stored.
        let next: string | undefined;
        let batch: Array<OparlPage<ListObject>> = [];
        let batchObjects = 0;
        let batchSince = 0;
        const writeBatch = () => {
          if (batch.length === 0) return;
          const r = this.repository.applyPages(bodyId, list, batch);
          report.upserted += r.upserted;
          report.deleted += r.deleted;
          report.pages += batch.length;
          next = batch[batch.length - 1]?.next;
          batch = [];
          batchObjects = 0;
          this.onProgress?.({ bodyId, list, pages: report.pages, objects: report.upserted + report.deleted });
        };
        try {
          for await (const page of this.client.listPages(
            list === 'paper' ? 'Paper' : list === 'meeting' ? 'Meeting' : list === 'person' ? 'Person' : 'Organization',
            lists[list] as string,
            resume ? { startUrl: resume.url } : since ? { modifiedSince: since } : {},
          )) {
            if (batch.length === 0) batchSince = Date.now();
            batch.push(page);
            batchObjects += page.objects.length;
            for (const e of page.errors) if (objectErrors.length < MAX_OBJECT_ERRORS) objectErrors.push(e);
            if (seen) {
              for (const o of page.objects) seen.add(o.id);
              for (const e of page.errors) seen.add(e.url);
            }
            if (batchObjects >= BATCH_OBJECTS || Date.now() - batchSince >= this.batchMs) writeBatch();
          }
          writeBatch();
          if (seen) report.deleted += this.repository.removeMissing(bodyId, list, seen);
          this.repository.setSyncSince(bodyId, list, startedAt);
          this.repository.setSyncResume(bodyId, list, null);
        } catch (err) {
          // The pages that arrived before the failure are kept (when the vault itself failed, this fails
          // again and the list goes on from the last page written).
          try {
            writeBatch();
          } catch {
            // reported below as the list's error
          }
          report.error = errorInfo(err);
          // Stored pages stay; next time the list goes on at the page that failed. An earlier resume
          // point stays while its page fails transiently, and is dropped when it cannot work (gone,
          // refused) or the list ended in a loop: then the next sync starts as usual.
          if (next !== undefined) this.repository.setSyncResume(bodyId, list, { url: next, startedAt });
          else if (report.pages > 0 || (resume && !isTransient(err))) this.repository.setSyncResume(bodyId, list, null);
        }
        return report;
      }),
    );
    const system = this.repository.systemOf(bodyId);
    if (system) this.repository.addDeviations(system, this.client.deviations());
    return { bodyId, mode: incrementalAll && wanted.length > 0 ? 'incremental' : 'full', lists: reports, objectErrors };
  }
}
