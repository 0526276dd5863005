import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useRis } from './ris-store';

/** Paste a link from a mail or a browser: it is recognized and opened as paper, meeting or RIS page. */
export function LinkInput() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { linkError, linkNotice } = useRis();
  const openLink = useRis((s) => s.openLink);
  return (
    <form
      className="ris-link-input"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void openLink(text.trim());
      }}
    >
      <label htmlFor="ris-link">{t('ris.link.label')}</label>
      <div className="ris-row">
        <input
          id="ris-link"
          type="url"
          inputMode="url"
          placeholder={t('ris.link.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t('ris.link.open')}</button>
      </div>
      {linkNotice && (
        <p role="status" className="ris-muted">
          {t(`ris.link.${linkNotice}`)}
        </p>
      )}
      <ErrorMessage error={linkError} />
    </form>
  );
}
