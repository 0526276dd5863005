import { emptyDraft } from '../../../../electron/contract/compose';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { api } from '../../ratsdesk-api';
import type { MailComposeSlice, MailSet, MailSliceCreator } from './mail-state';

/** A failure while composing: shown in the compose dialog (the view behind a modal dialog is inert). */
export function composeFailure(set: MailSet): (error: ErrorInfo) => void {
  return (error) =>
    set((s) => (s.compose ? { compose: { ...s.compose, confirmOutside: undefined, error } } : { error }));
}

/** The compose dialog: a new message, a reply or forward of the open one, or a reopened draft. */
export const mailComposeSlice: MailSliceCreator<MailComposeSlice> = (set, get, runtime) => {
  const composeFailed = composeFailure(set);

  return {
    compose: undefined,

    async startCompose(mode) {
      if (mode === 'new') {
        set({ compose: { mode, draft: emptyDraft() } });
        return;
      }
      const open = get().open?.item ?? get().itemAt(get().active);
      if (!open) return;
      const r = await runtime.call(api().compose.startReply({ folder: open.folder, uid: open.uid, mode }));
      if (r) set({ compose: { mode, draft: r.value } });
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
      // The sign/encrypt switches are saved with the draft, so it opens again as it was written.
      const r = await runtime.call(
        api().compose.saveDraft({ ...c.draft, ...(c.smime ? { smime: c.smime } : {}) }),
        composeFailed,
      );
      if (!r) return;
      set((s) =>
        s.compose
          ? {
              compose: { ...s.compose, draft: { ...s.compose.draft, id: r.value.id }, error: undefined },
              notice: { key: 'mail.compose.draftSaved' },
            }
          : {},
      );
    },

    async send(confirmed = false) {
      const c = get().compose;
      if (!c) return false;
      if (!confirmed) {
        // The policy's house rules: recipients outside the administration are named and confirmed first.
        const check = await runtime.current(api().compose.checkRecipients(c.draft));
        if (!check) return false;
        if (check.ok && check.value.verdict === 'confirm') {
          set((s) =>
            s.compose ? { compose: { ...s.compose, confirmOutside: check.value.outside, error: undefined } } : {},
          );
          return false;
        }
        // 'block' and failures: the send call answers with the stable code.
      }
      const r = await runtime.call(
        api().compose.send({ ...c.draft, confirmOutsideRecipients: confirmed, ...(c.smime ? { smime: c.smime } : {}) }),
        composeFailed,
      );
      if (!r) return false;
      set({ compose: undefined, notice: { key: 'mail.compose.queued' }, error: undefined });
      // The original of a reply or forward is marked answered or forwarded in the vault (offline too): show it.
      if (c.draft.inReplyTo || c.draft.forwarded) void get().refresh();
      return true;
    },

    setSmime(mode) {
      set((s) => (s.compose ? { compose: { ...s.compose, smime: mode } } : {}));
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
  };
};
