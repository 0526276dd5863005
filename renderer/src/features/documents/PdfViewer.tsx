import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { PdfPage } from './PdfPage';
import { PdfThumbnails } from './PdfThumbnails';
import type { DocumentPlace } from './documents-store';
import { type LoadedPdf, loadPdfByRanges } from './pdf-loader';
import { type PageTextEntry, usePdfSearch } from './use-pdf-search';
import type { PageSelection } from './PdfTextLayer';
import type { PageMark } from './PdfPage';
import { anchorAt, type TextAnchor } from '../../../../electron/contract/text-anchor';
import { documentNoteRef, type NoteTarget } from '../../../../electron/contract/notes';
import type { DocumentSourceInfo } from '../../../../electron/contract/documents';
import { DocumentNotesPanel } from '../notes/DocumentNotesPanel';
import { useNotes } from '../notes/notes-store';
import { useNoteAnchors } from '../notes/use-note-anchors';
import { PrintPagesDialog } from '../print/PrintPagesDialog';
import { usePrint } from '../print/print-store';
import './documents.css';

/** Zoom steps; 1 = 100 % (a PDF point is 1/72 inch, a CSS pixel 1/96 inch). */
const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
const DEFAULT_ZOOM_INDEX = 2;
const CSS_PX_PER_POINT = 96 / 72;

/** A document's page texts as anchorAt reads them, knowing only the one page (the others are not read). */
function pageTexts(page: number, text: string): string[] {
  const pages: string[] = [];
  pages[page - 1] = text;
  return pages;
}

/** Performance marks for the benchmark: asked for the document → first page on screen. */
export const PDF_MARK_REQUESTED = 'ratsdesk:pdf-requested';
export const PDF_MARK_BYTES = 'ratsdesk:pdf-bytes';
/** pdf.js has opened the document (trailer, cross-reference table and page tree read). */
export const PDF_MARK_OPENED = 'ratsdesk:pdf-opened';
export const PDF_MARK_FIRST_PAGE = 'ratsdesk:pdf-first-page';

type LoadState =
  | { status: 'loading' }
  | { status: 'ready'; doc: LoadedPdf; name: string; source: DocumentSourceInfo }
  | { status: 'failed'; error?: ErrorInfo };

/**
 * The in-app PDF viewer: the document's bytes come from the vault over the contract by ranges (only what
 * the shown page needs is decrypted and sent) and stay in memory;
 * pdf.js renders one page at a time to a canvas. Zoom, search with highlights, page thumbnails and
 * keyboard navigation (PageUp/PageDown, arrow keys, Home/End, +/−/0, Ctrl+F).
 */
export function PdfViewer({ documentId, at }: { documentId: string; at?: DocumentPlace | undefined }) {
  const { t } = useTranslation();
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(DEFAULT_ZOOM_INDEX);
  const [pageInput, setPageInput] = useState('1');
  const [firstRendered, setFirstRendered] = useState(false);
  const [renderFailed, setRenderFailed] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const pdf = state.status === 'ready' ? state.doc.pdf : undefined;
  const search = usePdfSearch(pdf);
  const numPages = pdf?.numPages ?? 0;
  const printAllowed = usePrint((s) => s.allowed);
  const printRequest = usePrint((s) => s.documentRequest);
  const [printing, setPrinting] = useState(false);
  const seenPrintRequest = useRef(printRequest);
  // The menu's "Drucken" (and its shortcut) while this document is open: the page dialog.
  useEffect(() => {
    if (printRequest === seenPrintRequest.current) return;
    seenPrintRequest.current = printRequest;
    if (pdf && printAllowed) setPrinting(true);
  }, [printRequest, pdf, printAllowed]);

  useEffect(() => {
    let live = true;
    let loaded: LoadedPdf | undefined;
    setState({ status: 'loading' });
    setPage(1);
    setPageInput('1');
    setFirstRendered(false);
    setRenderFailed(false);
    performance.clearMarks(PDF_MARK_BYTES);
    performance.clearMarks(PDF_MARK_OPENED);
    performance.clearMarks(PDF_MARK_FIRST_PAGE);
    performance.mark(PDF_MARK_REQUESTED);
    void (async () => {
      // The head of the document (all of a small one); pdf.js asks for the rest by ranges as it needs it.
      const opened = await api().documents.openHead({ id: documentId });
      if (!live) return;
      performance.mark(PDF_MARK_BYTES);
      if (!opened.ok) {
        setState({ status: 'failed', error: opened.error });
        return;
      }
      try {
        loaded = await loadPdfByRanges(
          opened.value.bytes,
          // The stored bytes and, when it has one, the page-tree update after them (pdf.js reads both).
          opened.value.viewSize,
          async (begin, end) => {
            const r = await api().documents.readRange({ id: documentId, begin, end });
            if (!r.ok) throw new Error(r.error.code);
            return r.value;
          },
          opened.value.tail,
        );
      } catch {
        if (live) setState({ status: 'failed' });
        return;
      }
      if (live) {
        performance.mark(PDF_MARK_OPENED);
        setState({ status: 'ready', doc: loaded, name: opened.value.meta.name, source: opened.value.meta.source });
      } else void loaded.destroy();
    })();
    return () => {
      live = false;
      void loaded?.destroy();
    };
  }, [documentId]);

  const goTo = useCallback(
    (target: number) => {
      if (numPages === 0) return;
      const next = Math.min(numPages, Math.max(1, Math.round(target)));
      setPage(next);
      setPageInput(String(next));
    },
    [numPages],
  );

  // Opened at a place (a hit of "Überall suchen"): that page, its words highlighted.
  const { showWords } = search;
  const shownAt = useRef<DocumentPlace | undefined>(undefined);
  useEffect(() => {
    if (!pdf || !at || shownAt.current === at) return;
    shownAt.current = at;
    goTo(at.page);
    showWords(at.words, Math.min(Math.max(1, at.page), pdf.numPages));
  }, [pdf, at, goTo, showWords]);

  // The current search hit decides the page shown.
  const hit = search.current >= 0 ? search.matches[search.current] : undefined;
  useEffect(() => {
    if (hit) goTo(hit.page);
  }, [hit, goTo]);

  // The shown page's text: the text layer (selection) and the notes' highlights need it, searched or not. Read
  // once the first page is drawn: pdf.js's one worker would otherwise parse the text while drawing it.
  const { readPage } = search;
  const [shownText, setShownText] = useState<{ page: number; entry: PageTextEntry } | undefined>(undefined);
  const [selected, setSelected] = useState<PageSelection | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setSelected(undefined);
    if (!pdf || !firstRendered) return;
    void readPage(page)
      .then((entry) => {
        if (live && entry) setShownText({ page, entry });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [pdf, page, readPage, firstRendered]);

  // The person's notes on this document — kept by where it came from, so a revised file from the same address
  // (or one fetched again) has them too — each placed where its quote is in this file.
  const sourceRef = state.status === 'ready' ? documentNoteRef(state.source) : undefined;
  const target = useMemo<NoteTarget | undefined>(
    () => (sourceRef ? { kind: 'document', ref: sourceRef } : undefined),
    [sourceRef],
  );
  const notes = useNotes((s) => (sourceRef ? s.byTarget[`document:${sourceRef}`] : undefined));
  const loadNotes = useNotes((s) => s.load);
  const listenNotes = useNotes((s) => s.listen);
  useEffect(() => {
    if (target) void loadNotes(target);
  }, [loadNotes, target]);
  useEffect(() => listenNotes(), [listenNotes]);
  const readText = useCallback(async (p: number) => (await readPage(p))?.text.text, [readPage]);
  // Placing the highlights may read every page (a revised file): after the first page is on screen.
  const placed = useNoteAnchors(notes, numPages, pdf && firstRendered ? readText : undefined);

  const onRendered = useCallback(() => {
    setFirstRendered((was) => {
      if (!was) performance.mark(PDF_MARK_FIRST_PAGE);
      return true;
    });
  }, []);

  const zoom = (delta: number | 'reset') =>
    setZoomIndex((z) =>
      delta === 'reset' ? DEFAULT_ZOOM_INDEX : Math.min(ZOOM_STEPS.length - 1, Math.max(0, z + delta)),
    );

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
      return;
    }
    const target = event.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    const actions: Record<string, () => void> = {
      PageDown: () => goTo(page + 1),
      ArrowRight: () => goTo(page + 1),
      PageUp: () => goTo(page - 1),
      ArrowLeft: () => goTo(page - 1),
      Home: () => goTo(1),
      End: () => goTo(numPages),
      '+': () => zoom(1),
      '=': () => zoom(1),
      '-': () => zoom(-1),
      '0': () => zoom('reset'),
    };
    const action = actions[event.key];
    if (action && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      action();
    }
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    if (search.query.trim() && search.query.trim() === search.searchedFor && search.matches.length > 0) search.next();
    else search.run();
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      search.previous();
    } else if (event.key === 'Escape' && search.query) {
      event.preventDefault();
      event.stopPropagation();
      search.clear();
    }
  }

  if (state.status === 'loading') {
    return (
      <p role="status" aria-live="polite" className="pdf-loading">
        {t('documents.viewer.loading')}
      </p>
    );
  }
  if (state.status === 'failed') {
    return state.error ? (
      <ErrorMessage error={state.error} />
    ) : (
      <div role="alert" className="error">
        {t('documents.viewer.unreadable')}
      </div>
    );
  }

  const scale = ZOOM_STEPS[zoomIndex] ?? 1;
  const pageText = search.pageText(page) ?? (shownText?.page === page ? shownText.entry : undefined);
  const marks: PageMark[] = (notes ?? []).flatMap((note) => {
    const at = placed.get(note.id);
    return at?.state === 'anchored' && at.page === page
      ? [{ id: note.id, start: at.start, end: at.end, color: note.body.color ?? 'gelb' }]
      : [];
  });
  // What "Markieren" takes: the passage selected in the text layer, else the current search hit (the keyboard way).
  const chosen: PageSelection | undefined = selected ?? (hit && hit.page === page ? hit : undefined);
  const selection: TextAnchor | undefined =
    chosen && pageText && chosen.end > chosen.start
      ? anchorAt(pageTexts(chosen.page, pageText.text.text), chosen.page, chosen.start, chosen.end)
      : undefined;
  const matchesOnPage = search.matches.filter((m) => m.page === page);
  const currentOnPage = hit && hit.page === page ? matchesOnPage.indexOf(hit) : -1;
  const searchStatus = search.searchedFor
    ? search.matches.length > 0
      ? t('documents.viewer.hitOf', { current: search.current + 1, count: search.matches.length })
      : search.searching
        ? t('documents.viewer.searching')
        : t('documents.viewer.noHits')
    : '';

  return (
    <section
      className="pdf-viewer"
      aria-label={t('documents.viewer.label', { name: state.name })}
      onKeyDown={onKeyDown}
    >
      <div className="pdf-toolbar" role="group" aria-label={t('documents.viewer.tools')}>
        <button type="button" onClick={() => goTo(page - 1)} disabled={page <= 1}>
          {t('documents.viewer.previousPage')}
        </button>
        <form
          className="pdf-page-field"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(pageInput);
            if (Number.isFinite(n)) goTo(n);
            else setPageInput(String(page));
          }}
        >
          <label>
            {t('documents.viewer.page')}{' '}
            <input
              inputMode="numeric"
              size={4}
              value={pageInput}
              onChange={(e) => setPageInput(e.target.value)}
              onBlur={() => setPageInput(String(page))}
            />
          </label>{' '}
          <span>{t('documents.viewer.ofPages', { count: numPages })}</span>
        </form>
        <button type="button" onClick={() => goTo(page + 1)} disabled={page >= numPages}>
          {t('documents.viewer.nextPage')}
        </button>
        <span className="pdf-toolbar-gap" />
        <button
          type="button"
          onClick={() => zoom(-1)}
          disabled={zoomIndex === 0}
          aria-label={t('documents.viewer.zoomOut')}
        >
          −
        </button>
        <output aria-live="polite" aria-label={t('documents.viewer.zoom')}>
          {Math.round(scale * 100)} %
        </output>
        <button
          type="button"
          onClick={() => zoom(1)}
          disabled={zoomIndex === ZOOM_STEPS.length - 1}
          aria-label={t('documents.viewer.zoomIn')}
        >
          +
        </button>
        <span className="pdf-toolbar-gap" />
        {printAllowed && pdf && (
          <button type="button" onClick={() => setPrinting(true)} aria-haspopup="dialog">
            {t('print.action')}
          </button>
        )}
        <form role="search" className="pdf-search" onSubmit={onSearch}>
          <label>
            <span className="visually-hidden">{t('documents.viewer.searchLabel')}</span>
            <input
              ref={searchRef}
              type="search"
              placeholder={t('documents.viewer.searchPlaceholder')}
              value={search.query}
              onChange={(e) => search.setQuery(e.target.value)}
              onKeyDown={onSearchKey}
            />
          </label>
          <button type="submit">{t('documents.viewer.search')}</button>
          <button type="button" onClick={search.previous} disabled={search.matches.length === 0}>
            {t('documents.viewer.previousHit')}
          </button>
          <button type="button" onClick={search.next} disabled={search.matches.length === 0}>
            {t('documents.viewer.nextHit')}
          </button>
          <span role="status" aria-live="polite" className="pdf-search-status">
            {searchStatus}
          </span>
        </form>
      </div>
      {renderFailed && (
        <div role="alert" className="error">
          {t('documents.viewer.unreadable')}
        </div>
      )}
      <div className="pdf-body">
        {firstRendered && pdf && <PdfThumbnails pdf={pdf} current={page} onSelect={goTo} />}
        {pdf && (
          <div className="pdf-page-scroll" tabIndex={0} aria-label={t('documents.viewer.pageN', { page })}>
            <PdfPage
              pdf={pdf}
              pageNumber={page}
              scale={scale * CSS_PX_PER_POINT}
              label={t('documents.viewer.pageOf', { page, count: numPages })}
              matches={matchesOnPage}
              currentMatch={currentOnPage}
              pageText={pageText}
              marks={marks}
              onSelect={setSelected}
              onRendered={onRendered}
              onError={() => setRenderFailed(true)}
            />
          </div>
        )}
        {pdf && target && (
          <DocumentNotesPanel
            target={target}
            title={state.name}
            notes={notes ?? []}
            placed={placed}
            page={page}
            selection={selection}
            onJump={goTo}
            onMarked={() => {
              setSelected(undefined);
              document.getSelection()?.removeAllRanges();
            }}
          />
        )}
      </div>
      {printing && pdf && state.status === 'ready' && (
        <PrintPagesDialog pdf={pdf} name={state.name} onClose={() => setPrinting(false)} />
      )}
    </section>
  );
}
