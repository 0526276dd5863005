import type { MailListItem, SearchInput } from '../../../../electron/contract/mail-sync';
import { api } from '../../ratsdesk-api';
import { startCallOr } from '../../app/start-calls';
import { loadConversationView, saveConversationView } from './conversation-view-setting';
import {
  type MailGet,
  type MailListSlice,
  type MailNotice,
  type MailSet,
  type MailSliceCreator,
  type MailState,
  PAGE_SIZE,
  type SearchFilters,
  UNDO_NOTICE_MS,
} from './mail-state';

const emptyFilters: SearchFilters = {
  query: '',
  unread: false,
  hasAttachment: false,
  allFolders: false,
  since: '',
  until: '',
};

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

/** "Will be done once online" when actions wait in the vault while there is no connection. */
function pendingNotice(get: MailGet, pending: number): MailNotice | undefined {
  return pending > 0 && get().connection.state !== 'online'
    ? { key: 'mail.notice.pendingOffline', count: pending }
    : undefined;
}

/** Reflect a flag change in the loaded pages, results and the open message without reloading them. */
export function markLocal(
  set: MailSet,
  ids: number | readonly number[],
  change: { seen?: boolean; flagged?: boolean },
): void {
  const wanted = new Set(typeof ids === 'number' ? [ids] : ids);
  set((s) => {
    // The open folder's unread count changes by the messages whose read state really changes.
    let unreadDelta = 0;
    const patch = (items: MailListItem[], count: boolean) =>
      items.map((m) => {
        if (!wanted.has(m.id)) return m;
        if (m.conversation && change.seen !== undefined) {
          // A conversation row: all its messages change (the row's ids are what the action was given).
          const { count: n, unread } = m.conversation;
          if (count) unreadDelta += change.seen ? -unread : n - unread;
          return { ...m, ...change, conversation: { ...m.conversation, unread: change.seen ? 0 : n } };
        }
        if (count && change.seen !== undefined && m.seen !== change.seen) unreadDelta += change.seen ? -1 : 1;
        return { ...m, ...change };
      });
    const pages: Record<number, MailListItem[]> = {};
    for (const [k, v] of Object.entries(s.pages))
      pages[Number(k)] = v.some((m) => wanted.has(m.id)) ? patch(v, true) : v;
    if (Object.keys(s.pages).length === 0 && change.seen !== undefined)
      unreadDelta = change.seen ? -wanted.size : wanted.size;
    return {
      pages,
      results: s.results && patch(s.results, false),
      open: s.open && wanted.has(s.open.item.id) ? { ...s.open, item: { ...s.open.item, ...change } } : s.open,
      folders: s.folders.map((f) =>
        f.path === s.folder && unreadDelta !== 0 ? { ...f, unread: Math.max(0, f.unread + unreadDelta) } : f,
      ),
    };
  });
}

/** The list call for one page of the open folder, in the list's order and view. */
function pageInput(get: MailGet, folder: string, page: number) {
  const { sort, conversations } = get();
  return { folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort, conversations };
}

/** The messages of list rows: a conversation row stands for every message of its conversation in the folder. */
export function messageIdsOf(items: readonly MailListItem[]): number[] {
  return items.flatMap((m) => m.conversation?.ids ?? [m.id]);
}

/** Every item the list has loaded, in list order (search results, or the folder's loaded pages). */
function loadedItems(get: MailGet): MailListItem[] {
  const { results, pages } = get();
  if (results) return results;
  return Object.keys(pages)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((p) => pages[p] ?? []);
}

/** The folders, the open folder's pages (loaded as the list shows them), search, and actions on the active message. */
export const mailListSlice: MailSliceCreator<MailListSlice> = (set, get, runtime) => {
  /** Reloads the folder list and the loaded pages of the open folder, then swaps them in at once (no flicker). */
  async function refreshOnce(): Promise<void> {
    const { folder, pages, generation } = get();
    await get().loadFolders();
    const visible = Object.keys(pages).map(Number);
    if (visible.length === 0) visible.push(0);
    const next: Record<number, MailListItem[]> = {};
    let total = get().total;
    for (const page of visible) {
      const r = await runtime.current(api().mailSync.listPage(pageInput(get, folder, page)));
      if (!r?.ok) return;
      next[page] = r.value.items;
      total = r.value.total;
    }
    const now = get();
    // A folder switch meanwhile makes these pages stale.
    if (now.folder !== folder || now.generation !== generation) return;
    set({ pages: next, total });
    if (searching(now.filters)) await now.runSearch();
  }

  /** After a move or delete: the messages leave the list, the notice offers undo while the service holds it. */
  async function afterRemoval(ids: number[], result: { pending: number; undo?: number }, notice: MailNotice) {
    const token = runtime.token();
    const gone = new Set(ids);
    set((s) => ({
      open: s.open && gone.has(s.open.item.id) ? undefined : s.open,
      selected: [],
      notice: pendingNotice(get, result.pending) ?? notice,
      undo: result.undo ? { token: result.undo, notice } : undefined,
      error: undefined,
    }));
    if (result.undo) {
      const undoToken = result.undo;
      runtime.later('undo', UNDO_NOTICE_MS, () => {
        if (get().undo?.token === undoToken) set({ undo: undefined });
      });
    }
    await get().refresh();
    if (runtime.isCurrent(token)) set((s) => ({ active: Math.max(0, Math.min(s.active, get().count() - 1)) }));
  }

  /** The list from the top with `change` (another folder, order or view): loaded pages and selection go. */
  async function listAnew(change: Partial<MailState>): Promise<void> {
    set({ ...change, pages: {}, active: 0, selected: [], anchor: 0, generation: get().generation + 1 });
    runtime.loadingPages.clear();
    await get().ensurePage(0);
  }

  return {
    folders: [],
    folder: 'INBOX',
    total: 0,
    pages: {},
    generation: 0,
    filters: emptyFilters,
    results: undefined,
    active: 0,
    selected: [],
    anchor: 0,
    undo: undefined,
    sort: 'date',
    conversations: loadConversationView(),

    async loadFolders() {
      const r = await runtime.current(startCallOr('folders', undefined, () => api().mailSync.folders()));
      if (r?.ok) set({ folders: r.value });
    },

    async openFolder(path) {
      const token = runtime.token();
      await listAnew({ folder: path, total: 0, open: undefined });
      if (!runtime.isCurrent(token)) return;
      // Sync that folder now and watch it with IDLE.
      void api().mailSync.syncNow({ folder: path });
      if (searching(get().filters)) void get().runSearch();
    },

    async ensurePage(page) {
      const { folder, generation, pages } = get();
      const key = `${generation}:${page}`;
      if (pages[page] || runtime.loadingPages.has(key)) return;
      runtime.loadingPages.add(key);
      const input = pageInput(get, folder, page);
      const r = await runtime.current(startCallOr('listPage', input, () => api().mailSync.listPage(input)));
      if (!r) return;
      runtime.loadingPages.delete(key);
      if (get().generation !== generation || get().folder !== folder) return;
      const loaded = runtime.ok(r);
      if (loaded) set((s) => ({ total: loaded.value.total, pages: { ...s.pages, [page]: loaded.value.items } }));
    },

    refresh() {
      // One refresh at a time; a request during a run makes it run once more afterwards, so the latest
      // change (new mail, a finished sync) always reaches the screen.
      if (runtime.refreshRunning) {
        runtime.refreshAgain = true;
        return runtime.refreshRunning;
      }
      const token = runtime.token();
      const running = (async () => {
        do {
          runtime.refreshAgain = false;
          await refreshOnce();
        } while (runtime.refreshAgain && runtime.isCurrent(token));
      })().finally(() => {
        if (runtime.refreshRunning === running) runtime.refreshRunning = undefined;
      });
      runtime.refreshRunning = running;
      return running;
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
      set({ active: next, anchor: next, selected: [] });
      if (openIt) void get().openActive();
    },

    select(index, mode) {
      const count = get().count();
      if (count === 0) return;
      const at = Math.max(0, Math.min(count - 1, index));
      if (mode === 'single') return get().setActive(at);
      const item = get().itemAt(at);
      if (!item) return;
      const { selected, anchor, active } = get();
      let next: number[];
      if (mode === 'toggle') {
        // Ctrl/Cmd-click starts from what is selected now: the active message when nothing else is.
        const current = selected.length > 0 ? selected : [get().itemAt(active)?.id].filter((id) => id !== undefined);
        next = current.includes(item.id) ? current.filter((id) => id !== item.id) : [...current, item.id];
        set({ active: at, anchor: at, selected: next });
      } else {
        const from = Math.min(anchor, at);
        const to = Math.max(anchor, at);
        next = [];
        for (let i = from; i <= to; i++) {
          const m = get().itemAt(i);
          if (m) next.push(m.id);
        }
        set({ active: at, selected: next });
      }
      // The reading pane shows a message when exactly one is selected.
      if (next.length <= 1) void get().openActive();
      else set({ open: undefined });
    },

    async setSort(sort) {
      if (sort === get().sort) return;
      await listAnew({ sort });
    },

    async setConversations(on) {
      if (on === get().conversations) return;
      saveConversationView(on);
      // Rows change meaning (messages or conversations): nothing loaded, selected or open carries over.
      await listAnew({ conversations: on, total: 0, open: undefined });
    },

    selectAll() {
      const ids = loadedItems(get).map((m) => m.id);
      if (ids.length === 0) return;
      set({ selected: ids, open: ids.length > 1 ? undefined : get().open });
    },

    targets() {
      const { selected, active } = get();
      if (selected.length === 0) {
        const item = get().itemAt(active);
        return item ? [item] : [];
      }
      const wanted = new Set(selected);
      return loadedItems(get).filter((m) => wanted.has(m.id));
    },

    targetIds() {
      return messageIdsOf(get().targets());
    },

    setFilters(change) {
      set((s) => ({ filters: { ...s.filters, ...change } }));
      runtime.later('search', 120, () => void get().runSearch());
    },

    async runSearch() {
      const f = get().filters;
      if (!searching(f)) {
        set({ results: undefined, active: 0 });
        return;
      }
      const r = await runtime.current(api().mailSync.search(searchInput(f, get().folder)));
      if (!r || get().filters !== f) return;
      const found = runtime.ok(r);
      if (found) set({ results: found.value.items, active: 0, error: undefined });
    },

    clearSearch() {
      set({ filters: emptyFilters, results: undefined, active: 0 });
    },

    async toggleRead() {
      const items = get().targets();
      if (items.length === 0) return;
      const ids = messageIdsOf(items);
      const seen = items.some((m) => !m.seen);
      const r = await runtime.call(api().mailSync.setFlags({ ids, seen }));
      if (!r) return;
      markLocal(set, ids, { seen });
      if (ids.length > 1)
        set({
          notice: pendingNotice(get, r.value.pending) ?? {
            key: seen ? 'mail.notice.read' : 'mail.notice.unread',
            count: ids.length,
          },
        });
      void get().loadFolders();
    },

    async toggleFlag() {
      const items = get().targets();
      if (items.length === 0) return;
      const ids = messageIdsOf(items);
      const flagged = items.some((m) => !m.flagged);
      const r = await runtime.call(api().mailSync.setFlags({ ids, flagged }));
      if (!r) return;
      markLocal(set, ids, { flagged });
      set({
        notice: pendingNotice(get, r.value.pending) ?? {
          key: flagged ? 'mail.notice.flagged' : 'mail.notice.unflagged',
          count: ids.length,
        },
      });
    },

    async moveSelection(to, given) {
      const ids =
        given ??
        messageIdsOf(
          get()
            .targets()
            .filter((m) => m.folder !== to),
        );
      set({ movePickerOpen: false });
      if (ids.length === 0) return;
      const r = await runtime.call(api().mailSync.move({ ids, to }));
      if (!r) return;
      const archive = get().folders.find((f) => f.role === 'archive')?.path === to;
      const notice: MailNotice = {
        key: archive ? 'mail.notice.archived' : 'mail.notice.moved',
        folder: to,
        count: ids.length,
      };
      await afterRemoval(ids, r.value, notice);
    },

    async archiveSelection() {
      const archive = get().folders.find((f) => f.role === 'archive');
      if (archive) await get().moveSelection(archive.path);
    },

    async deleteSelection() {
      const ids = get().targetIds();
      if (ids.length === 0) return;
      const r = await runtime.call(api().mailSync.delete({ ids }));
      if (!r) return;
      await afterRemoval(ids, r.value, {
        key: r.value.undo ? 'mail.notice.deleted' : 'mail.notice.deletedForGood',
        count: ids.length,
      });
    },

    async undoLast() {
      const undo = get().undo;
      if (!undo) return;
      set({ undo: undefined });
      const r = await runtime.call(api().mailSync.undo({ token: undo.token }));
      if (!r) return;
      set({
        notice: r.value.undone
          ? (pendingNotice(get, r.value.pending) ?? { key: 'mail.notice.undone' })
          : { key: 'mail.notice.undoTooLate' },
      });
      await get().refresh();
    },
  };
};
