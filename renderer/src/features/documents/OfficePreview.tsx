import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentPreview, PreviewSheet } from '../../../../electron/contract/documents';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { sanitizeMailHtml } from '../mail/sanitize-mail-html';
import './documents.css';

/** A Word document's HTML: sanitized like mail and shown in a frame with an empty sandbox (no scripts, no fetch). */
function WordFrame({ html }: { html: string }) {
  const { t } = useTranslation();
  const clean = useMemo(() => sanitizeMailHtml(html), [html]);
  if (clean.tooComplex) return <ErrorMessage error={{ code: 'DOCUMENT_PREVIEW_REFUSED' }} />;
  return (
    <iframe
      className="office-frame"
      title={t('documents.preview.wordFrame')}
      sandbox=""
      srcDoc={clean.document}
      referrerPolicy="no-referrer"
    />
  );
}

function SheetTable({ sheet }: { sheet: PreviewSheet }) {
  const { t } = useTranslation();
  return (
    <div className="sheet-scroll" tabIndex={0} role="group" aria-label={sheet.name}>
      <table className="sheet-table">
        <caption>{sheet.name}</caption>
        <tbody>
          {sheet.rows.map((row, r) => (
            <tr key={r}>
              <th scope="row">{r + 1}</th>
              {row.map((cell, c) => (
                <td key={c}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {(sheet.moreRows || sheet.moreColumns) && <p role="note">{t('documents.preview.moreCells')}</p>}
    </div>
  );
}

/** Sheets of a workbook: a tab per sheet (arrow keys move between them), the chosen one as a table. */
function Workbook({ sheets, moreSheets }: { sheets: PreviewSheet[]; moreSheets: boolean }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(0);
  const sheet = sheets[current];
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step || sheets.length === 0) return;
    event.preventDefault();
    const next = (current + step + sheets.length) % sheets.length;
    setCurrent(next);
    document.getElementById(`sheet-tab-${next}`)?.focus();
  }
  if (!sheet) return <p>{t('documents.preview.emptyWorkbook')}</p>;
  return (
    <div className="office-sheets">
      {sheets.length > 1 && (
        <div role="tablist" aria-label={t('documents.preview.sheets')} onKeyDown={onKeyDown}>
          {sheets.map((s, i) => (
            <button
              key={i}
              id={`sheet-tab-${i}`}
              type="button"
              role="tab"
              aria-selected={i === current}
              aria-controls="sheet-panel"
              tabIndex={i === current ? 0 : -1}
              onClick={() => setCurrent(i)}
            >
              {s.name}
            </button>
          ))}
        </div>
      )}
      <div id="sheet-panel" role={sheets.length > 1 ? 'tabpanel' : undefined} aria-labelledby={`sheet-tab-${current}`}>
        <SheetTable sheet={sheet} />
      </div>
      {moreSheets && <p role="note">{t('documents.preview.moreSheets')}</p>}
    </div>
  );
}

/**
 * A read-only preview of an office or text file, made by the services in a worker thread: Word as sanitized
 * HTML in a sandboxed frame, spreadsheets as tables with a sheet switcher, plain text. Anything else keeps
 * "Save as …" (where the policy allows it).
 */
export function OfficePreview({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<DocumentPreview | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);

  useEffect(() => {
    let live = true;
    setPreview(undefined);
    setError(undefined);
    void api()
      .documents.preview({ id: documentId })
      .then((r) => {
        if (!live) return;
        if (r.ok) setPreview(r.value);
        else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [documentId]);

  if (error) return <ErrorMessage error={error} />;
  if (!preview) return <p role="status">{t('documents.viewer.loading')}</p>;
  switch (preview.kind) {
    case 'html':
      return <WordFrame html={preview.html} />;
    case 'sheets':
      return <Workbook sheets={preview.sheets} moreSheets={preview.moreSheets} />;
    case 'text':
      return (
        <div className="office-text">
          <pre tabIndex={0} aria-label={t('documents.preview.text')}>
            {preview.text}
          </pre>
          {preview.more && <p role="note">{t('documents.preview.moreText')}</p>}
        </div>
      );
    case 'none':
      return <p>{t('documents.viewer.noPreview')}</p>;
  }
}
