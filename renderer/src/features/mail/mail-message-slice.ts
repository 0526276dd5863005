import { api } from '../../ratsdesk-api';
import { markLocal } from './mail-list-slice';
import type { MailMessageSlice, MailSliceCreator } from './mail-state';

/** The message in the reading pane: its stored headers at once, then the parsed body and its thread. */
export const mailMessageSlice: MailSliceCreator<MailMessageSlice> = (set, get, runtime) => ({
  open: undefined,

  async openActive() {
    const item = get().itemAt(get().active);
    if (!item) return;
    // Only the latest request lands: moving on quickly through the list drops the older answers.
    const seq = ++runtime.openSeq;
    const token = runtime.token();
    const a = api();
    const stored = await runtime.current(a.mailSync.getMessage({ id: item.id }));
    if (!stored || seq !== runtime.openSeq) return;
    const message = runtime.ok(stored);
    if (!message) return;
    // A conversation row opens the conversation: its messages in the folder, the newest (the row's) in full.
    const members = item.conversation && item.conversation.count > 1 ? item.conversation.ids : undefined;
    set({ open: { item: message.value, read: undefined, thread: [] }, error: undefined });
    const [readResult, thread, conversation] = await Promise.all([
      a.mailReader.read({ id: item.id }),
      members ? undefined : a.mailReader.thread({ id: item.id }),
      members ? a.mailSync.listItems({ ids: members }) : undefined,
    ]);
    if (!runtime.isCurrent(token) || seq !== runtime.openSeq) return;
    const read = runtime.ok(readResult);
    set({
      open: {
        item: message.value,
        read: read?.value,
        thread: thread?.ok ? thread.value : [],
        conversation: conversation?.ok ? conversation.value : undefined,
      },
    });
    if (!item.seen) {
      // Opening a conversation reads all of it (its unread messages are shown or one click away).
      const ids = members ?? [item.id];
      const r = await runtime.current(a.mailSync.setFlags({ ids, seen: true }));
      if (r?.ok) markLocal(set, ids, { seen: true });
    }
  },
});
