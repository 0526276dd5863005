import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentMetaInfo } from '../../../../electron/contract/documents';
import type { DocumentPlace } from './documents-store';
import { INLINE_IMAGE_TYPES, ImageViewer } from './ImageViewer';
import { OfficePreview } from './OfficePreview';
import { PdfViewer } from './PdfViewer';

/**
 * The open document: title, "Save as…", close (Escape), and the viewer that fits its type (PDF, image, else
 * the office/text preview, which says so when there is none).
 */
export function DocumentViewer({
  meta,
  at,
  exportAllowed,
  onSaveAs,
  onClose,
}: {
  meta: DocumentMetaInfo;
  /** Open at this page with these words highlighted (a search hit). */
  at?: DocumentPlace | undefined;
  exportAllowed: boolean;
  onSaveAs: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [meta.id]);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  }

  const isPdf = meta.mimeType === 'application/pdf';
  const isImage = INLINE_IMAGE_TYPES.includes(meta.mimeType);
  return (
    <article className="document-viewer" aria-labelledby="document-viewer-title" onKeyDown={onKeyDown}>
      <header className="document-viewer-header">
        <button type="button" onClick={onClose}>
          {t('documents.back')}
        </button>
        <h1 id="document-viewer-title" tabIndex={-1} ref={headingRef}>
          {meta.name}
        </h1>
        {exportAllowed && (
          <button type="button" onClick={onSaveAs}>
            {t('documents.saveAs')}
          </button>
        )}
      </header>
      {isPdf ? (
        <PdfViewer documentId={meta.id} at={at} />
      ) : isImage ? (
        <ImageViewer documentId={meta.id} />
      ) : (
        <OfficePreview documentId={meta.id} />
      )}
    </article>
  );
}
