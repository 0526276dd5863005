import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { DocumentPane } from './DocumentPane';
import { LinkInput } from './LinkInput';
import { MeetingView } from './MeetingView';
import { MyBodies } from './MyBodies';
import { PaperView } from './PaperView';
import { useRis } from './ris-store';
import { SearchPanel } from './SearchPanel';

/** The council-information area: link input, search and "my bodies" beside the paper/meeting/document pane. */
export function RisArea() {
  const { t } = useTranslation();
  const { route, paper, meeting, loading, error, history } = useRis();
  const listen = useRis((s) => s.listen);
  const loadHome = useRis((s) => s.loadHome);
  const back = useRis((s) => s.back);

  useEffect(() => listen(), [listen]);
  useEffect(() => {
    void loadHome();
  }, [loadHome]);
  // Move focus to the new view's heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (!loading) document.querySelector<HTMLElement>('.ris-main h1')?.focus();
  }, [route, loading]);

  return (
    <div className="ris-area">
      <aside className="ris-side" aria-label={t('ris.heading')}>
        <LinkInput />
        <SearchPanel />
        <MyBodies />
      </aside>
      <section className="ris-main" aria-live="polite" aria-busy={loading}>
        {route.view !== 'home' && (
          <button type="button" className="ris-back" onClick={() => void back()} disabled={history.length === 0}>
            ← {t('ris.back')}
          </button>
        )}
        {loading && <p role="status">{t('ris.loading')}</p>}
        <ErrorMessage error={error} />
        {!loading && route.view === 'paper' && paper?.id === route.id && <PaperView paper={paper} />}
        {!loading && route.view === 'meeting' && meeting?.id === route.id && <MeetingView meeting={meeting} />}
        {route.view === 'document' && (
          <DocumentPane
            key={route.documentId}
            documentId={route.documentId}
            name={route.name}
            mimeType={route.mimeType}
            insecure={route.insecure}
          />
        )}
        {route.view === 'home' && !loading && <h1 tabIndex={-1}>{t('ris.heading')}</h1>}
      </section>
    </div>
  );
}
