import type { PageViewport, RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { type HighlightRect, highlightRects } from './pdf-highlight-rects';
import { isRenderingCancelled, type PDFDocumentProxy } from './pdf-loader';
import type { SearchMatch } from './pdf-text-search';
import { itemRangesOf } from './pdf-text-search';
import { PdfTextLayer, type PageSelection } from './PdfTextLayer';
import type { PageTextEntry } from './use-pdf-search';

/** A highlight of the person's notes on this page (characters of the page text, a colour name). */
export interface PageMark {
  id: string;
  start: number;
  end: number;
  color: string;
}

interface PdfPageProps {
  pdf: PDFDocumentProxy;
  pageNumber: number;
  /** CSS pixels per PDF point. */
  scale: number;
  label: string;
  /** Search hits on this page, and which of them is the current one (or -1). */
  matches: readonly SearchMatch[];
  currentMatch: number;
  pageText: PageTextEntry | undefined;
  /** The notes' highlights on this page. */
  marks?: readonly PageMark[];
  /** A passage selected in the text layer (undefined: none). */
  onSelect?: (selection: PageSelection | undefined) => void;
  onRendered?: (pageNumber: number) => void;
  onError?: (err: unknown) => void;
}

/** One PDF page drawn to a canvas (sharp on HiDPI screens), with search hits highlighted over it. */
export function PdfPage({
  pdf,
  pageNumber,
  scale,
  label,
  matches,
  currentMatch,
  pageText,
  marks = [],
  onSelect,
  onRendered,
  onError,
}: PdfPageProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [viewport, setViewport] = useState<PageViewport | undefined>(undefined);
  const onRenderedRef = useRef(onRendered);
  const onErrorRef = useRef(onError);
  useEffect(() => {
    onRenderedRef.current = onRendered;
    onErrorRef.current = onError;
  });

  useEffect(() => {
    let cancelled = false;
    let task: RenderTask | undefined;
    const canvas = canvasRef.current;
    if (!canvas) return;
    canvas.removeAttribute('data-rendered-page');
    void (async () => {
      const page = await pdf.getPage(pageNumber);
      if (cancelled) return;
      const vp = page.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(vp.width * ratio);
      canvas.height = Math.floor(vp.height * ratio);
      canvas.style.width = `${Math.floor(vp.width)}px`;
      canvas.style.height = `${Math.floor(vp.height)}px`;
      task = page.render({
        canvas,
        viewport: vp,
        transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
      });
      await task.promise;
      if (cancelled) return;
      canvas.setAttribute('data-rendered-page', String(pageNumber));
      setViewport(vp);
      onRenderedRef.current?.(pageNumber);
    })().catch((err: unknown) => {
      if (!cancelled && !isRenderingCancelled(err)) onErrorRef.current?.(err);
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber, scale]);

  const rects: { rect: HighlightRect; current: boolean; key: string }[] = [];
  if (viewport && pageText) {
    matches.forEach((m, i) => {
      for (const [j, rect] of highlightRects(pageText.items, itemRangesOf(pageText.text, m), viewport).entries()) {
        rects.push({ rect, current: i === currentMatch, key: `${m.start}-${j}` });
      }
    });
  }

  const markRects: { rect: HighlightRect; color: string; key: string }[] = [];
  if (viewport && pageText) {
    for (const mark of marks) {
      for (const [j, rect] of highlightRects(pageText.items, itemRangesOf(pageText.text, mark), viewport).entries()) {
        markRects.push({ rect, color: mark.color, key: `${mark.id}-${j}` });
      }
    }
  }

  return (
    <div className="pdf-page">
      <canvas ref={canvasRef} role="img" aria-label={label} />
      {markRects.map(({ rect, color, key }) => (
        <span
          key={key}
          className={`pdf-note-mark note-color-${color}`}
          aria-hidden="true"
          style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
        />
      ))}
      {rects.map(({ rect, current, key }) => (
        <span
          key={key}
          className={`pdf-hit${current ? ' current' : ''}`}
          aria-hidden="true"
          style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
        />
      ))}
      {viewport && pageText && onSelect && (
        <PdfTextLayer page={pageNumber} entry={pageText} viewport={viewport} onSelect={onSelect} />
      )}
    </div>
  );
}
