import {
  type MailAddress,
  type MailListItem,
  MailListItemSchema,
  type StoredMessage,
  StoredMessageSchema,
} from '../../contract/mail-sync';
import { boundedText, MAIL_TEXT_LIMITS as LIMITS, shownLine } from '../../contract/shown-text';
import type { Log } from '../log/log-service';
import { nameNamesOtherAddress } from './misleading-sender-name';

/** A mail_messages row as SQLite answers it (the columns of LIST_COLUMNS). */
export interface MessageRow {
  id: number;
  folder: string;
  uid: number;
  subject: string;
  from_name: string;
  from_address: string;
  date: number | null;
  size: number;
  seen: number;
  flagged: number;
  answered: number;
  forwarded: number;
  has_attachments: number;
  preview: string;
}

export interface FullMessageRow extends MessageRow {
  to_json: string;
  cc_json: string;
  message_id: string | null;
  in_reply_to: string | null;
  refs: string | null;
  has_body: number;
}

/** Where a list says that it showed an entry degraded (the app's log; never the entry's content). */
export type RowProblemLog = Pick<Log, 'warn'>;

export const LIST_COLUMNS =
  'm.id, m.folder, m.uid, m.subject, m.from_name, m.from_address, m.date, m.size, m.seen, m.flagged, m.answered, m.forwarded, m.has_attachments, m.preview';

export const FULL_COLUMNS = `${LIST_COLUMNS}, m.to_json, m.cc_json, m.message_id, m.in_reply_to, m.refs, m.has_body`;

/** Addresses and references a stored message answers with, at most (the parser stores no more). */
const MAX_ADDRESSES = 1000;
const MAX_REFERENCES = 500;

function isoDate(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function shownAddress(name: unknown, address: unknown): MailAddress {
  return {
    name: typeof name === 'string' ? shownLine(name, LIMITS.name) : '',
    address: typeof address === 'string' ? shownLine(address, LIMITS.address) : '',
  };
}

/**
 * A row as a list entry, every text field bounded (issue #10 item 3): rows written before the sync bounded
 * them, or by another writer, still fit the contract.
 */
export function toListItem(r: MessageRow): MailListItem {
  const from = shownAddress(r.from_name, r.from_address);
  return {
    id: r.id,
    folder: r.folder,
    uid: r.uid,
    subject: shownLine(r.subject ?? '', LIMITS.subject),
    from,
    fromNameMisleads: nameNamesOtherAddress(from.name, from.address),
    date: isoDate(r.date),
    size: Number.isSafeInteger(r.size) && r.size > 0 ? r.size : 0,
    seen: r.seen === 1,
    flagged: r.flagged === 1,
    answered: r.answered === 1,
    forwarded: r.forwarded === 1,
    hasAttachments: r.has_attachments === 1,
    preview: shownLine(r.preview ?? '', LIMITS.preview),
  };
}

/** What is left of an entry that cannot be shown: its ids and flags, so it stays listed and can be opened. */
function degradedItem(r: MessageRow): MailListItem {
  return {
    id: r.id,
    folder: r.folder,
    uid: r.uid,
    subject: '',
    from: { name: '', address: '' },
    fromNameMisleads: false,
    date: null,
    size: 0,
    seen: r.seen === 1,
    flagged: r.flagged === 1,
    answered: r.answered === 1,
    forwarded: r.forwarded === 1,
    hasAttachments: false,
    preview: '',
    degraded: true,
  };
}

/**
 * List entries of rows, each checked against the contract on its own: one entry that cannot be shown is
 * listed degraded and logged, never failing the page (and so hiding its neighbours); one that cannot even be
 * listed so (a row without a usable id) is left out and logged.
 */
export function toListItems(rows: readonly MessageRow[], log: RowProblemLog | undefined): MailListItem[] {
  const items: MailListItem[] = [];
  for (const row of rows) {
    let item: MailListItem | undefined;
    try {
      const candidate = toListItem(row);
      if (MailListItemSchema.safeParse(candidate).success) item = candidate;
    } catch {
      // falls through to the degraded form
    }
    if (!item) {
      const degraded = degradedItem(row);
      const fits = MailListItemSchema.safeParse(degraded).success;
      log?.warn(fits ? 'mail.list-item-degraded' : 'mail.list-item-dropped', `message ${String(row.id).slice(0, 20)}`);
      if (fits) item = degraded;
    }
    if (item) items.push(item);
  }
  return items;
}

function addresses(json: string): MailAddress[] {
  try {
    const v: unknown = JSON.parse(json);
    if (!Array.isArray(v)) return [];
    return v
      .slice(0, MAX_ADDRESSES)
      .filter((a): a is { name?: unknown; address?: unknown } => typeof a === 'object' && a !== null)
      .map((a) => shownAddress(a.name, a.address));
  } catch {
    return [];
  }
}

function messageId(id: string | null): string | null {
  return id === null ? null : boundedText(id, LIMITS.messageId);
}

/** A stored message with its headers as decided at sync, bounded like a list entry. */
export function toStoredMessage(r: FullMessageRow, log?: RowProblemLog): StoredMessage {
  const [listed] = toListItems([r], log);
  const stored: StoredMessage = {
    ...(listed ?? degradedItem(r)),
    to: addresses(r.to_json),
    cc: addresses(r.cc_json),
    messageId: messageId(r.message_id),
    inReplyTo: messageId(r.in_reply_to),
    references: (r.refs ? r.refs.split(/\s+/).filter(Boolean) : [])
      .slice(-MAX_REFERENCES)
      .map((ref) => messageId(ref)!),
    hasBody: r.has_body === 1,
  };
  if (StoredMessageSchema.safeParse(stored).success) return stored;
  log?.warn('mail.message-headers-degraded', `message ${String(r.id).slice(0, 20)}`);
  return { ...stored, to: [], cc: [], references: [] };
}
