import type { ImapFlow } from 'imapflow';
import { RatsdeskError } from '../../contract/errors';
import type { FolderRole } from '../../contract/mail-sync';
import {
  compressUids,
  type FolderSyncResult,
  HEADER_QUERY,
  ImapSync,
  type ImapSyncOptions,
  type IndexTextExtractor,
  leaveMailbox,
  toNewMessage,
} from './imap-sync';
import { type FetchedBody, MailBackfillRepository } from './mail-backfill-repository';
import { MailQueryRepository } from './mail-query-repository';
import type { MailSyncRepository, NewMessage } from './mail-sync-repository';
import type { VaultDoor } from '../vault/vault-db';
import { indexText } from './message-index-text';

export interface MailBackfillOptions {
  /** Bodies of the last N days only (the policy's offline period); null or undefined: all. */
  bodyDays?: number | null;
  /** Headers in a folder's first FETCH: its newest page, listable at once. */
  firstHeaderChunk?: number;
  /** Headers per FETCH after that. */
  headerChunk?: number;
  /** Bodies per FETCH, at most … */
  bodyChunk?: number;
  /** … and about this many bytes (by RFC822.SIZE; at least one message). */
  bodyChunkBytes?: number;
  extractText?: IndexTextExtractor;
}

/** One bounded FETCH the backfill did. */
export interface BackfillStep {
  kind: 'headers' | 'bodies';
  folder: string;
  /** Messages stored by it. */
  stored: number;
}

/** Where a folder comes in the backfill: the open one, the inbox, Sent, Drafts, the rest, Junk and Trash last. */
export function backfillOrder(folders: readonly { path: string; role: FolderRole | null }[], open?: string): string[] {
  const rank = (f: { path: string; role: FolderRole | null }): number => {
    if (f.role === 'inbox') return 0;
    if (f.path === open) return -1;
    if (f.role === 'sent') return 1;
    if (f.role === 'drafts') return 2;
    if (f.role === 'junk' || f.role === 'trash') return 4;
    return 3;
  };
  return [...folders].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path)).map((f) => f.path);
}

/** The UIDs a folder still lacks headers for, as the server listed them below `below`. */
interface PendingHeaders {
  uidValidity: string;
  below: number;
  /** Ascending; the newest are taken from the end. */
  uids: number[];
}

/**
 * The first-login download of one account, in steps of one bounded FETCH each, on the sync connection
 * (MailSyncService runs one step at a time in its queue, so drafts, sends, flags, moves, IDLE-triggered syncs
 * and a message opened now go between two steps):
 *
 * 1. headers of every folder, newest first (the order of backfillOrder): a folder's first FETCH is its newest
 *    page, later ones bigger;
 * 2. bodies within the offline period, newest first, a few hundred messages or a few MB per FETCH.
 *
 * What is left is read from the vault at every step (headers_below, has_body), so a restart or a reconnect
 * resumes there and nothing stored is fetched again. New mail does not wait for this: the sync fetches it
 * above the folder's UIDNEXT as before.
 */
export class MailBackfill {
  private readonly firstHeaderChunk: number;
  private readonly headerChunk: number;
  private readonly bodyChunk: number;
  private readonly bodyChunkBytes: number;
  private readonly extractText: IndexTextExtractor;
  private readonly pendingHeaders = new Map<string, PendingHeaders>();
  /** Per folder: bodies are fetched below this UID (past messages the server did not return this session). */
  private readonly bodyCursor = new Map<string, number>();
  /** Folders whose bodies are all here, until new headers arrive in them. */
  private readonly bodiesDone = new Set<string>();
  /** Folders the server refused this session (NO/BAD): the others go on. */
  private readonly refused = new Set<string>();
  /** A download ran since the last time nothing was left: its last folder is still selected. */
  private downloading = false;

  constructor(
    private readonly client: ImapFlow,
    private readonly syncRepository: MailSyncRepository,
    private readonly repository: MailBackfillRepository,
    private readonly options: MailBackfillOptions = {},
  ) {
    this.firstHeaderChunk = options.firstHeaderChunk ?? 100;
    // About 1.5 KB of envelope and structure each: ~3 MB, half a second on a 50 Mbit/s line.
    this.headerChunk = options.headerChunk ?? 2_000;
    this.bodyChunk = options.bodyChunk ?? 250;
    this.bodyChunkBytes = options.bodyChunkBytes ?? 4 * 1024 * 1024;
    this.extractText = options.extractText ?? indexText;
  }

  /** Start of the offline period (ms), or null for all mail. */
  get since(): number | null {
    const days = this.options.bodyDays;
    return days === null || days === undefined ? null : Date.now() - days * 86_400_000;
  }

  /** Folders the server refused are tried again (the next full sync calls this). */
  forgetRefusals(): void {
    this.refused.clear();
    this.bodyCursor.clear();
  }

  /** One FETCH: the next headers (in `order`), else the next bodies; null when nothing is left. */
  async step(order: readonly string[]): Promise<BackfillStep | null> {
    const folders = order.filter((f) => !this.refused.has(f));
    for (const folder of folders) {
      if (this.syncRepository.headersBelow(folder) !== null) {
        this.downloading = true;
        return this.guarded(folder, 'headers');
      }
    }
    for (const folder of folders) {
      if (this.bodiesDone.has(folder)) continue;
      const step = await this.guarded(folder, 'bodies');
      if (step.stored > 0 || this.bodiesDone.has(folder) === false) {
        this.downloading = true;
        return step;
      }
    }
    // Done: the connection lets go of the folder the download read last. Held, it would stay selected (the
    // server watching it) until the next full check, which must leave it anyway (leaveMailbox). Only after a
    // download: a folder the sync selected for new mail stays selected for the next.
    if (this.downloading) await leaveMailbox(this.client);
    this.downloading = false;
    return null;
  }

  /**
   * A folder the server refuses (NO/BAD) is left for this session; a lost connection, or a vault that cannot
   * take more (every folder would fail the same way), ends the step.
   */
  private async guarded(folder: string, kind: BackfillStep['kind']): Promise<BackfillStep> {
    try {
      return kind === 'headers' ? await this.headers(folder) : await this.bodies(folder);
    } catch (err) {
      if (!this.client.usable || (err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
      this.refused.add(folder);
      return { kind, folder, stored: 0 };
    }
  }

  /** The mailbox lock, provided the folder is still the one synced (same UIDVALIDITY); else null. */
  private async open(folder: string): Promise<{ release(): void } | null> {
    const lock = await this.client.getMailboxLock(folder, { readOnly: true });
    const box = this.client.mailbox;
    const stored = this.syncRepository.folderState(folder).uidValidity;
    if (!box || typeof box.uidValidity !== 'bigint' || box.uidValidity.toString() !== stored) {
      // Rebuilt on the server since the sync saw it: the next sync starts the folder afresh.
      lock.release();
      this.refused.add(folder);
      return null;
    }
    return lock;
  }

  private async headers(folder: string): Promise<BackfillStep> {
    const below = this.syncRepository.headersBelow(folder);
    const step: BackfillStep = { kind: 'headers', folder, stored: 0 };
    if (below === null) return step;
    const lock = await this.open(folder);
    if (!lock) return step;
    try {
      const uidValidity = this.syncRepository.folderState(folder).uidValidity as string;
      let pending = this.pendingHeaders.get(folder);
      if (!pending || pending.below !== below || pending.uidValidity !== uidValidity) {
        // One SEARCH per folder and session lists what the server has below the mark; what is stored
        // (new mail fetched meanwhile, an earlier session's chunks) is not fetched again.
        const found = below > 1 ? (await this.client.search({ uid: `1:${below - 1}` }, { uid: true })) || [] : [];
        const stored = new Set(this.syncRepository.uids(folder));
        const uids = found.filter((u) => u < below && !stored.has(u)).sort((a, b) => a - b);
        pending = { uidValidity, below, uids };
        this.pendingHeaders.set(folder, pending);
      }
      const size = this.repository.listed(folder) < this.firstHeaderChunk ? this.firstHeaderChunk : this.headerChunk;
      const chunk = pending.uids.splice(Math.max(0, pending.uids.length - size));
      if (chunk.length > 0) {
        const messages: NewMessage[] = [];
        for await (const msg of this.client.fetch(compressUids(chunk), HEADER_QUERY, { uid: true })) {
          messages.push(await toNewMessage(folder, msg, this.extractText));
        }
        // Older than what the folder holds after its first chunk: numbered below, so search's row order stays arrival order.
        step.stored = this.syncRepository.insertMessages(messages, { older: true }).length;
        this.bodiesDone.delete(folder);
      }
      // Everything at or above the chunk's lowest UID is stored now: a restart searches below it only.
      const next = pending.uids.length === 0 ? null : (chunk[0] ?? below);
      pending.below = next ?? 0;
      this.syncRepository.setHeadersBelow(folder, next);
      if (next === null) this.pendingHeaders.delete(folder);
      return step;
    } finally {
      lock.release();
    }
  }

  private async bodies(folder: string): Promise<BackfillStep> {
    const step: BackfillStep = { kind: 'bodies', folder, stored: 0 };
    const wanted = this.repository.pendingBodies(
      folder,
      this.since,
      this.bodyChunk,
      this.bodyChunkBytes,
      this.bodyCursor.get(folder),
    );
    if (wanted.length === 0) {
      this.bodiesDone.add(folder);
      return step;
    }
    const lock = await this.open(folder);
    if (!lock) return step;
    try {
      const uids = new Set(wanted.map((w) => w.uid));
      let batch: FetchedBody[] = [];
      let batchBytes = 0;
      const flush = () => {
        if (batch.length === 0) return;
        step.stored += this.repository.storeBodies(folder, batch).length;
        batch = [];
        batchBytes = 0;
      };
      const got = new Set<number>();
      for await (const msg of this.client.fetch(compressUids([...uids]), { uid: true, source: true }, { uid: true })) {
        if (!msg.source || !uids.has(msg.uid)) continue;
        got.add(msg.uid);
        let bodyText = '';
        try {
          bodyText = await this.extractText(msg.source);
        } catch {
          // an unreadable body is stored all the same; its words are not searchable
        }
        batch.push({ uid: msg.uid, source: msg.source, bodyText });
        batchBytes += msg.source.length;
        if (batchBytes >= this.bodyChunkBytes / 2) flush();
      }
      flush();
      // The server no longer has what it did not return (its expunge reaches the sync): go on below it.
      if (got.size < uids.size) this.bodyCursor.set(folder, Math.min(...uids));
      return step;
    } finally {
      lock.release();
    }
  }

  /**
   * One message's body now (the person opened it before the backfill got there). Stored when `keep` (within
   * the offline period), so the backfill never fetches it again; else for this reading only.
   */
  async bodyNow(folder: string, uid: number, keep: boolean): Promise<Buffer | null> {
    const lock = await this.client.getMailboxLock(folder, { readOnly: true });
    try {
      const msg = await this.client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (!msg || !msg.source) return null;
      if (keep) {
        let bodyText = '';
        try {
          bodyText = await this.extractText(msg.source);
        } catch {
          // stored without searchable words
        }
        this.repository.storeBodies(folder, [{ uid, source: msg.source, bodyText }]);
      }
      return msg.source;
    } finally {
      lock.release();
    }
  }
}

/**
 * Runs the backfill to its end without a service queue around it (benchmarks and tests that drive ImapSync
 * directly): step after step until nothing is left. Returns the number of steps.
 */
export async function backfillToEnd(backfill: MailBackfill, order: () => string[]): Promise<number> {
  let steps = 0;
  while (await backfill.step(order())) steps++;
  return steps;
}

/**
 * A whole sync as the service does it, without its queue (benchmarks and tests that drive the connection
 * themselves): every folder synced, then the download of headers and bodies run to its end. Returns the
 * folder results of the sync.
 */
export async function syncToEnd(
  client: ImapFlow,
  vault: VaultDoor,
  syncRepository: MailSyncRepository,
  options: ImapSyncOptions & MailBackfillOptions = {},
): Promise<FolderSyncResult[]> {
  const results = await new ImapSync(client, syncRepository, options).syncAll();
  const backfill = new MailBackfill(client, syncRepository, new MailBackfillRepository(vault), options);
  const queries = new MailQueryRepository(vault);
  await backfillToEnd(backfill, () => backfillOrder(queries.folders()));
  return results;
}
