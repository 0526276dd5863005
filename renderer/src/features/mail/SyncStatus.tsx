import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { outboxReason, waitingItems } from './DraftsPanel';
import { useFolderName } from './FolderTree';
import { useMail } from './mail-store';

/** Connection, sync progress and outbox, always visible above the mail; offline is said plainly. */
export function SyncStatus() {
  const { t } = useTranslation();
  const connection = useMail((s) => s.connection);
  const progress = useMail((s) => s.progress);
  const folders = useMail((s) => s.folders);
  const folder = useMail((s) => s.folder);
  const offline = useMail((s) => s.offline[s.folder]);
  const outbox = useMail((s) => s.outbox);
  const setDraftsPanel = useMail((s) => s.setDraftsPanel);
  const waiting = waitingItems(outbox);
  // The reason shown: a failure first (it needs the person), else why the rest waits.
  const reasonItem = waiting.find((i) => i.lastError) ?? waiting[0];
  const nameOf = useFolderName();

  const state =
    connection.state === 'online'
      ? t('mail.status.online')
      : connection.state === 'connecting'
        ? t('mail.status.connecting')
        : connection.state === 'auth-failed'
          ? t('mail.status.authFailed')
          : connection.state === 'paused'
            ? t('mail.status.paused')
            : connection.retryInMs !== undefined
              ? t('mail.status.offlineRetry', { seconds: Math.ceil(connection.retryInMs / 1000) })
              : t('mail.status.offline');
  let sync = '';
  if (connection.state === 'online' && progress) {
    if (progress.phase === 'folders') sync = t('mail.status.syncingFolders');
    else if (progress.phase === 'new' && progress.total > 0) {
      const f = folders.find((x) => x.path === progress.folder);
      sync = t('mail.status.syncing', {
        folder: nameOf(f, progress.folder),
        done: progress.done,
        total: progress.total,
      });
    } else sync = t('mail.status.synced');
  }
  // The first login's download of the open folder, until every body within the offline period is here.
  let download = '';
  if (offline && (!offline.headersDone || offline.offline < offline.wanted)) {
    const name = nameOf(
      folders.find((x) => x.path === folder),
      folder,
    );
    download = offline.headersDone
      ? t('mail.status.offlineAvailable', { folder: name, offline: offline.offline, total: offline.wanted })
      : t('mail.status.listing', { folder: name, listed: offline.listed, total: offline.total });
  }

  return (
    <div className="mail-status" data-connection={connection.state}>
      <span role="status" aria-label={t('mail.status.label')} className={`connection ${connection.state}`}>
        <span className="dot" aria-hidden="true" /> {state}
      </span>
      <span className="sync" aria-live="polite">
        {sync}
      </span>
      {download && (
        <span className="download" data-offline-folder={folder}>
          {download}
        </span>
      )}
      {reasonItem && (
        <button
          type="button"
          className="outbox"
          data-outbox-waiting={waiting.length}
          aria-haspopup="dialog"
          onClick={() => setDraftsPanel(true)}
        >
          {t('mail.status.outbox', { count: waiting.length })} –{' '}
          {outboxReason(reasonItem, connection.state === 'online', t)}
        </button>
      )}
      {/* Why the person must act (sign-in refused, a full disk) or why the last sync failed. */}
      {connection.state !== 'offline' && connection.error && <ErrorMessage error={connection.error} />}
    </div>
  );
}
