import { api } from '../../ratsdesk-api';
import { PAGE_SIZE, useMail } from './mail-store';

/** Shows one message by its id (a click on the new-mail notification): its folder, selected, in the reading pane. */
export async function showMessageById(id: number): Promise<void> {
  const a = api();
  const stored = await a.mailSync.getMessage({ id });
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
