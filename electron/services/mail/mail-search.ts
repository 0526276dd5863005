import type { MailListItem, SearchInput } from '../../contract/mail-sync';
import { SearchInputSchema } from '../../contract/mail-sync';
import { RatsdeskError } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
import { foldGerman, queryTerms } from '../search/german-folding';
import { FtsPrefixMatch } from '../search/fts-prefix-match';
import { type MessageRow, type RowProblemLog, toListItems, LIST_COLUMNS } from './mail-rows';

// The folding is shared by every index of the vault (search/german-folding.ts); the sync writes with it.
export { foldGerman };

/**
 * An FTS5 MATCH expression in which every word is a quoted prefix term, ANDed. Quoting makes any
 * user input safe (FTS5 syntax such as NEAR, OR, column filters or a stray quote has no effect).
 */
export function buildMatchExpression(query: string): string | null {
  const terms = queryTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
}

/** Index of mail_messages by id with the search filter columns (mail-002-search-filters). */
const FILTER_INDEX = 'mail_messages_search_filters';

/**
 * Search over subject, sender, recipients and body text, with folder/unread/date/attachment filters.
 * With words, the newest `limit` matches by arrival (vault row order) are returned, sorted by date.
 * Query words are expanded into index terms (FtsPrefixMatch), so FTS5 walks the matches newest first and stops
 * after `limit` hits. With filters, the walk starts at the newest row that passes them, so rows a filter rejects in bulk at the
 * top of the vault (a newer folder, a date bound) are skipped by a rowid bound instead of row by row.
 */
export class MailSearch {
  private readonly match: FtsPrefixMatch;

  constructor(
    private readonly vault: VaultDoor,
    private readonly log?: RowProblemLog,
  ) {
    this.match = new FtsPrefixMatch(vault, 'mail_fts');
  }

  search(input: SearchInput): MailListItem[] {
    const parsed = SearchInputSchema.safeParse(input);
    if (!parsed.success) throw new RatsdeskError('INVALID_INPUT', parsed.error.issues[0]?.message);
    const q = parsed.data;
    const where: string[] = [];
    const params: Record<string, string | number> = {};
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
    const match = this.match.expression(q.query);
    if (match === null) return [];
    const filterParams = { ...params };
    params.limit = q.limit;
    let sql: string;
    if (match !== undefined) {
      params.match = match;
      const filters = where.map((w) => `AND ${w.replace(/\bm\./g, 'n.')}`).join(' ');
      let bound = '';
      if (where.length > 0) {
        // The newest row that passes the filters, read from the narrow filter index (not the wide rows).
        const top = this.vault.guard((db) =>
          db
            .pluck<[Record<string, string | number>], number>(
              `SELECT n.id FROM mail_messages n INDEXED BY ${FILTER_INDEX} WHERE 1 ${filters} ORDER BY n.id DESC LIMIT 1`,
            )
            .get(filterParams),
        );
        if (top === undefined) return [];
        params.top = top;
        bound = 'AND f.rowid <= @top';
      }
      // FTS5 walks its doclists newest row first and stops after `limit` hits that pass the filters
      // (checked on the narrow filter index); only those hits read their list columns. Ordering by date in
      // SQL would materialize and sort every match (slow for common words).
      sql = `SELECT ${LIST_COLUMNS} FROM mail_messages m WHERE m.id IN (
               SELECT f.rowid FROM mail_fts f ${
                 where.length > 0 ? `CROSS JOIN mail_messages n INDEXED BY ${FILTER_INDEX} ON n.id = f.rowid` : ''
               }
               WHERE mail_fts MATCH @match ${bound} ${filters}
               ORDER BY f.rowid DESC LIMIT @limit)`;
    } else {
      sql = `SELECT ${LIST_COLUMNS} FROM mail_messages m ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY m.date DESC, m.id DESC LIMIT @limit`;
    }
    const rows = this.vault.guard((db) => db.prepare<[typeof params], MessageRow>(sql).all(params));
    if (match !== undefined) rows.sort((a, b) => (b.date ?? 0) - (a.date ?? 0) || b.id - a.id);
    return toListItems(rows, this.log);
  }
}
