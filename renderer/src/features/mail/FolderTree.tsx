import { useTranslation } from 'react-i18next';
import type { SyncedFolder } from '../../../../electron/contract/mail-sync';
import { useMail } from './mail-store';

/** The folder's name as shown: special-use folders in the UI language (Posteingang, Gesendet …). */
export function useFolderName(): (folder: SyncedFolder | undefined, path: string) => string {
  const { t } = useTranslation();
  return (folder, path) => {
    if (folder?.role) return t(`folders.${folder.role}`);
    if (path.toUpperCase() === 'INBOX') return t('folders.inbox');
    return folder?.name ?? path;
  };
}

export function depthOf(f: SyncedFolder): number {
  if (!f.delimiter) return 0;
  return f.path.split(f.delimiter).length - 1;
}

/** Special-use folders first (Inbox, Drafts, Sent, Archive, Junk, Trash), then the others by path. */
export function sortFolders(folders: readonly SyncedFolder[]): SyncedFolder[] {
  const rank = (f: SyncedFolder) => {
    const r = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'].indexOf(f.role ?? '');
    return r < 0 ? 99 : r;
  };
  return [...folders].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** Folders with their unread counts; nested folders indented under their parents. */
export function FolderTree() {
  const { t } = useTranslation();
  const folders = useMail((s) => s.folders);
  const current = useMail((s) => s.folder);
  const openFolder = useMail((s) => s.openFolder);
  const nameOf = useFolderName();
  const sorted = sortFolders(folders);
  return (
    <nav className="mail-folders" aria-label={t('mail.folders')}>
      <ul>
        {sorted.map((f) => (
          <li key={f.path} style={{ paddingLeft: depthOf(f) * 12 }}>
            <button
              type="button"
              aria-current={f.path === current ? 'page' : undefined}
              onClick={() => void openFolder(f.path)}
              data-folder={f.path}
            >
              <span className="folder-name">{nameOf(f, f.path)}</span>
              {f.unread > 0 && (
                <span className="unread-count" aria-label={t('mail.unreadCount', { count: f.unread })}>
                  {f.unread}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
