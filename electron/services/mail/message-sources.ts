import { RatsdeskError } from '../../contract/errors';
import type { MailQueryRepository } from './mail-query-repository';
import type { SmimeStatus } from '../../contract/smime-status';
import { parseMessage, type ParsedMessage } from './message-parser';

/** Opens S/MIME mail for reading (SmimeService): the message to show and its status line; null when it is none. */
export interface SmimeOpener {
  open(raw: Buffer): Promise<{ display: Buffer | null; status: SmimeStatus | null } | null>;
}

/** The search index's text of a message, S/MIME opened in memory where the policy allows (SmimeService). */
export interface SmimeIndexer {
  indexText(raw: Buffer): Promise<string>;
}

/**
 * Fetches a message's body from the server now (MailSyncService.fetchBody): stored when it is within the
 * offline period, so the first-login download does not fetch it again; null when the server has it no more.
 */
export type FetchBody = (id: number) => Promise<Buffer | null>;

/** Sources fetched from the server for the moment are kept in memory for this many messages. */
const FETCHED_KEPT = 4;
/** Parsed messages kept in memory (the reader and a reply to the same message parse once). */
const PARSED_KEPT = 8;

/**
 * The raw source and the parsed form of a stored message, for the reader and the composer: from the
 * vault, or, when only its headers are stored, from the server when online. A body the first-login download
 * had not fetched yet is stored then; one outside the synced period is kept in memory for this reading only,
 * never written to the vault, so the policy's offline period holds.
 */
export class MessageSources {
  private readonly parsed = new Map<number, ParsedMessage>();
  private readonly statuses = new Map<number, SmimeStatus | null>();
  /** What each kept parse read: the opened S/MIME content, or the source itself (memory only). */
  private readonly displayed = new Map<number, Buffer>();
  private readonly fetched = new Map<number, Buffer>();

  constructor(
    private readonly repository: MailQueryRepository,
    private readonly fetchBody: FetchBody,
    private readonly smime?: SmimeOpener,
  ) {}

  /** The raw source, or null offline (the reader then says only the headers are here). */
  async source(id: number): Promise<Buffer | null> {
    const stored = this.repository.getSource(id);
    if (stored) return stored;
    const remembered = this.fetched.get(id);
    if (remembered) return remembered;
    let fetched: Buffer | null;
    try {
      fetched = await this.fetchBody(id);
    } catch {
      return null; // offline, or the server no longer has it: the caller reports that only the headers are here
    }
    // Stored by the fetch when within the offline period: the next call reads it from the vault.
    if (fetched && !this.repository.getMessage(id).hasBody) remember(this.fetched, id, fetched, FETCHED_KEPT);
    return fetched;
  }

  /** The source or MAIL_PART_NOT_FOUND (composing needs the body). */
  async requireSource(id: number): Promise<Buffer> {
    const raw = await this.source(id);
    if (!raw) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'body not stored');
    return raw;
  }

  async parsedMessage(id: number): Promise<ParsedMessage | null> {
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const raw = await this.source(id);
    if (!raw) return null;
    // S/MIME: the opened content is parsed and kept in memory only, never written back to the vault.
    const opened = this.smime ? await this.smime.open(raw) : null;
    const parsed = await parseMessage(opened?.display ?? raw);
    remember(this.statuses, id, opened?.status ?? null, PARSED_KEPT);
    remember(this.displayed, id, opened?.display ?? raw, PARSED_KEPT);
    remember(this.parsed, id, parsed, PARSED_KEPT);
    return parsed;
  }

  /**
   * The bytes `parsedMessage` read — for an S/MIME message its opened content, else the source — so the
   * parts it reported (inline images) are found in them. Null when the message is not parsed (or not here).
   */
  async displayedSource(id: number): Promise<Buffer | null> {
    if (!this.displayed.has(id) && !(await this.parsedMessage(id))) return null;
    return this.displayed.get(id) ?? null;
  }

  /** The S/MIME status line of a message parsed before (parsedMessage), or null. */
  smimeStatus(id: number): SmimeStatus | null {
    return this.statuses.get(id) ?? null;
  }

  /** The vault id of a message named by folder and UID (replies and forwarded attachments name it so). */
  idOf(folder: string, uid: number): number {
    const id = this.repository.idOf(folder, uid);
    if (id === undefined) throw new RatsdeskError('MAIL_PART_NOT_FOUND', 'message not stored');
    return id;
  }
}

/** Keeps the newest `max` entries: the oldest goes when a new one arrives. */
function remember<V>(map: Map<number, V>, id: number, value: V, max: number): void {
  map.set(id, value);
  if (map.size > max) map.delete(map.keys().next().value as number);
}
