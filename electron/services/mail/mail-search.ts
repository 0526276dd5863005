import type { MailListItem, SearchInput } from '../../contract/mail-sync';
import { SearchInputSchema } from '../../contract/mail-sync';
import { RatsdeskError } from '../../contract/errors';
import type { VaultDoor } from '../vault/vault-db';
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

/** Index of mail_messages by id with the search filter columns (mail-002-search-filters). */
const FILTER_INDEX = 'mail_messages_search_filters';

/** Prefix tokens that expand to more index terms than this are matched as FTS5 prefix queries instead. */
const MAX_EXPANSION = 32;

/** One query word as the index sees it: its tokens after the tokenizer (case and diacritics folded). */
interface QueryWord {
  word: string;
  tokens: string[];
}

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * Search over subject, sender, recipients and body text, with folder/unread/date/attachment filters.
 * With words, the newest `limit` matches by arrival (vault row order) are returned, sorted by date.
 *
 * Speed: an FTS5 prefix term ("beschluss"*) makes FTS5 merge the whole doclists of every term with that
 * prefix before it can return the first row, which costs milliseconds per word on a big vault even with
 * LIMIT 100; a prefix index would only help for prefixes of exactly its configured lengths. So a query word
 * is expanded here into the index terms that start with it (read from an fts5vocab table over the index:
 * "beschluss" → beschluss OR beschlussvorschlag), whose doclists FTS5 walks lazily, newest first, and stops
 * after `limit` hits. A word with very many terms (short prefixes such as "2") stays an FTS5 prefix term.
 * With filters, the walk starts at the newest row that passes them, so rows a filter rejects in bulk at the
 * top of the vault (a newer folder, a date bound) are skipped by a rowid bound instead of row by row.
 */
export class MailSearch {
  constructor(private readonly vault: VaultDoor) {
    // Connection-local helpers in the temp schema (memory only): a vocabulary view of the index, and a
    // scratch FTS5 table with the index's tokenizer that turns query words into exactly the index's tokens.
    vault.transaction((db) =>
      db.exec(`
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.mail_fts_terms USING fts5vocab(main, 'mail_fts', 'row');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.mail_query_words USING fts5(
          word, tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.mail_query_tokens USING fts5vocab(temp, 'mail_query_words', 'instance');
      `),
    );
  }

  /** The query words with the tokens the index's tokenizer makes of each (a scratch table: a transaction). */
  private tokenize(words: readonly string[]): QueryWord[] {
    const out: QueryWord[] = words.map((word) => ({ word, tokens: [] }));
    this.vault.transaction((db) => {
      const addWord = db.prepare<[number, string]>('INSERT INTO temp.mail_query_words (rowid, word) VALUES (?, ?)');
      words.forEach((w, i) => addWord.run(i + 1, w));
      const tokens = db.prepare<[], { doc: number; term: string }>(
        'SELECT doc, term FROM temp.mail_query_tokens ORDER BY doc, "offset"',
      );
      for (const t of tokens.all()) out[t.doc - 1]?.tokens.push(t.term);
      db.prepare('DELETE FROM temp.mail_query_words').run();
    });
    return out;
  }

  /**
   * The MATCH expression for the query: every word a prefix, ANDed (as buildMatchExpression), with single-token
   * words expanded into their index terms. Null when some word has no term in the index (nothing can match).
   */
  private expandedMatch(query: string): string | null | undefined {
    const words = queryTerms(query);
    if (words.length === 0) return undefined;
    const parts: string[] = [];
    for (const { word, tokens } of this.tokenize(words)) {
      const token = tokens[0];
      if (tokens.length !== 1 || token === undefined || token.length < 2) {
        parts.push(`${quote(word)}*`);
        continue;
      }
      const terms = this.vault
        .guard((db) =>
          db
            .pluck<[string, string, number], string>(
              'SELECT term FROM temp.mail_fts_terms WHERE term >= ? AND term <= ? LIMIT ?',
            )
            .all(token, `${token}\u{10FFFF}`, MAX_EXPANSION + 1),
        )
        .filter((t) => t.startsWith(token));
      if (terms.length === 0) return null;
      if (terms.length > MAX_EXPANSION) parts.push(`${quote(token)}*`);
      else parts.push(terms.length === 1 ? quote(terms[0]!) : `(${terms.map(quote).join(' OR ')})`);
    }
    return parts.join(' AND ');
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
    const match = this.expandedMatch(q.query);
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
    return rows.map(toListItem);
  }
}
