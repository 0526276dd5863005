import { useTranslation } from 'react-i18next';
import type { RisFile } from '../../../../electron/contract/ris';
import { useRis } from './ris-store';
import { formatBytes } from '../../i18n/locale-format';

const KNOWN_ROLES = new Set([
  'mainFile',
  'auxiliaryFile',
  'invitation',
  'resultsProtocol',
  'verbatimProtocol',
  'resolutionFile',
  'agendaItemFile',
]);

/**
 * The files of a paper or meeting; each opens in the in-app viewer (fetched into the vault first if
 * needed). `insecure`: the paper or meeting came over plain http, so its files are marked as well.
 */
export function FileList({ files, label, insecure }: { files: readonly RisFile[]; label: string; insecure: boolean }) {
  const { t, i18n } = useTranslation();
  const openFile = useRis((s) => s.openFile);
  if (files.length === 0) return <p className="ris-muted">{t('ris.files.none')}</p>;
  return (
    <ul className="ris-files" aria-label={label}>
      {files.map((f) => (
        <li key={`${f.role}:${f.id}`} data-file-id={f.id}>
          <span className="ris-file-role">{t(`ris.files.roles.${KNOWN_ROLES.has(f.role) ? f.role : 'other'}`)}</span>
          <button
            type="button"
            className="ris-link-button"
            aria-label={t('ris.files.open', { name: f.name })}
            onClick={() => void openFile(f, insecure)}
          >
            {f.name}
          </button>
          <span className="ris-muted">{formatBytes(f.size, i18n.language)}</span>
          {f.documentId && <span className="ris-badge">{t('ris.files.offline')}</span>}
        </li>
      ))}
    </ul>
  );
}
