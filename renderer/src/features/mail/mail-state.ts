import type { StoreApi } from 'zustand';
import type { DraftInput, DraftSummary, OutboxItemInfo, ReplyMode } from '../../../../electron/contract/compose';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { ReadMessage } from '../../../../electron/contract/mail-reader';
import type {
  ListSort,
  MailListItem,
  OfflineProgress,
  StoredMessage,
  SyncConnectionState,
  SyncedFolder,
  SyncProgress,
} from '../../../../electron/contract/mail-sync';
import type { MailStoreRuntime } from './mail-store-runtime';

// The shape of the mail store: one zustand store made of slices (mail-store.ts puts them together).

export const PAGE_SIZE = 100;

export interface SearchFilters {
  query: string;
  unread: boolean;
  hasAttachment: boolean;
  allFolders: boolean;
  /** yyyy-mm-dd or '' */
  since: string;
  until: string;
}

export interface OpenMessage {
  item: StoredMessage;
  read: ReadMessage | undefined;
  thread: MailListItem[];
  /** Opened from a conversation row: its messages in the folder, oldest first (the item is the newest). */
  conversation?: MailListItem[];
}

export interface ComposeState {
  mode: 'new' | 'draft' | ReplyMode;
  draft: DraftInput;
  /** Recipients outside the administration's domains the person is asked to confirm before sending. */
  confirmOutside?: string[];
  /** The last failure while composing (saving, sending), shown inside the dialog. */
  error?: ErrorInfo;
  /** Address fields as text, when they come from outside (a mailto: URL) and may hold what the form refuses. */
  fields?: { to: string; cc: string; bcc: string };
  /** S/MIME sign and encrypt switches; undefined until the policy's start is known (then sent as none). */
  smime?: { sign: boolean; encrypt: boolean };
}

/** A short confirmation in the toolbar (announced politely): an i18n key and its values. */
export interface MailNotice {
  key: string;
  count?: number;
  /** A folder path; shown with the folder's display name. */
  folder?: string;
}

/** A move or delete that can still be taken back: the notice shows "Rückgängig" for UNDO_NOTICE_MS. */
export interface MailUndo {
  token: number;
  notice: MailNotice;
}

/** How long the undo notice stays (the service holds the action a little longer, see undoWindowMs). */
export const UNDO_NOTICE_MS = 10_000;

/** How a click or key changes the selection: alone, added/removed (Ctrl/Cmd), or a range (Shift). */
export type SelectMode = 'single' | 'toggle' | 'range';

/** The folders, the open folder's pages, search, the selection and the actions on it. */
export interface MailListSlice {
  folders: SyncedFolder[];
  folder: string;
  total: number;
  /** Loaded pages of the open folder by page index; the list asks for the pages it shows. */
  pages: Record<number, MailListItem[]>;
  /** Bumped when the folder's contents changed; pages of an older generation are dropped. */
  generation: number;
  filters: SearchFilters;
  /** Search results while a search or a filter is active, else undefined (the folder's pages are shown). */
  results: MailListItem[] | undefined;
  active: number;
  /** Ids of the selected messages; empty means the active message alone. */
  selected: number[];
  /** Where a Shift selection starts (a list index). */
  anchor: number;
  /** The last move or delete, while it can be taken back. */
  undo: MailUndo | undefined;
  /** The list's order: newest first, or by sender or subject. */
  sort: ListSort;
  /** One row per conversation (its newest message) instead of one per message; remembered. */
  conversations: boolean;

  loadFolders(): Promise<void>;
  openFolder(path: string): Promise<void>;
  ensurePage(page: number): Promise<void>;
  refresh(): Promise<void>;
  itemAt(index: number): MailListItem | undefined;
  count(): number;
  /** Makes `index` the active message and the selection that message alone. */
  setActive(index: number, openIt?: boolean): void;
  /** A click (with Ctrl/Cmd: toggle; with Shift: range from the anchor) or Shift+arrow on a row. */
  select(index: number, mode: SelectMode): void;
  /** Ctrl+A: every message the list has loaded (search results, or the folder's loaded pages). */
  selectAll(): void;
  /** Orders the list anew (from the top, the selection cleared). */
  setSort(sort: ListSort): Promise<void>;
  /** Conversations or messages (from the top, the selection cleared; remembered for the next start). */
  setConversations(on: boolean): Promise<void>;
  /** The rows the actions work on: the selection, or the active row. */
  targets(): MailListItem[];
  /** The messages the actions work on: those of the targets (every message of a conversation row). */
  targetIds(): number[];
  setFilters(change: Partial<SearchFilters>): void;
  runSearch(): Promise<void>;
  clearSearch(): void;
  /** Read when any target is unread, else unread; one call for all targets (offline too). */
  toggleRead(): Promise<void>;
  /** Flag when any target is unflagged, else unflag (works offline: queued in the vault, replayed online). */
  toggleFlag(): Promise<void>;
  /** Move the targets (or the given ids, e.g. dragged rows) into another folder (offline too); undoable. */
  moveSelection(to: string, ids?: number[]): Promise<void>;
  /** Move the targets into the Archive folder (special use \Archive), when there is one; undoable. */
  archiveSelection(): Promise<void>;
  /** Into Trash (undoable), or for good from Trash. */
  deleteSelection(): Promise<void>;
  /** Takes back the last move or delete while its notice shows. */
  undoLast(): Promise<void>;
}

/** The message in the reading pane. */
export interface MailMessageSlice {
  open: OpenMessage | undefined;
  openActive(): Promise<void>;
}

/** The compose dialog: new message, reply, forward or a reopened draft. */
export interface MailComposeSlice {
  compose: ComposeState | undefined;
  startCompose(mode: 'new' | ReplyMode): Promise<void>;
  updateDraft(change: Partial<DraftInput>): void;
  saveDraft(): Promise<void>;
  /** Checks the recipients against the policy first; `confirmed`: the person confirmed the outside ones. */
  send(confirmed?: boolean): Promise<boolean>;
  /** Back from the recipient confirmation to editing. */
  cancelConfirm(): void;
  setSmime(mode: { sign: boolean; encrypt: boolean }): void;
  closeCompose(discard: boolean): Promise<void>;
}

/** Saved drafts and the outbox (the drafts panel, and the outbox line of the status bar). */
export interface MailDraftsSlice {
  outbox: OutboxItemInfo[];
  draftsOpen: boolean;
  /** The saved drafts, loaded when the drafts panel opens. */
  drafts: DraftSummary[] | undefined;
  setDraftsPanel(open: boolean): void;
  loadDrafts(): Promise<void>;
  loadOutbox(): Promise<void>;
  openDraft(id: string): Promise<void>;
  deleteDraft(id: string): Promise<void>;
  cancelOutboxItem(id: string): Promise<void>;
  retryOutboxItem(id: string): Promise<void>;
}

/** What the mail area shows around the slices: connection, sync progress, notice, error, dialogs. */
export interface MailViewState {
  connection: SyncConnectionState;
  progress: SyncProgress | undefined;
  /** Per folder: headers listed and bodies offline, while the first login downloads them. */
  offline: Record<string, OfflineProgress>;
  notice: MailNotice | undefined;
  error: ErrorInfo | undefined;
  helpOpen: boolean;
  movePickerOpen: boolean;

  /**
   * The store's first load of the session (event subscriptions, folder tree, the open folder's first page,
   * outbox, download figures), once until `reset()`; every later call gets the same promise. Whoever first
   * needs mail starts it: the shell when the mail area is shown (before the view's script has arrived),
   * "show this message" (from "Heute", a notification, a search hit), or the mail view when it mounts — so a
   * view that mounts late never lists anew over what was opened meanwhile.
   */
  start(): Promise<void>;
  /**
   * The mail view mounted: starts the store, or on a return to the view brings it up to date. Returns the
   * function for its unmounting (the store's subscriptions live until `reset()`).
   */
  init(): () => void;
  /** Back to the initial state: every timer, subscription and call under way of the store ends (lock). */
  reset(): void;
  setMovePicker(open: boolean): void;
  setHelp(open: boolean): void;
  /** A failure: shown in the compose dialog while composing (the view behind it is inert), else above the list. */
  setError(error: ErrorInfo | undefined): void;
}

export type MailState = MailListSlice & MailMessageSlice & MailComposeSlice & MailDraftsSlice & MailViewState;

export type MailSet = StoreApi<MailState>['setState'];
export type MailGet = StoreApi<MailState>['getState'];

/** A slice of the mail store: its state and actions, over the whole store and the store's runtime. */
export type MailSliceCreator<Slice> = (set: MailSet, get: MailGet, runtime: MailStoreRuntime) => Slice;
