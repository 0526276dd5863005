import type { VaultDoor } from '../vault/vault-db';
import { FtsPrefixMatch } from '../search/fts-prefix-match';
import { comparableTerms, snippetAround } from '../search/search-snippet';
import { matchingPages } from './document-text-repository';

/** A document whose text matched: the first matching page, a snippet, the matched words. */
export interface DocumentTextHit {
  documentId: string;
  name: string;
  mimeType: string;
  /** 1-based page of the first hit (for text documents: 1). */
  page: number;
  /** Further pages of this document that matched (up to a few). */
  otherPages: number[];
  snippet: string;
  /** The words of that page the query matched, as the page spells them (the viewer highlights these). */
  words: string[];
}

/** Matching pages read per search before grouping by document: bounds the cost of common words. */
const PAGES_SCANNED = 400;

/**
 * Search in the text of cached documents (the index DocumentTextIndexer writes), with the folding and prefix
 * matching of mail search (FtsPrefixMatch): offline, newest indexed first, one hit per document.
 */
export class DocumentSearch {
  private readonly match: FtsPrefixMatch;

  constructor(private readonly vault: VaultDoor) {
    this.match = new FtsPrefixMatch(vault, 'document_fts');
  }

  search(query: string, limit: number): DocumentTextHit[] {
    const expression = this.match.expression(query);
    if (!expression) return [];
    const terms = comparableTerms(query);
    const pages = this.vault.guard((db) => matchingPages(db, expression, PAGES_SCANNED));
    const byDocument = new Map<string, (typeof pages)[number][]>();
    for (const p of pages) {
      const list = byDocument.get(p.document_id);
      if (list) list.push(p);
      else if (byDocument.size < limit) byDocument.set(p.document_id, [p]);
    }
    return [...byDocument.values()].map((list) => {
      const sorted = list.sort((a, b) => a.page - b.page);
      const first = sorted[0]!;
      const snippet = snippetAround(first.text, terms);
      return {
        documentId: first.document_id,
        name: first.name,
        mimeType: first.mime_type,
        page: first.page,
        otherPages: sorted.slice(1, 6).map((p) => p.page),
        snippet: snippet.text,
        words: snippet.words,
      };
    });
  }
}
