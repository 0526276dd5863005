import { api } from '../../ratsdesk-api';
import { PAGE_SIZE, useMail } from './mail-store';

/** Shows one message by its id (a click on the new-mail notification): its folder, selected, in the reading pane. */
export async function showMessageById(id: number): Promise<void> {
  const a = api();
  // The store loads its first page before the message is selected in it, whether or not the mail view (its own
  // script) has mounted yet: a start after this would list anew over the open message.
  const [stored] = await Promise.all([a.mailSync.getMessage({ id }), useMail.getState().start()]);
  if (!stored.ok) {
    useMail.getState().setError(stored.error);
    return;
  }
  const mail = useMail.getState();
  if (mail.folder !== stored.value.folder) await mail.openFolder(stored.value.folder);
  const page = useMail.getState().pages[0] ?? [];
  const index = page.findIndex((m) => m.id === id);
  if (index >= 0 && index < PAGE_SIZE) {
    useMail.getState().setActive(index);
    return;
  }
  // Not on the first page: shown in the reading pane all the same.
  const [read, thread] = await Promise.all([a.mailReader.read({ id }), a.mailReader.thread({ id })]);
  useMail.setState({
    open: { item: stored.value, read: read.ok ? read.value : undefined, thread: thread.ok ? thread.value : [] },
  });
  if (!stored.value.seen) await a.mailSync.setFlags({ ids: [id], seen: true });
}
