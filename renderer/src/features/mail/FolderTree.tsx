import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncedFolder } from '../../../../electron/contract/mail-sync';
import { isMenuKey, type MenuRequest, menuPointFor } from '../../ui/ContextMenu';
import { useMail } from './mail-store';
import { messageIdsOf } from './mail-list-slice';
import { MESSAGES_DRAG_TYPE } from './MessageList';

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

/** The message ids a drag carries (from the message list), or undefined for anything else. */
function draggedIds(e: DragEvent): number[] | undefined {
  const raw = e.dataTransfer.getData(MESSAGES_DRAG_TYPE);
  if (!raw) return undefined;
  try {
    const ids: unknown = JSON.parse(raw);
    return Array.isArray(ids) && ids.every((id) => Number.isInteger(id) && id > 0) ? (ids as number[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Folders with their unread counts; nested folders indented under their parents. Messages dragged from
 * the list onto a folder move there; the context menu (right-click, Menu key, Shift+F10) opens, refreshes,
 * or moves the selected messages into the folder.
 */
export function FolderTree({ onMenu }: { onMenu(request: MenuRequest): void }) {
  const { t } = useTranslation();
  const folders = useMail((s) => s.folders);
  const current = useMail((s) => s.folder);
  const openFolder = useMail((s) => s.openFolder);
  const [dropOn, setDropOn] = useState<string | undefined>();
  const nameOf = useFolderName();
  const sorted = sortFolders(folders);

  function menuFor(f: SyncedFolder, at: { x: number; y: number }, button: HTMLElement) {
    const s = useMail.getState();
    const name = nameOf(f, f.path);
    const movable = messageIdsOf(s.targets().filter((m) => m.folder !== f.path));
    onMenu({
      label: t('mail.menu.folder', { name }),
      ...at,
      returnFocus: button,
      entries: [
        { id: 'openFolder', label: t('mail.menu.openFolder'), run: () => void s.openFolder(f.path) },
        {
          id: 'refreshFolder',
          label: t('mail.actions.refresh'),
          run: () => void (s.folder === f.path ? s.openFolder(f.path) : s.openFolder(f.path)),
        },
        {
          id: 'moveHere',
          label: t('mail.menu.moveHere', { count: movable.length }),
          disabled: movable.length === 0,
          separator: true,
          run: () => void s.moveSelection(f.path),
        },
      ],
    });
  }

  return (
    <nav className="mail-folders" aria-label={t('mail.folders')}>
      <ul>
        {sorted.map((f) => (
          <li key={f.path} style={{ paddingLeft: depthOf(f) * 12 }}>
            <button
              type="button"
              aria-current={f.path === current ? 'page' : undefined}
              onClick={() => void openFolder(f.path)}
              onContextMenu={(e) => {
                e.preventDefault();
                menuFor(f, { x: e.clientX, y: e.clientY }, e.currentTarget);
              }}
              onKeyDown={(e) => {
                if (!isMenuKey(e)) return;
                e.preventDefault();
                menuFor(f, menuPointFor(e.currentTarget), e.currentTarget);
              }}
              onDragOver={(e) => {
                if (!e.dataTransfer.types.includes(MESSAGES_DRAG_TYPE)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                setDropOn(f.path);
              }}
              onDragLeave={() => setDropOn((p) => (p === f.path ? undefined : p))}
              onDrop={(e) => {
                const ids = draggedIds(e);
                setDropOn(undefined);
                if (!ids) return;
                e.preventDefault();
                void useMail.getState().moveSelection(f.path, ids);
              }}
              className={dropOn === f.path ? 'drop-target' : undefined}
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
