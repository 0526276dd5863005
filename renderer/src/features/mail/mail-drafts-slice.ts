import { api } from '../../ratsdesk-api';
import type { MailDraftsSlice, MailSliceCreator } from './mail-state';

/** Saved drafts (the drafts panel, key d) and the outbox (the panel and the status bar's outbox line). */
export const mailDraftsSlice: MailSliceCreator<MailDraftsSlice> = (set, get, runtime) => ({
  outbox: [],
  draftsOpen: false,
  drafts: undefined,

  setDraftsPanel(open) {
    set({ draftsOpen: open });
    if (open) void get().loadDrafts();
  },

  async loadDrafts() {
    const a = api();
    const [drafts] = await Promise.all([runtime.call(a.compose.listDrafts()), get().loadOutbox()]);
    if (drafts) set({ drafts: drafts.value });
  },

  async loadOutbox() {
    const outbox = await runtime.current(api().compose.listOutbox());
    if (outbox?.ok) set({ outbox: outbox.value });
  },

  async openDraft(id) {
    const r = await runtime.call(api().compose.openDraft({ id }));
    if (r)
      set({
        draftsOpen: false,
        compose: { mode: 'draft', draft: { ...r.value, id }, ...(r.value.smime ? { smime: r.value.smime } : {}) },
        error: undefined,
      });
  },

  async deleteDraft(id) {
    const token = runtime.token();
    const r = await runtime.call(api().compose.deleteDraft({ id }));
    if (r) set({ notice: { key: 'mail.notice.draftDeleted' } });
    if (runtime.isCurrent(token)) await get().loadDrafts();
  },

  async retryOutboxItem(id) {
    const token = runtime.token();
    await runtime.call(api().compose.retryOutboxItem({ id }));
    if (runtime.isCurrent(token)) await get().loadOutbox();
  },

  async cancelOutboxItem(id) {
    const token = runtime.token();
    await runtime.call(api().compose.cancelOutboxItem({ id }));
    if (runtime.isCurrent(token)) await get().loadOutbox();
  },
});
