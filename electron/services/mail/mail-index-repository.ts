import type { MailAddress } from '../../contract/mail-sync';
import type { WritableDB } from '../vault/vault-db';
import { foldGerman } from './mail-search';

/** Body text beyond this many characters is not indexed (the preview and the source keep all of it). */
const MAX_INDEXED_BODY = 200_000;

/** A stored message's columns the index holds besides its body (StoredHeaders), for queries on `mail_messages m`. */
export const STORED_HEADER_COLUMNS = 'm.subject, m.from_name, m.from_address, m.to_json, m.cc_json';

const SQL = {
  insert: 'INSERT INTO mail_fts (rowid, subject, sender, recipients, body) VALUES (?, ?, ?, ?, ?)',
  remove: 'DELETE FROM mail_fts WHERE rowid = ?',
  headers: `SELECT ${STORED_HEADER_COLUMNS} FROM mail_messages m WHERE m.id = ?`,
} as const;

/** What the search index holds of a message besides its body. */
export interface IndexedHeaders {
  subject: string;
  from: MailAddress;
  to: readonly MailAddress[];
  cc: readonly MailAddress[];
}

function addressText(list: readonly MailAddress[]): string {
  return list.map((a) => `${a.name} ${a.address}`).join(' ');
}

/**
 * The list's preview: the first words of the body text (of its first 1,000 characters), one space between
 * them, at most 200 characters. Word by word, stopping at 200: collapsing all 1,000 characters' whitespace
 * first cost three times as much, for every body of a first login.
 */
export function previewOf(text: string | null): string {
  if (!text) return '';
  let preview = '';
  for (const [word] of text.slice(0, 1_000).matchAll(/\S+/g)) {
    preview = preview ? `${preview} ${word}` : word;
    if (preview.length >= 200) break;
  }
  return preview.slice(0, 200);
}

/** Adds a new message to the full-text index (folded for German: "Burger" finds "Bürger"). */
export function indexMessage(db: WritableDB, id: number, h: IndexedHeaders, bodyText: string | null): void {
  db.prepare(SQL.insert).run(
    id,
    foldGerman(h.subject),
    foldGerman(`${h.from.name} ${h.from.address}`),
    foldGerman(addressText([...h.to, ...h.cc])),
    bodyText ? foldGerman(bodyText.slice(0, MAX_INDEXED_BODY)) : '',
  );
}

function addresses(json: string): MailAddress[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as MailAddress[]) : [];
  } catch {
    return [];
  }
}

/** A stored message's columns the index holds besides its body. */
export interface StoredHeaders {
  subject: string;
  from_name: string;
  from_address: string;
  to_json: string;
  cc_json: string;
}

/**
 * Indexes a stored message again with a new body text (its body arrived, or left with the offline period; null:
 * headers only). The index is contentless: its entry is replaced from the message's stored headers, read here
 * unless the caller read them already (`stored`).
 */
export function reindexMessage(db: WritableDB, id: number, bodyText: string | null, stored?: StoredHeaders): void {
  const row = stored ?? db.prepare<[number], StoredHeaders>(SQL.headers).get(id);
  if (!row) return;
  db.prepare(SQL.remove).run(id);
  indexMessage(
    db,
    id,
    {
      subject: row.subject,
      from: { name: row.from_name, address: row.from_address },
      to: addresses(row.to_json),
      cc: addresses(row.cc_json),
    },
    bodyText,
  );
}

/** Removes a message from the index. */
export function unindexMessage(db: WritableDB, id: number): void {
  db.prepare(SQL.remove).run(id);
}
