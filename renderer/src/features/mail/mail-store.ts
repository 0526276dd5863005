import { create } from 'zustand';
import {
  type DraftInput,
  type DraftSummary,
  emptyDraft,
  type OutboxItemInfo,
  type ReplyMode,
} from '../../../../electron/contract/compose';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { ReadMessage } from '../../../../electron/contract/mail-reader';
import type {
  MailListItem,
  SearchInput,
  StoredMessage,
  SyncConnectionState,
  SyncedFolder,
  SyncProgress,
} from '../../../../electron/contract/mail-sync';
import { api } from '../../ratsdesk-api';

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

const emptyFilters: SearchFilters = {
  query: '',
  unread: false,
  hasAttachment: false,
  allFolders: false,
  since: '',
  until: '',
};

export interface OpenMessage {
  item: StoredMessage;
  read: ReadMessage | undefined;
  thread: MailListItem[];
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
}

/** A short confirmation in the toolbar (announced politely): an i18n key and its values. */
export interface MailNotice {
  key: string;
  count?: number;
  /** A folder path; shown with the folder's display name. */
  folder?: string;
}

interface MailState {
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
  open: OpenMessage | undefined;
  connection: SyncConnectionState;
  progress: SyncProgress | undefined;
  outbox: OutboxItemInfo[];
  compose: ComposeState | undefined;
  notice: MailNotice | undefined;
  error: ErrorInfo | undefined;
  helpOpen: boolean;
  movePickerOpen: boolean;
  draftsOpen: boolean;
  /** The saved drafts, loaded when the drafts panel opens. */
  drafts: DraftSummary[] | undefined;

  init(): () => void;
  loadFolders(): Promise<void>;
  openFolder(path: string): Promise<void>;
  ensurePage(page: number): Promise<void>;
  refresh(): Promise<void>;
  itemAt(index: number): MailListItem | undefined;
  count(): number;
  setActive(index: number, openIt?: boolean): void;
  openActive(): Promise<void>;
  setFilters(change: Partial<SearchFilters>): void;
  runSearch(): Promise<void>;
  clearSearch(): void;
  toggleRead(): Promise<void>;
  /** Flag or unflag the active message (works offline: queued in the vault, replayed online). */
  toggleFlag(): Promise<void>;
  /** Move the active message into another folder (offline too). */
  moveActive(to: string): Promise<void>;
  /** Move the active message into the Archive folder (special use \Archive), when there is one. */
  archiveActive(): Promise<void>;
  deleteActive(): Promise<void>;
  setMovePicker(open: boolean): void;
  setDraftsPanel(open: boolean): void;
  loadDrafts(): Promise<void>;
  openDraft(id: string): Promise<void>;
  deleteDraft(id: string): Promise<void>;
  cancelOutboxItem(id: string): Promise<void>;
  retryOutboxItem(id: string): Promise<void>;
  startCompose(mode: 'new' | ReplyMode): Promise<void>;
  updateDraft(change: Partial<DraftInput>): void;
  saveDraft(): Promise<void>;
  /** Checks the recipients against the policy first; `confirmed`: the person confirmed the outside ones. */
  send(confirmed?: boolean): Promise<boolean>;
  /** Back from the recipient confirmation to editing. */
  cancelConfirm(): void;
  closeCompose(discard: boolean): Promise<void>;
  setHelp(open: boolean): void;
  setError(error: ErrorInfo | undefined): void;
}

const loadingPages = new Set<string>();
let searchTimer: ReturnType<typeof setTimeout> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let openSeq = 0;
let refreshRunning: Promise<void> | undefined;
let refreshAgain = false;

function searchInput(f: SearchFilters, folder: string): SearchInput {
  const input: SearchInput = { query: f.query, limit: 500 };
  if (!f.allFolders) input.folder = folder;
  if (f.unread) input.unread = true;
  if (f.hasAttachment) input.hasAttachment = true;
  if (f.since) input.since = new Date(`${f.since}T00:00:00`).toISOString();
  if (f.until) input.until = new Date(`${f.until}T23:59:59.999`).toISOString();
  return input;
}

function searching(f: SearchFilters): boolean {
  return f.query.trim() !== '' || f.unread || f.hasAttachment || f.since !== '' || f.until !== '';
}

export const useMail = create<MailState>((set, get) => ({
  folders: [],
  folder: 'INBOX',
  total: 0,
  pages: {},
  generation: 0,
  filters: emptyFilters,
  results: undefined,
  active: 0,
  open: undefined,
  connection: { state: 'connecting' },
  progress: undefined,
  outbox: [],
  compose: undefined,
  notice: undefined,
  error: undefined,
  helpOpen: false,
  movePickerOpen: false,
  draftsOpen: false,
  drafts: undefined,

  init() {
    const a = api();
    const scheduleRefresh = () => {
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void get().refresh(), 150);
    };
    const offs = [
      a.mailSync.onSyncProgress((p) => {
        set({ progress: p });
        if (p.phase === 'done' || p.phase === 'folders') scheduleRefresh();
      }),
      a.mailSync.onNewMail((n) => {
        set({ notice: { key: 'mail.status.newMail', count: n.count } });
        scheduleRefresh();
      }),
      a.mailSync.onSyncConnectionState((s) => set({ connection: s })),
      a.compose.onOutboxChanged(({ items }) => set({ outbox: items })),
    ];
    // Back from another area (e.g. an attachment in the viewer): keep the folder, position and open message.
    const returning = get().generation > 0;
    void (async () => {
      await get().loadFolders();
      if (returning) {
        await get().refresh();
        void a.mailSync.syncNow({ folder: get().folder });
      } else await get().openFolder(get().folder);
      const outbox = await a.compose.listOutbox();
      if (outbox.ok) set({ outbox: outbox.value });
    })();
    return () => {
      for (const off of offs) off();
    };
  },

  async loadFolders() {
    const r = await api().mailSync.folders();
    if (r.ok) set({ folders: r.value });
  },

  async openFolder(path) {
    set({ folder: path, pages: {}, total: 0, active: 0, open: undefined, generation: get().generation + 1 });
    loadingPages.clear();
    await get().ensurePage(0);
    // Sync that folder now and watch it with IDLE.
    void api().mailSync.syncNow({ folder: path });
    if (searching(get().filters)) void get().runSearch();
  },

  async ensurePage(page) {
    const { folder, generation, pages } = get();
    const key = `${generation}:${page}`;
    if (pages[page] || loadingPages.has(key)) return;
    loadingPages.add(key);
    const r = await api().mailSync.listPage({ folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    loadingPages.delete(key);
    if (get().generation !== generation || get().folder !== folder) return;
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    set((s) => ({ total: r.value.total, pages: { ...s.pages, [page]: r.value.items } }));
  },

  refresh() {
    // One refresh at a time; a request during a run makes it run once more afterwards, so the latest
    // change (new mail, a finished sync) always reaches the screen.
    if (refreshRunning) {
      refreshAgain = true;
      return refreshRunning;
    }
    refreshRunning = (async () => {
      do {
        refreshAgain = false;
        await refreshOnce();
      } while (refreshAgain);
    })().finally(() => {
      refreshRunning = undefined;
    });
    return refreshRunning;
  },

  itemAt(index) {
    const { results, pages } = get();
    if (results) return results[index];
    return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  },

  count() {
    const { results, total } = get();
    return results ? results.length : total;
  },

  setActive(index, openIt = true) {
    const count = get().count();
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, index));
    set({ active: next });
    if (openIt) void get().openActive();
  },

  async openActive() {
    const item = get().itemAt(get().active);
    if (!item) return;
    const seq = ++openSeq;
    const a = api();
    const stored = await a.mailSync.getMessage({ id: item.id });
    if (seq !== openSeq) return;
    if (!stored.ok) {
      set({ error: stored.error });
      return;
    }
    set({ open: { item: stored.value, read: undefined, thread: [] }, error: undefined });
    const [read, thread] = await Promise.all([
      a.mailReader.read({ id: item.id }),
      a.mailReader.thread({ id: item.id }),
    ]);
    if (seq !== openSeq) return;
    if (!read.ok) set({ error: read.error });
    set({
      open: { item: stored.value, read: read.ok ? read.value : undefined, thread: thread.ok ? thread.value : [] },
    });
    if (!item.seen) {
      const r = await a.mailSync.setFlags({ ids: [item.id], seen: true });
      if (r.ok) markLocal(item.id, { seen: true });
    }
  },

  setFilters(change) {
    set((s) => ({ filters: { ...s.filters, ...change } }));
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().runSearch(), 120);
  },

  async runSearch() {
    const f = get().filters;
    if (!searching(f)) {
      set({ results: undefined, active: 0 });
      return;
    }
    const r = await api().mailSync.search(searchInput(f, get().folder));
    if (get().filters !== f) return;
    if (r.ok) set({ results: r.value.items, active: 0, error: undefined });
    else set({ error: r.error });
  },

  clearSearch() {
    set({ filters: emptyFilters, results: undefined, active: 0 });
  },

  async toggleRead() {
    const item = get().itemAt(get().active);
    if (!item) return;
    const r = await api().mailSync.setFlags({ ids: [item.id], seen: !item.seen });
    if (r.ok) {
      markLocal(item.id, { seen: !item.seen });
      void get().loadFolders();
    } else set({ error: r.error });
  },

  async toggleFlag() {
    const item = get().itemAt(get().active);
    if (!item) return;
    const flagged = !item.flagged;
    const r = await api().mailSync.setFlags({ ids: [item.id], flagged });
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    markLocal(item.id, { flagged });
    set({
      notice: pendingNotice(r.value.pending) ?? { key: flagged ? 'mail.notice.flagged' : 'mail.notice.unflagged' },
    });
  },

  async moveActive(to) {
    const item = get().itemAt(get().active);
    set({ movePickerOpen: false });
    if (!item || item.folder === to) return;
    const r = await api().mailSync.move({ ids: [item.id], to });
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    set((s) => ({
      open: s.open?.item.id === item.id ? undefined : s.open,
      notice: pendingNotice(r.value.pending) ?? { key: 'mail.notice.moved', folder: to },
      error: undefined,
    }));
    await get().refresh();
    set((s) => ({ active: Math.max(0, Math.min(s.active, get().count() - 1)) }));
  },

  async archiveActive() {
    const archive = get().folders.find((f) => f.role === 'archive');
    if (archive) await get().moveActive(archive.path);
  },

  setMovePicker(open) {
    if (open && !get().itemAt(get().active)) return;
    set({ movePickerOpen: open });
  },

  setDraftsPanel(open) {
    set({ draftsOpen: open });
    if (open) void get().loadDrafts();
  },

  async loadDrafts() {
    const a = api();
    const [drafts, outbox] = await Promise.all([a.compose.listDrafts(), a.compose.listOutbox()]);
    if (drafts.ok) set({ drafts: drafts.value });
    else set({ error: drafts.error });
    if (outbox.ok) set({ outbox: outbox.value });
  },

  async openDraft(id) {
    const r = await api().compose.openDraft({ id });
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    set({ draftsOpen: false, compose: { mode: 'draft', draft: { ...r.value, id } }, error: undefined });
  },

  async deleteDraft(id) {
    const r = await api().compose.deleteDraft({ id });
    if (!r.ok) set({ error: r.error });
    else set({ notice: { key: 'mail.notice.draftDeleted' } });
    await get().loadDrafts();
  },

  async retryOutboxItem(id) {
    const r = await api().compose.retryOutboxItem({ id });
    if (!r.ok) set({ error: r.error });
    const outbox = await api().compose.listOutbox();
    if (outbox.ok) set({ outbox: outbox.value });
  },

  async cancelOutboxItem(id) {
    const r = await api().compose.cancelOutboxItem({ id });
    if (!r.ok) set({ error: r.error });
    const outbox = await api().compose.listOutbox();
    if (outbox.ok) set({ outbox: outbox.value });
  },

  async deleteActive() {
    const item = get().itemAt(get().active);
    if (!item) return;
    const r = await api().mailSync.delete({ ids: [item.id] });
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    set((s) => ({ open: s.open?.item.id === item.id ? undefined : s.open }));
    await get().refresh();
  },

  async startCompose(mode) {
    if (mode === 'new') {
      set({ compose: { mode, draft: emptyDraft() } });
      return;
    }
    const open = get().open?.item ?? get().itemAt(get().active);
    if (!open) return;
    const r = await api().compose.startReply({ folder: open.folder, uid: open.uid, mode });
    if (r.ok) set({ compose: { mode, draft: r.value } });
    else set({ error: r.error });
  },

  updateDraft(change) {
    // A changed draft needs a fresh recipient check: a pending confirmation named the old recipients.
    set((s) =>
      s.compose
        ? { compose: { ...s.compose, draft: { ...s.compose.draft, ...change }, confirmOutside: undefined } }
        : {},
    );
  },

  async saveDraft() {
    const c = get().compose;
    if (!c) return;
    const r = await api().compose.saveDraft(c.draft);
    if (r.ok)
      set((s) =>
        s.compose
          ? {
              compose: { ...s.compose, draft: { ...s.compose.draft, id: r.value.id }, error: undefined },
              notice: { key: 'mail.compose.draftSaved' },
            }
          : {},
      );
    else setComposeError(r.error);
  },

  async send(confirmed = false) {
    const c = get().compose;
    if (!c) return false;
    if (!confirmed) {
      // The policy's house rules: recipients outside the administration are named and confirmed first.
      const check = await api().compose.checkRecipients(c.draft);
      if (check.ok && check.value.verdict === 'confirm') {
        set((s) =>
          s.compose ? { compose: { ...s.compose, confirmOutside: check.value.outside, error: undefined } } : {},
        );
        return false;
      }
      // 'block' and failures: the send call answers with the stable code.
    }
    const r = await api().compose.send({ ...c.draft, confirmOutsideRecipients: confirmed });
    if (!r.ok) {
      setComposeError(r.error);
      return false;
    }
    set({ compose: undefined, notice: { key: 'mail.compose.queued' }, error: undefined });
    return true;
  },

  cancelConfirm() {
    set((s) => (s.compose ? { compose: { ...s.compose, confirmOutside: undefined } } : {}));
  },

  async closeCompose(discard) {
    const c = get().compose;
    set({ compose: undefined });
    if (discard && c?.draft.id) await api().compose.deleteDraft({ id: c.draft.id });
    if (get().draftsOpen) await get().loadDrafts();
  },

  setHelp(open) {
    set({ helpOpen: open });
  },

  setError(error) {
    if (error && get().compose) setComposeError(error);
    else set({ error });
  },
}));

/** A failure while composing: shown in the compose dialog (the view behind a modal dialog is inert). */
function setComposeError(error: ErrorInfo) {
  useMail.setState((s) => (s.compose ? { compose: { ...s.compose, confirmOutside: undefined, error } } : { error }));
}

/** "Will be done once online" when actions wait in the vault while there is no connection. */
function pendingNotice(pending: number): MailNotice | undefined {
  return pending > 0 && useMail.getState().connection.state !== 'online'
    ? { key: 'mail.notice.pendingOffline', count: pending }
    : undefined;
}

/** Reflect a flag change in the loaded pages, results and the open message without reloading them. */
function markLocal(id: number, change: { seen?: boolean; flagged?: boolean }) {
  useMail.setState((s) => {
    const patch = (items: MailListItem[]) => items.map((m) => (m.id === id ? { ...m, ...change } : m));
    const pages: Record<number, MailListItem[]> = {};
    for (const [k, v] of Object.entries(s.pages)) pages[Number(k)] = v.some((m) => m.id === id) ? patch(v) : v;
    return {
      pages,
      results: s.results && patch(s.results),
      open: s.open && s.open.item.id === id ? { ...s.open, item: { ...s.open.item, ...change } } : s.open,
      folders: s.folders.map((f) =>
        f.path === s.folder && change.seen !== undefined
          ? { ...f, unread: Math.max(0, f.unread + (change.seen ? -1 : 1)) }
          : f,
      ),
    };
  });
}

/** Reloads the folder list and the loaded pages of the open folder, then swaps them in at once (no flicker). */
async function refreshOnce(): Promise<void> {
  const { folder, pages, generation } = useMail.getState();
  await useMail.getState().loadFolders();
  const visible = Object.keys(pages).map(Number);
  if (visible.length === 0) visible.push(0);
  const next: Record<number, MailListItem[]> = {};
  let total = useMail.getState().total;
  for (const page of visible) {
    const r = await api().mailSync.listPage({ folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    if (!r.ok) return;
    next[page] = r.value.items;
    total = r.value.total;
  }
  const now = useMail.getState();
  // A folder switch meanwhile makes these pages stale.
  if (now.folder !== folder || now.generation !== generation) return;
  useMail.setState({ pages: next, total });
  if (searching(now.filters)) await now.runSearch();
}
