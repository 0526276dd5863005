import { NOTES_FOLDER } from '../notes/notes-sync';
import {
  ImapFlow,
  type FetchMessageObject,
  type FetchQueryObject,
  type ImapFlowOptions,
  type ListResponse,
  type MessageStructureObject,
} from 'imapflow';
import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { FolderRole, SyncProgress } from '../../contract/mail-sync';
import { MAIL_TEXT_LIMITS } from '../../contract/shown-text';
import { classifyConnectError, tlsOptions, type TlsTrust } from './imap-connection';
import type { FolderInfo, FolderSyncState, MailSyncRepository, NewMessage } from './mail-sync-repository';
import { decideHeaders, headerBlockOf, SHOWN_HEADERS } from './message-headers';
import { indexText } from './message-index-text';

/** Turns a raw message into the body text for the index and preview. */
export type IndexTextExtractor = (raw: Buffer) => Promise<string>;

export interface ImapSyncOptions {
  /** Store bodies of messages from the last N days only (headers of all); null or undefined: all bodies. */
  bodyDays?: number | null;
  /** Messages written per vault transaction (at most). */
  batchSize?: number;
  /** Source bytes held before a batch is written, whatever its count: bounds memory on big messages. */
  batchBytes?: number;
  /** New mail of a folder fetched at once with its bodies, at most; more goes through the backfill. */
  newMailAtOnce?: number;
  extractText?: IndexTextExtractor;
  onProgress?: (p: SyncProgress) => void;
}

export interface FolderSyncResult {
  folder: string;
  /** Vault ids of messages that arrived in this sync. */
  newIds: number[];
  flagChanges: number;
  removed: number;
  /** The folder's UIDVALIDITY changed and it was rebuilt. */
  rebuilt: boolean;
  /** Nothing changed on the server: no SELECT was sent. */
  unchanged: boolean;
  /** First sync of this folder (or a rebuild): its messages are not "new mail". */
  initial: boolean;
  /** The server refused this folder (NO/BAD); the other folders were synced. */
  error?: string;
}

/**
 * A new single-use client for sync: CONDSTORE and QRESYNC enabled. imapflow clients cannot reconnect after
 * close; the sync service makes a new one for every connect. `keepAliveByIdle`: between jobs the connection
 * waits in IDLE (on whatever folder it has selected) instead of going quiet - a quiet connection would hit
 * the socket timeout, or the server's inactivity logout, and cost a new login; IDLE costs the server nothing
 * and lets the full poll run rarely.
 */
export function createSyncClient(
  settings: AccountSettings,
  password: string,
  trust: TlsTrust = {},
  extra: Pick<ImapFlowOptions, 'logger'> & { keepAliveByIdle?: boolean } = {},
): ImapFlow {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    doSTARTTLS: settings.security === 'starttls' ? true : undefined,
    auth: { user: settings.username, pass: password },
    tls: tlsOptions(settings.host, trust),
    logger: extra.logger ?? false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 5 * 60_000,
    disableAutoIdle: !extra.keepAliveByIdle,
    qresync: true,
  });
  // Without a listener an 'error' event would crash the process; failures surface through the commands.
  client.on('error', () => undefined);
  return client;
}

/** Connect a fresh client; any failure comes back as a RatsdeskError with a stable code. */
export async function connectSyncClient(client: ImapFlow): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw classifyConnectError(err);
  }
}

const ROLE_BY_SPECIAL_USE: Record<string, FolderRole> = {
  '\\Inbox': 'inbox',
  '\\Sent': 'sent',
  '\\Drafts': 'drafts',
  '\\Trash': 'trash',
  '\\Junk': 'junk',
  '\\Archive': 'archive',
};

export function roleOf(f: Pick<ListResponse, 'path' | 'specialUse'>): FolderRole | null {
  if (f.path.toUpperCase() === 'INBOX') return 'inbox';
  return (f.specialUse && ROLE_BY_SPECIAL_USE[f.specialUse]) || null;
}

function toDate(v: Date | string | undefined): number | null {
  if (v === undefined) return null;
  const t = new Date(v).getTime();
  return Number.isNaN(t) ? null : t;
}

/** Does the body structure carry a part meant as an attachment? */
export function hasAttachmentPart(node: MessageStructureObject | undefined): boolean {
  if (!node) return false;
  if (node.childNodes?.length) return node.childNodes.some(hasAttachmentPart);
  if (node.disposition?.toLowerCase() === 'attachment') return true;
  const named = node.dispositionParameters?.filename ?? node.parameters?.name;
  return Boolean(named) && !/^text\/(plain|html)$/i.test(node.type) && node.disposition?.toLowerCase() !== 'inline';
}

function bigintString(v: bigint | undefined | false): string | null {
  return typeof v === 'bigint' ? v.toString() : null;
}

/**
 * What the sync fetches of every message besides its source: flags, size, attachment marker, and the header
 * lines the app shows (BODY.PEEK[HEADER.FIELDS]) — every occurrence, raw bytes as sent. The list, the reading
 * pane and a reply show one decision over these lines (message-headers.ts, issue #19 item 3), never the
 * server's ENVELOPE, which may pick another of two Subject lines or decode 8-bit bytes its own way.
 */
export const HEADER_QUERY = {
  uid: true,
  flags: true,
  internalDate: true,
  size: true,
  bodyStructure: true,
  headers: [...SHOWN_HEADERS],
} satisfies FetchQueryObject;

/**
 * Leaves the selected mailbox, if any. Dovecot answers STATUS (also within LIST-STATUS) for the mailbox this
 * connection has selected from its selected view, as it was at the SELECT: new mail there, or the folder
 * deleted and created anew, would look unchanged. CLOSE removes nothing from a mailbox opened read-only, so
 * one opened read-write is examined first.
 */
export async function leaveMailbox(client: ImapFlow): Promise<void> {
  const box = client.mailbox;
  if (!box) return;
  if (!box.readOnly) await client.mailboxOpen(box.path, { readOnly: true });
  await client.mailboxClose();
}

/**
 * The sync of one account over one connected imapflow client (RFC 7162 style):
 * - folders and their UIDVALIDITY/UIDNEXT/HIGHESTMODSEQ in one LIST-STATUS; an unchanged folder costs nothing more;
 * - new mail by UID range from the highest stored UID (resumes where a dropped connection stopped);
 * - flag changes by CHANGEDSINCE, deletions by QRESYNC VANISHED (else a UID SEARCH difference);
 * - a changed UIDVALIDITY rebuilds that folder only;
 * - a folder seen for the first time is only registered: its messages come through MailBackfill (newest first,
 *   headers of every folder before bodies, one bounded FETCH per step), as does a burst of new mail.
 * Fetch results are consumed without sending any command inside the fetch iteration.
 */
export class ImapSync {
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly newMailAtOnce: number;
  private readonly extractText: IndexTextExtractor;

  constructor(
    private readonly client: ImapFlow,
    private readonly repository: MailSyncRepository,
    private readonly options: ImapSyncOptions = {},
  ) {
    // The byte bound keeps the sources held in memory small whatever the messages' sizes (a run of 200 KB
    // messages is written early). 1,000 per batch measured no faster than 250 here, with a higher peak RSS.
    this.batchSize = options.batchSize ?? 250;
    this.batchBytes = options.batchBytes ?? 8 * 1024 * 1024;
    this.newMailAtOnce = options.newMailAtOnce ?? 200;
    this.extractText = options.extractText ?? indexText;
  }

  /** Folder list with status; stores the list, answers the server state per folder path. */
  async syncFolderList(): Promise<Map<string, FolderSyncState & { messages: number | null }>> {
    await this.unselect();
    const canStatus = this.client.capabilities.has('CONDSTORE') || this.client.enabled.has('CONDSTORE');
    // (listOnly would skip the special-use and status handling in imapflow 2.10)
    const list = await this.client.list({
      statusQuery: { uidValidity: true, uidNext: true, messages: true, ...(canStatus ? { highestModseq: true } : {}) },
    });
    // A folder whose path does not fit the contract could not be named in a call: it is not synced.
    // The hidden notes folder carries sealed notes, not mail: the notes service reads it, the mail list never shows it.
    const selectable = list.filter(
      (f) =>
        !f.flags.has('\\Noselect') &&
        !f.flags.has('\\NonExistent') &&
        f.path.length <= MAIL_TEXT_LIMITS.folder &&
        f.path !== NOTES_FOLDER,
    );
    const folders: FolderInfo[] = selectable.map((f) => ({
      path: f.path,
      name: f.name,
      delimiter: f.delimiter ?? null,
      role: roleOf(f),
    }));
    this.repository.setFolders(folders);
    const states = new Map<string, FolderSyncState & { messages: number | null }>();
    for (const f of selectable) {
      states.set(f.path, {
        uidValidity: bigintString(f.status?.uidValidity),
        uidNext: f.status?.uidNext ?? null,
        highestModseq: bigintString(f.status?.highestModseq),
        messages: f.status?.messages ?? null,
      });
    }
    this.options.onProgress?.({ folder: '', phase: 'folders', done: folders.length, total: folders.length });
    return states;
  }

  private async unselect(): Promise<void> {
    await leaveMailbox(this.client);
  }

  /** Sync every folder, INBOX first. */
  async syncAll(): Promise<FolderSyncResult[]> {
    const states = await this.syncFolderList();
    const paths = [...states.keys()].sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a.localeCompare(b)));
    const results: FolderSyncResult[] = [];
    for (const path of paths) {
      try {
        results.push(await this.syncFolder(path, states.get(path)));
      } catch (err) {
        // A refused folder must not stop the others; a lost connection, or a vault that cannot take more
        // (every further folder would fail the same way), ends the whole sync.
        if (!this.client.usable || (err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
        results.push({
          folder: path,
          newIds: [],
          flagChanges: 0,
          removed: 0,
          rebuilt: false,
          unchanged: false,
          initial: false,
          error: String((err as Error)?.message ?? err).slice(0, 300),
        });
      }
    }
    return results;
  }

  /**
   * Bring one folder up to date. `status` (from LIST-STATUS) lets an unchanged folder be skipped
   * without selecting it. Sync state is saved only after the whole folder succeeded, so an
   * interrupted sync resumes correctly and never stores a message twice.
   */
  async syncFolder(path: string, status?: FolderSyncState & { messages: number | null }): Promise<FolderSyncResult> {
    let prev = this.repository.folderState(path);
    const result: FolderSyncResult = {
      folder: path,
      newIds: [],
      flagChanges: 0,
      removed: 0,
      rebuilt: false,
      unchanged: false,
      initial: prev.uidValidity === null,
    };
    if (
      status &&
      prev.uidValidity !== null &&
      status.uidValidity === prev.uidValidity &&
      status.uidNext === prev.uidNext &&
      status.highestModseq !== null &&
      status.highestModseq === prev.highestModseq
    ) {
      result.unchanged = true;
      return result;
    }
    // A folder seen for the first time: only its state is recorded here, with what LIST-STATUS said (no
    // SELECT); its messages come through the backfill, newest first and in bounded chunks (mail-backfill.ts).
    if (prev.uidValidity === null && status?.uidValidity && status.uidNext !== null) {
      this.register(path, status, status.messages ?? 0);
      return result;
    }

    const vanished = new Set<number>();
    const onExpunge = (e: { path: string; uid?: number; vanished: boolean }) => {
      if (e.path === path && e.vanished && e.uid) vanished.add(e.uid);
    };
    this.client.on('expunge', onExpunge);
    const lock = await this.openFresh(path);
    try {
      const box = this.client.mailbox;
      if (!box) throw new Error(`mailbox ${path} not open`);
      const now: FolderSyncState = {
        uidValidity: bigintString(box.uidValidity),
        uidNext: box.uidNext ?? null,
        highestModseq: box.noModseq ? null : bigintString(box.highestModseq),
      };
      if (prev.uidValidity !== null && prev.uidValidity !== now.uidValidity) {
        this.repository.clearFolder(path);
        result.rebuilt = true;
        result.initial = true;
        prev = { uidValidity: null, uidNext: null, highestModseq: null };
      }
      if (prev.uidValidity === null) {
        this.register(path, now, box.exists);
        return result;
      }

      const maxUid = this.repository.maxUid(path);
      // 1. Changes to messages we have: flags (CHANGEDSINCE) and expunges (VANISHED).
      if (maxUid > 0 && prev.uidValidity !== null) {
        const condstore =
          this.client.enabled.has('CONDSTORE') && now.highestModseq !== null && prev.highestModseq !== null;
        if (!condstore || prev.highestModseq !== now.highestModseq) {
          this.options.onProgress?.({ folder: path, phase: 'changes', done: 0, total: 0 });
          const changed = await this.client.fetchAll(
            `1:${maxUid}`,
            { uid: true, flags: true },
            condstore ? { uid: true, changedSince: BigInt(prev.highestModseq as string) } : { uid: true },
          );
          const changes = changed
            .filter((m) => m.uid <= maxUid)
            .map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])] }));
          this.repository.applyFlagChanges(path, changes);
          result.flagChanges = changes.length;
          if (vanished.size > 0) result.removed += this.repository.removeUids(path, vanished);
          if (!this.client.enabled.has('QRESYNC')) result.removed += await this.removeBySearchDifference(path, maxUid);
        }
      }

      // 2. New mail by UID range: a few messages at once, with their bodies; a burst (the app was away for
      // days) through the backfill, newest first and in chunks, so the connection stays free for other work.
      const from = this.repository.fetchFrom(path);
      if (box.exists > 0 && (now.uidNext === null || now.uidNext > from)) {
        if (now.uidNext !== null && now.uidNext - from > this.newMailAtOnce) {
          this.repository.raiseHeadersBelow(path, now.uidNext);
        } else {
          result.newIds = await this.fetchNew(path, from, box.exists);
        }
      }

      // 3. Self-check: a count that disagrees with the server's means we missed expunges (only once every
      // header is stored: until then the backfill is behind, not the sync).
      if (this.repository.headersBelow(path) === null && this.repository.uids(path).length !== box.exists) {
        result.removed += await this.removeBySearchDifference(path, this.repository.maxUid(path));
      }
      this.repository.setFolderState(path, now);
      this.repository.setServerTotal(path, box.exists);
      this.options.onProgress?.({
        folder: path,
        phase: 'done',
        done: result.newIds.length,
        total: result.newIds.length,
      });
      return result;
    } finally {
      lock.release();
      this.client.off('expunge', onExpunge);
    }
  }

  /**
   * The folder's lock with its state as the server has it now. imapflow grants a lock on the mailbox that is
   * already selected without any command, and keeps that mailbox's UIDNEXT and HIGHESTMODSEQ as they were at
   * its SELECT: new mail in it would go unseen until another folder had been selected in between. So an
   * already selected folder is examined again (one command; the server answers with its current state).
   */
  private async openFresh(path: string): Promise<{ release(): void }> {
    const selected = this.client.mailbox;
    const reused = Boolean(selected && selected.path === path && selected.readOnly);
    const lock = await this.client.getMailboxLock(path, { readOnly: true });
    try {
      if (reused && this.client.mailbox && this.client.mailbox.path === path)
        await this.client.mailboxOpen(path, { readOnly: true });
    } catch (err) {
      lock.release();
      throw err;
    }
    return lock;
  }

  /**
   * Records a folder seen for the first time (or rebuilt): its state as the server has it, and every message
   * below its UIDNEXT left to the backfill.
   */
  private register(path: string, state: FolderSyncState, messages: number): void {
    this.repository.setFolderState(path, {
      uidValidity: state.uidValidity,
      uidNext: state.uidNext,
      highestModseq: state.highestModseq,
    });
    this.repository.setHeadersBelow(path, messages > 0 && state.uidNext !== null ? state.uidNext : null);
    this.repository.setServerTotal(path, messages);
    // The folder's sync is done; its messages follow through the download (offlineProgress).
    this.options.onProgress?.({ folder: path, phase: 'done', done: 0, total: 0 });
  }

  /** UID SEARCH ALL and drop what the server no longer has (servers without QRESYNC). */
  private async removeBySearchDifference(path: string, maxUid: number): Promise<number> {
    if (maxUid <= 0) return 0;
    const present = await this.client.search({ uid: `1:${maxUid}` }, { uid: true });
    const on = new Set(present || []);
    const gone = this.repository.uids(path).filter((u) => !on.has(u));
    return this.repository.removeUids(path, gone);
  }

  private async fetchNew(path: string, from: number, exists: number): Promise<number[]> {
    const bodyDays = this.options.bodyDays;
    const ids: number[] = [];
    if (bodyDays === null || bodyDays === undefined) {
      ids.push(...(await this.fetchRange(path, `${from}:*`, from, true, exists)));
      return ids;
    }
    const since = new Date(Date.now() - bodyDays * 86_400_000);
    const recent = (await this.client.search({ uid: `${from}:*`, since }, { uid: true })) || [];
    const recentSet = new Set(recent.filter((u) => u >= from));
    // Headers only for the older ones, full source for the synced period.
    ids.push(...(await this.fetchRange(path, `${from}:*`, from, false, exists, (uid) => !recentSet.has(uid))));
    if (recentSet.size > 0)
      ids.push(...(await this.fetchRange(path, compressUids([...recentSet]), from, true, recentSet.size)));
    return ids;
  }

  /**
   * One UID FETCH, consumed as a stream; rows are parsed and written in batches. No IMAP command is
   * sent inside the iteration (imapflow would deadlock).
   */
  private async fetchRange(
    path: string,
    range: string,
    minUid: number,
    withSource: boolean,
    expected: number,
    keep: (uid: number) => boolean = () => true,
  ): Promise<number[]> {
    const ids: number[] = [];
    // Parsed messages wait here; the raw FETCH objects are dropped as soon as they are parsed.
    let batch: NewMessage[] = [];
    let batchBytes = 0;
    let done = 0;
    const flush = () => {
      if (batch.length === 0) return;
      const messages = batch;
      batch = [];
      batchBytes = 0;
      for (const id of this.repository.insertMessages(messages)) ids.push(id);
      done += messages.length;
      this.options.onProgress?.({ folder: path, phase: 'new', done, total: Math.max(expected, done) });
    };
    for await (const msg of this.client.fetch(range, { ...HEADER_QUERY, source: withSource }, { uid: true })) {
      if (msg.uid < minUid || !keep(msg.uid)) continue;
      const message = await toNewMessage(path, msg, this.extractText);
      batch.push(message);
      batchBytes += message.source?.length ?? 0;
      if (batch.length >= this.batchSize || batchBytes >= this.batchBytes) flush();
    }
    flush();
    return ids;
  }
}

/**
 * A fetched message as the vault stores it (body text only when the source came with it). Its headers are
 * decided from its own header lines: the source's header block, else the fetched header fields.
 */
export async function toNewMessage(
  path: string,
  m: FetchMessageObject,
  extractText: IndexTextExtractor,
): Promise<NewMessage> {
  const headers = decideHeaders(m.source ? headerBlockOf(m.source) : (m.headers ?? Buffer.alloc(0)));
  let bodyText: string | null = null;
  if (m.source) {
    try {
      bodyText = await extractText(m.source);
    } catch {
      // A body the text extractor cannot read is stored all the same (the reader shows its source);
      // only the search misses its words.
      bodyText = '';
    }
  }
  return {
    folder: path,
    uid: m.uid,
    messageId: headers.messageId,
    inReplyTo: headers.inReplyTo,
    references: headers.references,
    subject: headers.subject,
    from: headers.from[0] ?? { name: '', address: '' },
    to: headers.to,
    cc: headers.cc,
    date: toDate(headers.date ?? undefined) ?? toDate(m.internalDate),
    size: m.size ?? m.source?.length ?? 0,
    flags: [...(m.flags ?? [])],
    hasAttachments: hasAttachmentPart(m.bodyStructure),
    bodyText,
    source: m.source ?? null,
  };
}

/** "1,2,3,7,9,10" → "1:3,7,9:10" */
export function compressUids(uids: number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
