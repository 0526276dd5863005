import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentMetaInfo } from '../../../../electron/contract/documents';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { INLINE_IMAGE_TYPES, ImageViewer } from '../documents/ImageViewer';
import { OfficePreview } from '../documents/OfficePreview';
import { PdfViewer } from '../documents/PdfViewer';
import { InsecureMark } from './InsecureMark';
import { formatBytes } from '../../i18n/locale-format';

function looksLikePdf(mimeType: string | null, name: string): boolean {
  return /pdf/i.test(mimeType ?? '') || /\.pdf$/i.test(name);
}

/** A RIS file from the vault in the in-app viewer (the documents feature's PDF and image viewers). */
export function DocumentPane({
  documentId,
  name,
  mimeType,
  insecure,
}: {
  documentId: string;
  name: string;
  mimeType: string | null;
  insecure: boolean;
}) {
  const { i18n } = useTranslation();
  const pdf = looksLikePdf(mimeType, name);
  const [meta, setMeta] = useState<DocumentMetaInfo | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);

  // Not obviously a PDF: ask the vault what it is.
  useEffect(() => {
    if (pdf) return;
    let live = true;
    void api()
      .documents.open({ id: documentId })
      .then((r) => {
        if (!live) return;
        if (r.ok) setMeta(r.value.meta);
        else setError(r.error);
      });
    return () => {
      live = false;
    };
  }, [documentId, pdf]);

  let viewer = null;
  if (pdf || meta?.mimeType === 'application/pdf') viewer = <PdfViewer documentId={documentId} />;
  else if (meta && INLINE_IMAGE_TYPES.includes(meta.mimeType)) viewer = <ImageViewer documentId={documentId} />;
  else if (meta)
    viewer = (
      <>
        <p data-document-size={meta.size}>
          {meta.name} · {meta.mimeType} · {formatBytes(meta.size, i18n.language)}
        </p>
        <OfficePreview documentId={documentId} />
      </>
    );

  return (
    <section className="ris-document" aria-labelledby="ris-document-title" data-document-id={documentId}>
      <h1 id="ris-document-title" tabIndex={-1}>
        {name}
      </h1>
      {insecure && <InsecureMark />}
      <ErrorMessage error={error} />
      {viewer}
    </section>
  );
}
