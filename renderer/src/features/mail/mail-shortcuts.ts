import type { MailState } from './mail-state';

/** What a shortcut may need besides the store. */
export interface ShortcutContext {
  focusSearch(): void;
}

export interface MailShortcut {
  /** The help text is `mail.help.<action>`. */
  action: string;
  /** KeyboardEvent.key values the mail area answers wherever focus is not in a text field or dialog. */
  keys: readonly string[];
  /** Keys the message list itself answers while it has focus (MessageList's listbox). */
  listKeys?: readonly string[];
  run?(store: MailState, context: ShortcutContext): void;
}

/**
 * The keyboard shortcuts of the mail area: MailView's key handler runs them, the help dialog lists them
 * and the toolbar buttons announce them (aria-keyshortcuts), all from this one table.
 */
export const MAIL_SHORTCUTS: readonly MailShortcut[] = [
  { action: 'next', keys: ['j'], listKeys: ['ArrowDown'], run: (s) => s.setActive(s.active + 1) },
  { action: 'previous', keys: ['k'], listKeys: ['ArrowUp'], run: (s) => s.setActive(s.active - 1) },
  { action: 'open', keys: [], listKeys: ['Enter'] },
  { action: 'extend', keys: [], listKeys: ['Shift+ArrowDown', 'Shift+ArrowUp'] },
  { action: 'selectAll', keys: [], listKeys: ['Control+A'] },
  { action: 'contextMenu', keys: [], listKeys: ['ContextMenu', 'Shift+F10'] },
  { action: 'reply', keys: ['r'], run: (s) => void s.startCompose('reply') },
  { action: 'replyAll', keys: ['a'], run: (s) => void s.startCompose('replyAll') },
  { action: 'forward', keys: ['f'], run: (s) => void s.startCompose('forward') },
  { action: 'new', keys: ['n'], run: (s) => void s.startCompose('new') },
  { action: 'delete', keys: ['Delete'], run: (s) => void s.deleteSelection() },
  { action: 'toggleRead', keys: ['u'], run: (s) => void s.toggleRead() },
  { action: 'flag', keys: ['s'], run: (s) => void s.toggleFlag() },
  { action: 'move', keys: ['m'], run: (s) => s.setMovePicker(true) },
  { action: 'archive', keys: ['e'], run: (s) => void s.archiveSelection() },
  { action: 'drafts', keys: ['d'], run: (s) => s.setDraftsPanel(true) },
  { action: 'search', keys: ['/'], run: (_s, context) => context.focusSearch() },
  { action: 'help', keys: ['?'], run: (s) => s.setHelp(true) },
  { action: 'escape', keys: ['Escape'], run: (s) => s.clearSearch() },
];

/** How a key is written on the keyboard (German first: "Entf" is the German Delete key). */
const KEY_LABELS: Readonly<Record<string, readonly string[]>> = {
  ArrowDown: ['↓'],
  ArrowUp: ['↑'],
  'Shift+ArrowDown': ['Umschalt+↓', 'Shift+↓'],
  'Shift+ArrowUp': ['Umschalt+↑', 'Shift+↑'],
  'Control+A': ['Strg+A', 'Ctrl+A'],
  ContextMenu: ['Menü', 'Menu'],
  'Shift+F10': ['Umschalt+F10', 'Shift+F10'],
  Delete: ['Entf', 'Delete'],
  Escape: ['Esc'],
};

/** The labels the help dialog shows for a shortcut: its keys, then the list's own. */
export function keyLabels(shortcut: MailShortcut): string[] {
  return [...shortcut.keys, ...(shortcut.listKeys ?? [])].flatMap((key) => KEY_LABELS[key] ?? [key]);
}

/** The shortcut the mail area answers for this key, if any. */
export function shortcutForKey(key: string): MailShortcut | undefined {
  return MAIL_SHORTCUTS.find((s) => s.run && s.keys.includes(key));
}

/** The aria-keyshortcuts value of the toolbar button for an action. */
export function ariaKeys(action: string): string {
  return MAIL_SHORTCUTS.find((s) => s.action === action)?.keys.join(' ') ?? '';
}
