import { useVirtualizer } from '@tanstack/react-virtual';
import type { RenderTask } from 'pdfjs-dist';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isRenderingCancelled, type PDFDocumentProxy } from './pdf-loader';

const THUMB_WIDTH = 110;
const ROW_HEIGHT = 180;

function PdfThumbnail({ pdf, pageNumber }: { pdf: PDFDocumentProxy; pageNumber: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let cancelled = false;
    let task: RenderTask | undefined;
    const canvas = canvasRef.current;
    if (!canvas) return;
    void (async () => {
      const page = await pdf.getPage(pageNumber);
      if (cancelled) return;
      const base = page.getViewport({ scale: 1 });
      const vp = page.getViewport({ scale: THUMB_WIDTH / base.width });
      canvas.width = Math.floor(vp.width);
      canvas.height = Math.floor(vp.height);
      task = page.render({ canvas, viewport: vp });
      await task.promise;
    })().catch((err: unknown) => {
      if (!isRenderingCancelled(err)) canvas.classList.add('failed');
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber]);
  return <canvas ref={canvasRef} aria-hidden="true" />;
}

/**
 * Page thumbnails, virtualized: only the visible ones exist and are rendered, so a 500-page document
 * costs no more than a short one. Each is a button that shows its page.
 */
export function PdfThumbnails({
  pdf,
  current,
  onSelect,
}: {
  pdf: PDFDocumentProxy;
  current: number;
  onSelect: (page: number) => void;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: pdf.numPages,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 2,
  });

  useEffect(() => {
    virtualizer.scrollToIndex(current - 1, { align: 'auto' });
  }, [current, virtualizer]);

  return (
    <nav className="pdf-thumbs" aria-label={t('documents.viewer.thumbnails')} ref={scrollRef}>
      <ul style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const page = row.index + 1;
          return (
            <li key={row.key} style={{ transform: `translateY(${row.start}px)`, height: row.size }}>
              <button
                type="button"
                aria-current={page === current ? 'page' : undefined}
                aria-label={t('documents.viewer.pageN', { page })}
                onClick={() => onSelect(page)}
              >
                <PdfThumbnail pdf={pdf} pageNumber={page} />
                <span aria-hidden="true">{page}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
