import { create } from 'zustand';
import { api } from '../../ratsdesk-api';
import { loadConversationView } from './conversation-view-setting';
import { composeFailure, mailComposeSlice } from './mail-compose-slice';
import { mailDraftsSlice } from './mail-drafts-slice';
import { mailListSlice } from './mail-list-slice';
import { mailMessageSlice } from './mail-message-slice';
import type { MailState } from './mail-state';
import { MailStoreRuntime } from './mail-store-runtime';

export { PAGE_SIZE } from './mail-state';

/**
 * The mail area's store: list and search, the open message, compose, drafts and outbox (one slice each),
 * plus what the view shows around them. Its timers, subscriptions and calls under way belong to the
 * store's runtime, which `reset()` ends on lock together with all the state.
 */
export const useMail = create<MailState>()((set, get, store) => {
  const runtime = new MailStoreRuntime((error) => set({ error }));
  const composeFailed = composeFailure(set);

  /** Opened after the connection came up (e.g. from "Heute"): the state as it is now; events bring changes. */
  function takeConnectionState(): void {
    void runtime.current(api().mailSync.connectionState()).then((connection) => {
      if (connection?.ok) set({ connection: connection.value });
    });
  }

  /** Outbox and the download figures so far (events bring the changes); a failure here only hides the line. */
  async function loadAround(): Promise<void> {
    await get().loadOutbox();
    const offline = await runtime.current(api().mailSync.offlineStatus());
    if (offline?.ok) {
      set({ offline: { ...Object.fromEntries(offline.value.map((f) => [f.folder, f])), ...get().offline } });
    }
  }

  return {
    ...mailListSlice(set, get, runtime),
    ...mailMessageSlice(set, get, runtime),
    ...mailComposeSlice(set, get, runtime),
    ...mailDraftsSlice(set, get, runtime),
    connection: { state: 'connecting' },
    progress: undefined,
    offline: {},
    notice: undefined,
    error: undefined,
    helpOpen: false,
    movePickerOpen: false,

    start() {
      runtime.started ??= (async () => {
        const a = api();
        const refreshSoon = () => runtime.later('refresh', 150, () => void get().refresh());
        // Heard from the start until the store is reset (lock, sign-out), whether or not the view is shown: a
        // view that mounts later finds the list as the events left it.
        for (const off of [
          a.mailSync.onSyncProgress((p) => {
            set({ progress: p });
            if (p.phase === 'done' || p.phase === 'folders') refreshSoon();
          }),
          a.mailSync.onNewMail((n) => {
            set({ notice: { key: 'mail.status.newMail', count: n.count } });
            refreshSoon();
          }),
          a.mailSync.onOfflineProgress((p) => {
            const listedBefore = get().offline[p.folder]?.listed;
            set({ offline: { ...get().offline, [p.folder]: p } });
            // The first login stores headers newest first: the open folder's list grows while the person looks,
            // and the other folders' counts in the tree with it.
            if (p.folder === get().folder) refreshSoon();
            else if (p.listed !== listedBefore) runtime.later('folders', 500, () => void get().loadFolders());
          }),
          a.mailSync.onSyncConnectionState((s) => set({ connection: s })),
          a.compose.onOutboxChanged(({ items }) => set({ outbox: items })),
        ])
          runtime.own(off);
        const token = runtime.token();
        takeConnectionState();
        // The first page of the list does not wait for the folder tree (its unread counts count whole
        // folders): both are asked at once, so the rows arrive one round trip sooner.
        await Promise.all([get().loadFolders(), get().openFolder(get().folder)]);
        if (runtime.isCurrent(token)) await loadAround();
      })();
      return runtime.started;
    },

    init() {
      const shownBefore = runtime.viewShown;
      runtime.viewShown = true;
      if (!runtime.started) {
        void get().start();
      } else if (shownBefore) {
        // Back from another area (e.g. an attachment in the viewer): keep the folder, position and open
        // message, and bring them up to date.
        const token = runtime.token();
        void (async () => {
          await runtime.started;
          if (!runtime.isCurrent(token)) return;
          takeConnectionState();
          await get().loadFolders();
          if (!runtime.isCurrent(token)) return;
          await get().refresh();
          if (!runtime.isCurrent(token)) return;
          void api().mailSync.syncNow({ folder: get().folder });
          await loadAround();
        })();
      }
      // Started before its first showing (the window opened at mail, a message shown from "Heute"): the store
      // has heard every event since, so the view shows it as it is.
      return () => {};
    },

    reset() {
      runtime.reset();
      // The list's view is the person's choice, not state of the session: it stays as last chosen.
      set({ ...store.getInitialState(), conversations: loadConversationView() }, true);
    },

    setMovePicker(open) {
      if (open && get().targets().length === 0) return;
      set({ movePickerOpen: open });
    },

    setHelp(open) {
      set({ helpOpen: open });
    },

    setError(error) {
      if (error && get().compose) composeFailed(error);
      else set({ error });
    },
  };
});
