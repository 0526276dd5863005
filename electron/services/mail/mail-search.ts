import type Database from 'better-sqlite3-multiple-ciphers';
import type { MailListItem, SearchInput } from '../../contract/mail-sync';
import { SearchInputSchema } from '../../contract/mail-sync';
import { RatsdeskError } from '../../contract/errors';
import { type MessageRow, toListItem, LIST_COLUMNS } from './mail-rows';

/**
 * German-friendly folding applied to indexed text and to queries alike. The FTS5 tokenizer
 * (unicode61, remove_diacritics 2) already folds ä→a, ö→o, ü→u, é→e and case; what it cannot do is
 * expand ß (and capital ẞ) to ss, so "Strasse" and "Straße" meet only when both sides pass through here.
 */
export function foldGerman(text: string): string {
  // NFC only when combining marks are present (rare; normalizing every body costs time on a big sync).
  const composed = /[\u0300-\u036f]/.test(text) ? text.normalize('NFC') : text;
  return composed.replace(/ß/g, 'ss').replace(/ẞ/g, 'SS');
}

/** The words of a query, folded; anything that is not a letter or digit separates words. */
export function queryTerms(query: string): string[] {
  return foldGerman(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
}

/**
 * An FTS5 MATCH expression in which every word is a quoted prefix term, ANDed. Quoting makes any
 * user input safe (FTS5 syntax such as NEAR, OR, column filters or a stray quote has no effect).
 */
export function buildMatchExpression(query: string): string | null {
  const terms = queryTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
}

/**
 * Search over subject, sender, recipients and body text, with folder/unread/date/attachment filters.
 * With words, the newest `limit` matches by arrival (vault row order) are returned, sorted by date.
 */
export class MailSearch {
  constructor(private readonly db: Database.Database) {}

  search(input: SearchInput): MailListItem[] {
    const parsed = SearchInputSchema.safeParse(input);
    if (!parsed.success) throw new RatsdeskError('INVALID_INPUT', parsed.error.issues[0]?.message);
    const q = parsed.data;
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: q.limit };
    if (q.folder !== undefined) {
      where.push('m.folder = @folder');
      params.folder = q.folder;
    }
    if (q.unread !== undefined) {
      where.push('m.seen = @seen');
      params.seen = q.unread ? 0 : 1;
    }
    if (q.hasAttachment !== undefined) {
      where.push('m.has_attachments = @att');
      params.att = q.hasAttachment ? 1 : 0;
    }
    if (q.since !== undefined) {
      where.push('m.date >= @since');
      params.since = Date.parse(q.since);
    }
    if (q.until !== undefined) {
      where.push('m.date <= @until');
      params.until = Date.parse(q.until);
    }
    const match = buildMatchExpression(q.query);
    let sql: string;
    if (match) {
      params.match = match;
      // FTS5 walks its doclists newest row first and stops after `limit` hits that pass the filters;
      // ordering by date in SQL would materialize and sort every match (slow for common words).
      sql = `SELECT ${LIST_COLUMNS} FROM mail_fts f CROSS JOIN mail_messages m ON m.id = f.rowid
             WHERE mail_fts MATCH @match ${where.map((w) => `AND ${w}`).join(' ')}
             ORDER BY f.rowid DESC LIMIT @limit`;
    } else {
      sql = `SELECT ${LIST_COLUMNS} FROM mail_messages m ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY m.date DESC, m.id DESC LIMIT @limit`;
    }
    const rows = this.db.prepare(sql).all(params) as MessageRow[];
    if (match) rows.sort((a, b) => (b.date ?? 0) - (a.date ?? 0) || b.id - a.id);
    return rows.map(toListItem);
  }
}
