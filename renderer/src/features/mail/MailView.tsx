import { type KeyboardEvent as ReactKeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContextMenu, isMenuKey, type MenuEntry, useContextMenu } from '../../ui/ContextMenu';
import type { ListSort } from '../../../../electron/contract/mail-sync';
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
import { type MailAction, mailActions } from './mail-actions';
import { MailIcon } from './mail-icons';
import { ariaKeys, shortcutForKey } from './mail-shortcuts';
import { loadReadingPanePosition, type ReadingPanePosition, saveReadingPanePosition } from './reading-pane-position';
import { useMail } from './mail-store';
import { usePrint } from '../print/print-store';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The resizable panes of the mail area (folders, message list: its width with the reading pane to the
 * right, its height with the reading pane below); the reading pane takes the rest.
 */
const PANES: Record<'mailFolders' | 'mailList' | 'mailListHeight', PaneLimits> = {
  mailFolders: { min: 140, max: 400, initial: 190 },
  mailList: { min: 260, max: 900, initial: 380 },
  mailListHeight: { min: 120, max: 900, initial: 280 },
};

/**
 * Actions that sit in "Mehr" instead of the toolbar (and stay in the message context menu): the toolbar keeps
 * one row at the usual window width — new, the reply group, the move group, delete, flag, Mehr.
 */
const IN_MORE: ReadonlySet<string> = new Set(['toggleRead']);

/** A toolbar button: icon and label, its shortcut in the tooltip. */
function ToolbarButton({ action }: { action: MailAction }) {
  return (
    <button
      type="button"
      className="tool"
      data-action={action.id}
      onClick={action.run}
      disabled={action.disabled}
      aria-keyshortcuts={action.shortcut || undefined}
      aria-pressed={action.pressed === undefined ? undefined : action.pressed}
      aria-haspopup={action.dialog ? 'dialog' : undefined}
      title={action.keyLabel ? `${action.label} (${action.keyLabel})` : action.label}
    >
      <MailIcon name={action.icon} />
      <span>{action.label}</span>
    </button>
  );
}

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
  useMail((s) => s.active);
  const nameOf = useFolderName();
  const store = useMail.getState();
  const printAllowed = usePrint((s) => s.allowed);
  const openMessage = useMail((s) => s.open);
  const [panes, setPanes] = useState(() => loadPaneWidths(PANES));
  const panesRef = useRef(panes);
  panesRef.current = panes;
  // Stored after the render that applied the change: a key press changes and commits at once, and the
  // ref holds the new widths only from that render on.
  const [commits, setCommits] = useState(0);
  const commitPanes = () => setCommits((n) => n + 1);
  useEffect(() => {
    if (commits > 0) savePaneWidths(panesRef.current);
  }, [commits]);
  const [layout, setLayout] = useState<ReadingPanePosition>(loadReadingPanePosition);
  const undo = useMail((s) => s.undo);
  const sort = useMail((s) => s.sort);
  const conversations = useMail((s) => s.conversations);
  // The toolbar follows the selection and the loaded rows.
  useMail((s) => s.selected);
  useMail((s) => s.pages);
  const actions = mailActions(useMail.getState(), t);
  const menu = useContextMenu();

  function openMessageMenu(at: { x: number; y: number }, returnFocus: HTMLElement | null) {
    const s = useMail.getState();
    const count = s.targets().length;
    if (count === 0) return;
    menu.open({
      label: t('mail.menu.messages', { count }),
      ...at,
      entries: mailActions(s, t),
      returnFocus,
    });
  }

  function openMore(button: HTMLElement) {
    const s = useMail.getState();
    const entries: MenuEntry[] = [
      ...mailActions(s, t)
        .filter((a) => IN_MORE.has(a.id))
        .map((a) => ({ ...a, separator: false })),
      ...(printAllowed && openMessage
        ? [
            {
              id: 'print',
              label: t('print.action'),
              shortcut: 'Control+P',
              keyLabel: `${t('mail.keys.ctrl')}+P`,
              run: () => void usePrint.getState().print('mail'),
            },
          ]
        : []),
      {
        id: 'drafts',
        separator: true,
        label: t('mail.actions.drafts'),
        shortcut: ariaKeys('drafts'),
        keyLabel: 'D',
        run: () => s.setDraftsPanel(true),
      },
      { id: 'refresh', label: t('mail.actions.refresh'), run: () => void s.openFolder(s.folder) },
      {
        id: 'conversations',
        label: s.conversations ? t('mail.conversations.off') : t('mail.conversations.on'),
        separator: true,
        run: () => void s.setConversations(!s.conversations),
      },
      {
        id: 'layout',
        label: layout === 'right' ? t('mail.more.readingBelow') : t('mail.more.readingRight'),
        separator: true,
        run: () => {
          const next = layout === 'right' ? 'below' : 'right';
          saveReadingPanePosition(next);
          setLayout(next);
        },
      },
      {
        id: 'help',
        label: t('mail.actions.help'),
        shortcut: ariaKeys('help'),
        keyLabel: '?',
        separator: true,
        run: () => s.setHelp(true),
      },
    ];
    const r = button.getBoundingClientRect();
    menu.open({ label: t('mail.more.label'), x: r.left, y: r.bottom, entries, returnFocus: button });
  }

  /** The toolbar is one tab stop: the arrow keys move between its buttons (ARIA toolbar pattern). */
  function onToolbarKey(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    if (!(e.target instanceof HTMLButtonElement) || e.target.classList.contains('undo')) return;
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button.tool:not([disabled])')];
    const at = buttons.indexOf(e.target);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? buttons.length - 1
          : (at + (e.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length;
    e.preventDefault();
    buttons[next]?.focus();
  }

  useEffect(() => useMail.getState().init(), []);

  // Desktop-mail shortcuts (mail-shortcuts.ts), whenever focus is not in a text field or a dialog.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || isMenuKey(e)) return;
      if (document.querySelector('.context-menu')) return;
      // Not behind a modal dialog. Asked of the page, not the store: a dialog closed with Escape is closed at
      // once, but its store flag clears only with the dialog's close event a moment later, and a shortcut typed
      // right after Escape fell into that gap and was lost.
      if (document.querySelector('dialog[open]')) return;
      const s = useMail.getState();
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

  return (
    <div className="mail-view">
      <SyncStatus />
      <div className="mail-toolbar" role="toolbar" aria-label={t('mail.toolbar')} onKeyDown={onToolbarKey}>
        <ToolbarButton
          action={{
            id: 'new',
            group: 'new',
            icon: 'new',
            label: t('mail.actions.new'),
            shortcut: ariaKeys('new'),
            keyLabel: 'N',
            dialog: true,
            run: () => void store.startCompose('new'),
          }}
        />
        {(['reply', 'move', 'delete', 'mark'] as const).map((group) => (
          <div className="toolbar-group" role="group" aria-label={t(`mail.toolbarGroups.${group}`)} key={group}>
            {actions
              .filter((a) => a.group === group && !IN_MORE.has(a.id))
              .map((a) => (
                <ToolbarButton key={a.id} action={a} />
              ))}
          </div>
        ))}
        <button
          type="button"
          className="tool more"
          aria-haspopup="menu"
          aria-expanded={menu.request?.label === t('mail.more.label')}
          onClick={(e) => openMore(e.currentTarget)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              openMore(e.currentTarget);
            }
          }}
        >
          <MailIcon name="more" />
          <span>{t('mail.more.label')}</span>
        </button>
        <span className="notice" role="status" aria-live="polite">
          {noticeText}
          {undo && (
            <>
              {' — '}
              <button type="button" className="undo" onClick={() => void store.undoLast()}>
                {t('mail.notice.undo')}
              </button>
            </>
          )}
        </span>
      </div>
      <SearchBar ref={searchRef} />
      <ErrorMessage error={error} />
      <div
        className="mail-panes"
        data-reading-pane={layout}
        style={
          layout === 'right'
            ? { gridTemplateColumns: `${panes.mailFolders}px 8px ${panes.mailList}px 8px minmax(0, 1fr)` }
            : {
                gridTemplateColumns: `${panes.mailFolders}px 8px minmax(0, 1fr)`,
                gridTemplateRows: `${panes.mailListHeight}px 8px minmax(0, 1fr)`,
              }
        }
      >
        <FolderTree onMenu={menu.open} />
        <PaneSplitter
          label={t('mail.panes.folders')}
          width={panes.mailFolders}
          limits={PANES.mailFolders}
          onChange={(w) => setPanes((p) => ({ ...p, mailFolders: w }))}
          onCommit={commitPanes}
        />
        <section className="mail-list-pane" aria-labelledby="mail-list-heading" ref={listRef}>
          <h1 id="mail-list-heading">
            {nameOf(current, folder)}{' '}
            <span className="count">
              {t(conversations ? 'mail.conversationCount' : 'mail.count', { count: total })}
            </span>
          </h1>
          {/* Label and select side by side: a wrapping label would take the options' words into its name. */}
          <span className="list-sort">
            <label htmlFor="mail-list-sort">{t('mail.sort.label')}</label>{' '}
            <select id="mail-list-sort" value={sort} onChange={(e) => void store.setSort(e.target.value as ListSort)}>
              <option value="date">{t('mail.sort.date')}</option>
              <option value="sender">{t('mail.sort.sender')}</option>
              <option value="subject">{t('mail.sort.subject')}</option>
            </select>
          </span>{' '}
          <span className="list-conversations">
            <input
              type="checkbox"
              id="mail-list-conversations"
              checked={conversations}
              onChange={(e) => void store.setConversations(e.target.checked)}
            />{' '}
            <label htmlFor="mail-list-conversations">{t('mail.conversations.toggle')}</label>
          </span>
          <MessageList label={t('mail.messages')} onMenu={openMessageMenu} />
          {total === 0 && <p className="muted">{t('mail.empty')}</p>}
        </section>
        {layout === 'right' ? (
          <PaneSplitter
            label={t('mail.panes.list')}
            width={panes.mailList}
            limits={PANES.mailList}
            onChange={(w) => setPanes((p) => ({ ...p, mailList: w }))}
            onCommit={commitPanes}
          />
        ) : (
          <PaneSplitter
            label={t('mail.panes.listHeight')}
            orientation="horizontal"
            width={panes.mailListHeight}
            limits={PANES.mailListHeight}
            onChange={(h) => setPanes((p) => ({ ...p, mailListHeight: h }))}
            onCommit={commitPanes}
          />
        )}
        <ReadingPane />
      </div>
      <ComposeDialog />
      <MovePicker />
      <DraftsPanel />
      <ShortcutHelp />
      <ContextMenu request={menu.request} onClose={menu.close} />
    </div>
  );
}
