import type { MailListItem, SearchInput } from '../../../../electron/contract/mail-sync';
import { api } from '../../ratsdesk-api';
import {
  type MailGet,
  type MailListSlice,
  type MailNotice,
  type MailSet,
  type MailSliceCreator,
  PAGE_SIZE,
  type SearchFilters,
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
export function markLocal(set: MailSet, id: number, change: { seen?: boolean; flagged?: boolean }): void {
  set((s) => {
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
      const r = await runtime.current(api().mailSync.listPage({ folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE }));
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

  return {
    folders: [],
    folder: 'INBOX',
    total: 0,
    pages: {},
    generation: 0,
    filters: emptyFilters,
    results: undefined,
    active: 0,

    async loadFolders() {
      const r = await runtime.current(api().mailSync.folders());
      if (r?.ok) set({ folders: r.value });
    },

    async openFolder(path) {
      const token = runtime.token();
      set({ folder: path, pages: {}, total: 0, active: 0, open: undefined, generation: get().generation + 1 });
      runtime.loadingPages.clear();
      await get().ensurePage(0);
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
      const r = await runtime.current(api().mailSync.listPage({ folder, offset: page * PAGE_SIZE, limit: PAGE_SIZE }));
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
      set({ active: next });
      if (openIt) void get().openActive();
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
      const item = get().itemAt(get().active);
      if (!item) return;
      const r = await runtime.call(api().mailSync.setFlags({ ids: [item.id], seen: !item.seen }));
      if (!r) return;
      markLocal(set, item.id, { seen: !item.seen });
      void get().loadFolders();
    },

    async toggleFlag() {
      const item = get().itemAt(get().active);
      if (!item) return;
      const flagged = !item.flagged;
      const r = await runtime.call(api().mailSync.setFlags({ ids: [item.id], flagged }));
      if (!r) return;
      markLocal(set, item.id, { flagged });
      set({
        notice: pendingNotice(get, r.value.pending) ?? {
          key: flagged ? 'mail.notice.flagged' : 'mail.notice.unflagged',
        },
      });
    },

    async moveActive(to) {
      const item = get().itemAt(get().active);
      set({ movePickerOpen: false });
      if (!item || item.folder === to) return;
      const token = runtime.token();
      const r = await runtime.call(api().mailSync.move({ ids: [item.id], to }));
      if (!r) return;
      set((s) => ({
        open: s.open?.item.id === item.id ? undefined : s.open,
        notice: pendingNotice(get, r.value.pending) ?? { key: 'mail.notice.moved', folder: to },
        error: undefined,
      }));
      await get().refresh();
      if (runtime.isCurrent(token)) set((s) => ({ active: Math.max(0, Math.min(s.active, get().count() - 1)) }));
    },

    async archiveActive() {
      const archive = get().folders.find((f) => f.role === 'archive');
      if (archive) await get().moveActive(archive.path);
    },

    async deleteActive() {
      const item = get().itemAt(get().active);
      if (!item) return;
      const r = await runtime.call(api().mailSync.delete({ ids: [item.id] }));
      if (!r) return;
      set((s) => ({ open: s.open?.item.id === item.id ? undefined : s.open }));
      await get().refresh();
    },
  };
};
