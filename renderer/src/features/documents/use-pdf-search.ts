import { useCallback, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from './pdf-loader';
import type { PositionedText } from './pdf-highlight-rects';
import { findInPage, type PageText, pageTextOf, type SearchMatch } from './pdf-text-search';

export interface PageTextEntry {
  text: PageText;
  items: PositionedText[];
}

export interface PdfSearch {
  query: string;
  matches: SearchMatch[];
  /** Index into matches of the current hit, or -1. */
  current: number;
  searching: boolean;
  /** The query the matches belong to ('' = no search yet). */
  searchedFor: string;
  /** Text and item positions of pages already read (for highlights). */
  pageText(page: number): PageTextEntry | undefined;
  /** Reads a page's text (once; kept for the search and the highlights). */
  readPage(page: number): Promise<PageTextEntry | undefined>;
  setQuery(query: string): void;
  /** Searches all pages; the first hit becomes current as soon as it is found. */
  run(): void;
  /** Highlights these words on one page (a hit of "Überall suchen"); the first becomes current. */
  showWords(words: readonly string[], page: number): void;
  next(): void;
  previous(): void;
  clear(): void;
}

interface TextContentItem {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  width?: number;
  height?: number;
}

/** Text search over every page of a PDF, with the current hit; text is read once per page and kept. */
export function usePdfSearch(pdf: PDFDocumentProxy | undefined): PdfSearch {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<SearchMatch[]>([]);
  const [current, setCurrent] = useState(-1);
  const [searching, setSearching] = useState(false);
  const [searchedFor, setSearchedFor] = useState('');
  const texts = useRef(new Map<number, PageTextEntry>());
  const runId = useRef(0);

  useEffect(() => {
    texts.current = new Map();
    runId.current++;
    setMatches([]);
    setCurrent(-1);
    setSearchedFor('');
  }, [pdf]);

  const readPage = useCallback(
    async (page: number): Promise<PageTextEntry | undefined> => {
      if (!pdf) return undefined;
      const cached = texts.current.get(page);
      if (cached) return cached;
      const content = await (await pdf.getPage(page)).getTextContent();
      const items: PositionedText[] = (content.items as TextContentItem[])
        .filter((i) => typeof i.str === 'string')
        .map((i) => ({
          str: i.str ?? '',
          transform: i.transform ?? [1, 0, 0, 1, 0, 0],
          width: i.width ?? 0,
          height: i.height ?? 0,
          hasEOL: i.hasEOL,
        }));
      const entry = { text: pageTextOf(items), items };
      texts.current.set(page, entry);
      return entry;
    },
    [pdf],
  );

  const run = useCallback(() => {
    const q = query.trim();
    const id = ++runId.current;
    setMatches([]);
    setCurrent(-1);
    setSearchedFor(q);
    if (!pdf || !q) return;
    setSearching(true);
    void (async () => {
      const found: SearchMatch[] = [];
      for (let page = 1; page <= pdf.numPages; page++) {
        const entry = await readPage(page);
        if (id !== runId.current) return;
        if (!entry) continue;
        const onPage = findInPage(entry.text, q, page);
        if (onPage.length > 0) {
          found.push(...onPage);
          setMatches([...found]);
          setCurrent((c) => (c < 0 ? 0 : c));
        }
      }
      if (id === runId.current) setSearching(false);
    })().catch(() => {
      if (id === runId.current) setSearching(false);
    });
  }, [pdf, query, readPage]);

  const showWords = useCallback(
    (words: readonly string[], page: number) => {
      const id = ++runId.current;
      const wanted = words.map((w) => w.trim()).filter((w) => w.length > 0);
      setQuery(wanted.join(' '));
      setSearchedFor(wanted.join(' '));
      setMatches([]);
      setCurrent(-1);
      if (!pdf || wanted.length === 0) return;
      void (async () => {
        const entry = await readPage(page);
        if (id !== runId.current || !entry) return;
        const found = wanted.flatMap((w) => findInPage(entry.text, w, page)).sort((a, b) => a.start - b.start);
        setMatches(found);
        setCurrent(found.length > 0 ? 0 : -1);
      })().catch(() => undefined);
    },
    [pdf, readPage],
  );

  const step = useCallback(
    (delta: number) => {
      if (matches.length === 0) return;
      setCurrent((c) => (c + delta + matches.length) % matches.length);
    },
    [matches.length],
  );

  return {
    query,
    matches,
    current,
    searching,
    searchedFor,
    pageText: (page) => texts.current.get(page),
    readPage,
    setQuery,
    run,
    showWords,
    next: () => step(1),
    previous: () => step(-1),
    clear: () => {
      runId.current++;
      setQuery('');
      setMatches([]);
      setCurrent(-1);
      setSearching(false);
      setSearchedFor('');
    },
  };
}
