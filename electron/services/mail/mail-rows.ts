import type { MailAddress, MailListItem, StoredMessage } from '../../contract/mail-sync';

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

export const LIST_COLUMNS =
  'm.id, m.folder, m.uid, m.subject, m.from_name, m.from_address, m.date, m.size, m.seen, m.flagged, m.answered, m.has_attachments, m.preview';

export const FULL_COLUMNS = `${LIST_COLUMNS}, m.to_json, m.cc_json, m.message_id, m.in_reply_to, m.refs, m.has_body`;

export function toListItem(r: MessageRow): MailListItem {
  return {
    id: r.id,
    folder: r.folder,
    uid: r.uid,
    subject: r.subject,
    from: { name: r.from_name, address: r.from_address },
    date: r.date === null ? null : new Date(r.date).toISOString(),
    size: r.size,
    seen: r.seen === 1,
    flagged: r.flagged === 1,
    answered: r.answered === 1,
    hasAttachments: r.has_attachments === 1,
    preview: r.preview,
  };
}

function addresses(json: string): MailAddress[] {
  try {
    const v: unknown = JSON.parse(json);
    if (!Array.isArray(v)) return [];
    return v
      .filter((a): a is { name?: unknown; address?: unknown } => typeof a === 'object' && a !== null)
      .map((a) => ({
        name: typeof a.name === 'string' ? a.name : '',
        address: typeof a.address === 'string' ? a.address : '',
      }));
  } catch {
    return [];
  }
}

export function toStoredMessage(r: FullMessageRow): StoredMessage {
  return {
    ...toListItem(r),
    to: addresses(r.to_json),
    cc: addresses(r.cc_json),
    messageId: r.message_id,
    inReplyTo: r.in_reply_to,
    references: r.refs ? r.refs.split(/\s+/).filter(Boolean) : [],
    hasBody: r.has_body === 1,
  };
}
