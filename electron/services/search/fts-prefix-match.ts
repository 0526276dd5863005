import type { VaultDoor } from '../vault/vault-db';
import { queryTerms } from './german-folding';

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

/** The tokenizer of every search index of the vault (as their migrations spell it: mail, document text, notes). */
const FTS_TOKENIZER = 'unicode61 remove_diacritics 2';

/**
 * Turns a person's query into an FTS5 MATCH expression for one contentless index: every word a prefix,
 * ANDed, and safe whatever the input (FTS5 syntax such as NEAR, OR, column filters or a stray quote has no
 * effect).
 *
 * Speed: an FTS5 prefix term ("beschluss"*) makes FTS5 merge the whole doclists of every term with that
 * prefix before it can return the first row, which costs milliseconds per word on a big vault even with
 * LIMIT 100; a prefix index would only help for prefixes of exactly its configured lengths. So a query word
 * is expanded here into the index terms that start with it (read from an fts5vocab table over the index:
 * "beschluss" → beschluss OR beschlussvorschlag), whose doclists FTS5 walks lazily, newest first, and stops
 * after `limit` hits. A word with very many terms (short prefixes such as "2") stays an FTS5 prefix term.
 */
export class FtsPrefixMatch {
  private readonly terms: string;
  private readonly words: string;
  private readonly tokens: string;

  constructor(
    private readonly vault: VaultDoor,
    /** The FTS5 table in the main schema (a plain identifier). */
    table: string,
  ) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not an index name: ${table}`);
    this.terms = `${table}_terms`;
    this.words = `${table}_query_words`;
    this.tokens = `${table}_query_tokens`;
    // Connection-local helpers in the temp schema (memory only): a vocabulary view of the index, and a
    // scratch FTS5 table with the index's tokenizer that turns query words into exactly the index's tokens.
    vault.transaction((db) =>
      db.exec(`
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.${this.terms} USING fts5vocab(main, '${table}', 'row');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.${this.words} USING fts5(word, tokenize = "${FTS_TOKENIZER}");
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.${this.tokens} USING fts5vocab(temp, '${this.words}', 'instance');
      `),
    );
  }

  /** The query words with the tokens the index's tokenizer makes of each (a scratch table: a transaction). */
  private tokenize(words: readonly string[]): QueryWord[] {
    const out: QueryWord[] = words.map((word) => ({ word, tokens: [] }));
    this.vault.transaction((db) => {
      const addWord = db.prepare<[number, string]>(`INSERT INTO temp.${this.words} (rowid, word) VALUES (?, ?)`);
      words.forEach((w, i) => addWord.run(i + 1, w));
      const tokens = db.prepare<[], { doc: number; term: string }>(
        `SELECT doc, term FROM temp.${this.tokens} ORDER BY doc, "offset"`,
      );
      for (const t of tokens.all()) out[t.doc - 1]?.tokens.push(t.term);
      db.prepare(`DELETE FROM temp.${this.words}`).run();
    });
    return out;
  }

  /**
   * The MATCH expression for the query: every word a prefix, ANDed, with single-token words expanded into
   * their index terms. Undefined for a query without words; null when some word has no term in the index
   * (nothing can match).
   */
  expression(query: string): string | null | undefined {
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
              `SELECT term FROM temp.${this.terms} WHERE term >= ? AND term <= ? LIMIT ?`,
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
}
