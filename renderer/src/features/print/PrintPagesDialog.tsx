import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useModalDialog } from '../../ui/use-modal-dialog';
import { allPages, MAX_PRINT_PAGES, parsePageSelection } from './page-selection';
import { usePrint } from './print-store';

/** Pages are drawn for paper at this resolution (dots per inch); a PDF point is 1/72 inch. */
const PRINT_DPI = 150;

async function pageImage(pdf: PDFDocumentProxy, pageNumber: number): Promise<string> {
  const page = await pdf.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: PRINT_DPI / 72 });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    await page.render({ canvas, viewport }).promise;
    const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/png'));
    canvas.width = 0;
    canvas.height = 0;
    if (!blob) throw new Error('page could not be drawn');
    return URL.createObjectURL(blob);
  } finally {
    page.cleanup();
  }
}

/** "Drucken …" for a document: all pages or chosen ones, then the system's print dialog. */
export function PrintPagesDialog(props: { pdf: PDFDocumentProxy; name: string; onClose(): void }) {
  const { pdf, name, onClose } = props;
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [which, setWhich] = useState<'all' | 'chosen'>('all');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  useModalDialog(ref, true);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const pages = which === 'all' ? allPages(pdf.numPages) : parsePageSelection(text, pdf.numPages);
    if (!pages) {
      setProblem(
        which === 'all'
          ? t('print.tooManyPages', { max: MAX_PRINT_PAGES })
          : t('print.badSelection', { count: pdf.numPages }),
      );
      return;
    }
    setProblem(undefined);
    const urls: string[] = [];
    try {
      for (const [i, p] of pages.entries()) {
        setProgress({ done: i, total: pages.length });
        urls.push(await pageImage(pdf, p));
      }
    } catch {
      for (const url of urls) URL.revokeObjectURL(url);
      setProgress(undefined);
      setProblem(t('print.drawFailed'));
      return;
    }
    setProgress(undefined);
    onClose();
    await usePrint.getState().printDocument({ name, pages: urls });
  }

  return (
    <dialog
      ref={ref}
      className="print-pages-dialog"
      aria-labelledby={`${id}-heading`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(e) => void onSubmit(e)}>
        <h2 id={`${id}-heading`}>{t('print.documentHeading', { name })}</h2>
        <fieldset>
          <legend>{t('print.pages')}</legend>
          <label>
            <input type="radio" name="pages" checked={which === 'all'} onChange={() => setWhich('all')} />{' '}
            {t('print.allPages', { count: pdf.numPages })}
          </label>
          <label>
            <input type="radio" name="pages" checked={which === 'chosen'} onChange={() => setWhich('chosen')} />{' '}
            {t('print.chosenPages')}
          </label>
          <input
            aria-label={t('print.chosenPagesInput')}
            aria-describedby={`${id}-hint`}
            value={text}
            placeholder="1-3, 5"
            onChange={(e) => {
              setText(e.target.value);
              setWhich('chosen');
            }}
          />
          <p id={`${id}-hint`} className="hint">
            {t('print.chosenPagesHint')}
          </p>
        </fieldset>
        {problem && (
          <div role="alert" className="error" data-error-code="INVALID_INPUT">
            {problem}
          </div>
        )}
        {progress && (
          <p role="status" aria-live="polite">
            {t('print.preparing', { done: progress.done + 1, total: progress.total })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={progress !== undefined}>
            {t('print.print')}
          </button>
          <button type="button" onClick={onClose}>
            {t('print.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
