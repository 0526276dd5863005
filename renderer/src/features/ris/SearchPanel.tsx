import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../../electron/contract/ris';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { formatRisDateTime } from './ris-format';
import { useRis } from './ris-store';
import { VirtualList } from './VirtualList';

/** Search over the papers and meetings stored in the vault (full text, works offline). */
export function SearchPanel() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const { hits, searchError } = useRis();
  const search = useRis((s) => s.search);
  const navigate = useRis((s) => s.navigate);
  return (
    <section className="ris-search">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search(text);
        }}
      >
        <label id="ris-search-label" htmlFor="ris-search-input">
          {t('ris.search.label')}
        </label>
        <div className="ris-row">
          <input
            id="ris-search-input"
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              void search(e.target.value);
            }}
          />
          <button type="submit">{t('ris.search.button')}</button>
        </div>
      </form>
      <ErrorMessage error={searchError} />
      {hits && (
        <>
          <p role="status" className="ris-muted">
            {hits.length === 0 ? t('ris.search.none') : t('ris.search.count', { count: hits.length })}
          </p>
          <VirtualList<SearchHit>
            items={hits}
            label={t('ris.search.results')}
            estimateSize={64}
            maxHeight={360}
            itemKey={(h) => `${h.kind}:${h.id}`}
            renderItem={(h) => (
              <button type="button" className="ris-hit" onClick={() => void navigate({ view: h.kind, id: h.id })}>
                <span className="ris-badge">{t(`ris.search.${h.kind}`)}</span>
                <span className="ris-hit-title">{h.title ?? h.id}</span>
                <span className="ris-muted">
                  {h.kind === 'meeting' ? formatRisDateTime(h.subtitle, i18n.language) : (h.subtitle ?? '')}
                </span>
                <span className="ris-hit-snippet">{h.snippet}</span>
              </button>
            )}
          />
        </>
      )}
    </section>
  );
}
