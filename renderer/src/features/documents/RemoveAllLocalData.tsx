import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** "Remove all local data", asked twice: the second step says what goes and takes focus. */
export function RemoveAllLocalData({ onConfirm }: { onConfirm: () => Promise<boolean> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <section className="remove-all" aria-labelledby="remove-all-heading">
        <h2 id="remove-all-heading">{t('documents.removeAll.heading')}</h2>
        <p>{t('documents.removeAll.explain')}</p>
        <button type="button" ref={startRef} className="danger" onClick={() => setAsking(true)}>
          {t('documents.removeAll.start')}
        </button>
      </section>
    );
  }
  return (
    <section
      className="remove-all asking"
      role="alertdialog"
      aria-labelledby="remove-all-confirm-heading"
      aria-describedby="remove-all-confirm-text"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <h2 id="remove-all-confirm-heading">{t('documents.removeAll.confirmHeading')}</h2>
      <p id="remove-all-confirm-text">{t('documents.removeAll.confirmText')}</p>
      <button
        type="button"
        ref={confirmRef}
        className="danger"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onConfirm().then((done) => {
            setBusy(false);
            if (!done) setAsking(false);
          });
        }}
      >
        {t('documents.removeAll.confirm')}
      </button>
      <button type="button" disabled={busy} onClick={() => setAsking(false)}>
        {t('documents.removeAll.cancel')}
      </button>
    </section>
  );
}
