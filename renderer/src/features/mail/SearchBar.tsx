import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../ui/DateField';
import { useMail } from './mail-store';

/** Search as you type over the vault's full-text index, with folder, unread, date and attachment filters. */
export const SearchBar = forwardRef<HTMLInputElement>(function SearchBar(_props, ref) {
  const { t } = useTranslation();
  const filters = useMail((s) => s.filters);
  const results = useMail((s) => s.results);
  const { setFilters, clearSearch } = useMail.getState();
  return (
    <div role="search" className="mail-search">
      <input
        ref={ref}
        type="search"
        aria-label={t('mail.search.label')}
        placeholder={t('mail.search.placeholder')}
        value={filters.query}
        onChange={(e) => setFilters({ query: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            clearSearch();
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      <fieldset className="filters">
        <legend className="visually-hidden">{t('mail.search.filters')}</legend>
        <label>
          <input type="checkbox" checked={filters.unread} onChange={(e) => setFilters({ unread: e.target.checked })} />{' '}
          {t('mail.search.unreadOnly')}
        </label>
        <label>
          <input
            type="checkbox"
            checked={filters.hasAttachment}
            onChange={(e) => setFilters({ hasAttachment: e.target.checked })}
          />{' '}
          {t('mail.search.withAttachment')}
        </label>
        <label>
          {t('mail.search.scope')}{' '}
          <select
            value={filters.allFolders ? 'all' : 'folder'}
            onChange={(e) => setFilters({ allFolders: e.target.value === 'all' })}
          >
            <option value="folder">{t('mail.search.scopeFolder')}</option>
            <option value="all">{t('mail.search.scopeAll')}</option>
          </select>
        </label>
        <span className="date-filter">
          <span aria-hidden="true">{t('mail.search.since')} </span>
          <DateField label={t('mail.search.since')} value={filters.since} onChange={(since) => setFilters({ since })} />
        </span>
        <span className="date-filter">
          <span aria-hidden="true">{t('mail.search.until')} </span>
          <DateField label={t('mail.search.until')} value={filters.until} onChange={(until) => setFilters({ until })} />
        </span>
        {results && (
          <>
            <span className="results-count" role="status">
              {t('mail.search.results', { count: results.length })}
            </span>
            <button type="button" onClick={clearSearch}>
              {t('mail.search.clear')}
            </button>
          </>
        )}
      </fieldset>
    </div>
  );
});
