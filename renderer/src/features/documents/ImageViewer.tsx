import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './documents.css';

/** Raster images shown inline; anything else (SVG with scripts, unknown types) is never put in the page. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp'];

/** An image from the vault, shown from an in-memory blob: URL that is revoked when the viewer closes. */
export function ImageViewer({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const [image, setImage] = useState<{ url: string; name: string } | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [actualSize, setActualSize] = useState(false);

  useEffect(() => {
    let live = true;
    let url: string | undefined;
    setImage(undefined);
    setError(undefined);
    void api()
      .documents.open({ id: documentId })
      .then((r) => {
        if (!live) return;
        if (!r.ok) {
          setError(r.error);
          return;
        }
        const type = INLINE_IMAGE_TYPES.includes(r.value.meta.mimeType)
          ? r.value.meta.mimeType
          : 'application/octet-stream';
        const bytes = r.value.bytes;
        url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
        setImage({ url, name: r.value.meta.name });
      });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [documentId]);

  if (error) return <ErrorMessage error={error} />;
  if (!image) return <p role="status">{t('documents.viewer.loading')}</p>;
  return (
    <div className="image-viewer">
      <button type="button" aria-pressed={actualSize} onClick={() => setActualSize((v) => !v)}>
        {t('documents.viewer.actualSize')}
      </button>
      <div className="image-scroll" tabIndex={0}>
        <img src={image.url} alt={image.name} className={actualSize ? 'actual' : 'fit'} />
      </div>
    </div>
  );
}
