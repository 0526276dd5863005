import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { PaneSplitter } from '../../ui/PaneSplitter';
import { loadPaneWidths, type PaneLimits, savePaneWidths } from '../../ui/pane-widths';
import { ComposeDialog } from './ComposeDialog';
import { DraftsPanel } from './DraftsPanel';
import { FolderTree, useFolderName } from './FolderTree';
import { MessageList } from './MessageList';
import { MovePicker } from './MovePicker';
import { ReadingPane } from './ReadingPane';
import { SearchBar } from './SearchBar';
import { ShortcutHelp } from './ShortcutHelp';
import { SyncStatus } from './SyncStatus';
import { ariaKeys, shortcutForKey } from './mail-shortcuts';
import { useMail } from './mail-store';
import { usePrint } from '../print/print-store';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The resizable panes of the mail area (folders, message list); the reading pane takes the rest. */
const PANES: Record<'mailFolders' | 'mailList', PaneLimits> = {
  mailFolders: { min: 140, max: 400, initial: 190 },
  mailList: { min: 260, max: 900, initial: 380 },
};

/** The mail area: status, toolbar and search on top; folders, message list and reading pane below. */
export function MailView() {
  const { t } = useTranslation();
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const folder = useMail((s) => s.folder);
  const folders = useMail((s) => s.folders);
  const total = useMail((s) => s.total);
  const error = useMail((s) => s.error);
  const notice = useMail((s) => s.notice);
  const activeItem = useMail((s) => s.itemAt(s.active));
  const nameOf = useFolderName();
  const store = useMail.getState();
  const archive = folders.find((f) => f.role === 'archive');
  const printAllowed = usePrint((s) => s.allowed);
  const openMessage = useMail((s) => s.open);
  const [panes, setPanes] = useState(() => loadPaneWidths(PANES));
  const panesRef = useRef(panes);
  panesRef.current = panes;

  useEffect(() => useMail.getState().init(), []);

  // Desktop-mail shortcuts (mail-shortcuts.ts), whenever focus is not in a text field or a dialog.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const s = useMail.getState();
      if (s.compose || s.helpOpen || s.movePickerOpen || s.draftsOpen) return;
      const shortcut = shortcutForKey(e.key);
      if (!shortcut?.run) return;
      e.preventDefault();
      shortcut.run(s, { focusSearch: () => searchRef.current?.focus() });
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = folders.find((f) => f.path === folder);
  const noticeText = notice
    ? t(notice.key, {
        count: notice.count,
        folder:
          notice.folder === undefined
            ? undefined
            : nameOf(
                folders.find((f) => f.path === notice.folder),
                notice.folder,
              ),
      })
    : '';
  const noMessage = activeItem === undefined;

  return (
    <div className="mail-view">
      <SyncStatus />
      <div className="mail-toolbar" role="toolbar" aria-label={t('mail.toolbar')}>
        <button type="button" onClick={() => void store.startCompose('new')} aria-keyshortcuts={ariaKeys('new')}>
          {t('mail.actions.new')}
        </button>
        <button type="button" onClick={() => void store.startCompose('reply')} aria-keyshortcuts={ariaKeys('reply')}>
          {t('mail.actions.reply')}
        </button>
        <button
          type="button"
          onClick={() => void store.startCompose('replyAll')}
          aria-keyshortcuts={ariaKeys('replyAll')}
        >
          {t('mail.actions.replyAll')}
        </button>
        <button
          type="button"
          onClick={() => void store.startCompose('forward')}
          aria-keyshortcuts={ariaKeys('forward')}
        >
          {t('mail.actions.forward')}
        </button>
        <button type="button" onClick={() => void store.toggleRead()} aria-keyshortcuts={ariaKeys('toggleRead')}>
          {t('mail.actions.toggleRead')}
        </button>
        <button
          type="button"
          onClick={() => void store.toggleFlag()}
          aria-keyshortcuts={ariaKeys('flag')}
          aria-pressed={activeItem?.flagged ?? false}
          disabled={noMessage}
        >
          {t('mail.actions.flag')}
        </button>
        <button
          type="button"
          onClick={() => store.setMovePicker(true)}
          aria-keyshortcuts={ariaKeys('move')}
          aria-haspopup="dialog"
          disabled={noMessage}
        >
          {t('mail.actions.move')}
        </button>
        {archive && (
          <button
            type="button"
            onClick={() => void store.archiveActive()}
            aria-keyshortcuts={ariaKeys('archive')}
            disabled={noMessage || activeItem?.folder === archive.path}
          >
            {t('mail.actions.archive')}
          </button>
        )}
        <button type="button" onClick={() => void store.deleteActive()} aria-keyshortcuts={ariaKeys('delete')}>
          {t('mail.actions.delete')}
        </button>
        <button
          type="button"
          onClick={() => store.setDraftsPanel(true)}
          aria-keyshortcuts={ariaKeys('drafts')}
          aria-haspopup="dialog"
        >
          {t('mail.actions.drafts')}
        </button>
        {printAllowed && openMessage && (
          <button type="button" onClick={() => void usePrint.getState().print('mail')} aria-keyshortcuts="Control+P">
            {t('print.action')}
          </button>
        )}
        <button type="button" onClick={() => void store.openFolder(folder)}>
          {t('mail.actions.refresh')}
        </button>
        <button type="button" onClick={() => store.setHelp(true)} aria-keyshortcuts={ariaKeys('help')}>
          {t('mail.actions.help')}
        </button>
        <span className="notice" role="status" aria-live="polite">
          {noticeText}
        </span>
      </div>
      <SearchBar ref={searchRef} />
      <ErrorMessage error={error} />
      <div
        className="mail-panes"
        style={{ gridTemplateColumns: `${panes.mailFolders}px 8px ${panes.mailList}px 8px minmax(0, 1fr)` }}
      >
        <FolderTree />
        <PaneSplitter
          label={t('mail.panes.folders')}
          width={panes.mailFolders}
          limits={PANES.mailFolders}
          onChange={(w) => setPanes((p) => ({ ...p, mailFolders: w }))}
          onCommit={() => savePaneWidths(panesRef.current)}
        />
        <section className="mail-list-pane" aria-labelledby="mail-list-heading" ref={listRef}>
          <h1 id="mail-list-heading">
            {nameOf(current, folder)} <span className="count">{t('mail.count', { count: total })}</span>
          </h1>
          <MessageList label={t('mail.messages')} />
          {total === 0 && <p className="muted">{t('mail.empty')}</p>}
        </section>
        <PaneSplitter
          label={t('mail.panes.list')}
          width={panes.mailList}
          limits={PANES.mailList}
          onChange={(w) => setPanes((p) => ({ ...p, mailList: w }))}
          onCommit={() => savePaneWidths(panesRef.current)}
        />
        <ReadingPane />
      </div>
      <ComposeDialog />
      <MovePicker />
      <DraftsPanel />
      <ShortcutHelp />
    </div>
  );
}
