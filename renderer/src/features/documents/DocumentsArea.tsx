import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from '../../app/navigation-store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { DocumentViewer } from './DocumentViewer';
import { DocumentsList } from './DocumentsList';
import { RemoveAllLocalData } from './RemoveAllLocalData';
import { useDocuments } from './documents-store';
import { formatBytes } from '../../i18n/locale-format';
import { pdfWorker } from './pdf-loader';
import './documents.css';

/** The "Documents" area: the encrypted cache's contents, storage used against the quota, the viewer. */
export function DocumentsArea() {
  const { t, i18n } = useTranslation();
  const s = useDocuments();
  const { refresh } = s;

  useEffect(() => {
    void refresh();
    // Load pdf.js and start its worker while the person looks at the list: opening a PDF then starts at
    // once. A failure here shows when a PDF is opened (which tries again), not on the list.
    pdfWorker().catch(() => undefined);
  }, [refresh]);

  const openMeta = s.openId ? s.items.find((d) => d.id === s.openId) : undefined;
  if (openMeta) {
    return (
      <div className="documents">
        <ErrorMessage error={s.error} />
        <p role="status" aria-live="polite" className="notice">
          {s.notice ? t(s.notice.key, { name: s.notice.name }) : ''}
        </p>
        {s.returnArea === 'mail' && (
          <button
            type="button"
            className="back-to-area"
            onClick={() => {
              void s.close();
              useNavigation.getState().showArea('mail');
            }}
          >
            {t('mail.backToMail')}
          </button>
        )}
        <DocumentViewer
          meta={openMeta}
          at={s.openAt}
          exportAllowed={s.exportAllowed}
          onSaveAs={() => void s.saveAs(openMeta.id)}
          onClose={() => void s.close()}
        />
      </div>
    );
  }

  const usage = s.usage;
  return (
    <div className="documents">
      <header className="documents-header">
        <h1>
          {t('documents.heading')}{' '}
          {usage && <span className="count">{t('documents.count', { count: usage.count })}</span>}
        </h1>
        {usage && (
          <div className="usage">
            <label htmlFor="documents-usage">
              {t('documents.usage', {
                used: formatBytes(usage.usedBytes, i18n.language),
                quota: formatBytes(usage.quotaBytes, i18n.language),
              })}
            </label>
            <meter
              id="documents-usage"
              min={0}
              max={usage.quotaBytes}
              value={usage.usedBytes}
              high={usage.quotaBytes * 0.9}
            />
          </div>
        )}
      </header>
      <ErrorMessage error={s.error} />
      <p role="status" aria-live="polite" className="notice">
        {s.notice ? t(s.notice.key, { name: s.notice.name }) : ''}
      </p>
      {s.items.length === 0 ? (
        !s.loading && <p>{t('documents.empty')}</p>
      ) : (
        <DocumentsList
          items={s.items}
          onOpen={s.open}
          onPin={(id, pinned) => void s.setPinned(id, pinned)}
          onRemove={(id) => void s.remove(id)}
        />
      )}
      <RemoveAllLocalData onConfirm={s.removeAllLocalData} />
    </div>
  );
}
