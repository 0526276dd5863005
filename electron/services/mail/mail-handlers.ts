import type { RatsdeskHandlers } from '../../contract';
import type { MailSessionHost } from './mail-session-host';

type MailHandlers = Pick<RatsdeskHandlers, 'mailSync' | 'mailReader' | 'compose'>;

/**
 * The three mail domains, each answered by the service of the same name in the signed-in account's
 * session: `mailSync` by MailSyncService, `mailReader` by MailReaderService, `compose` by ComposeService.
 */
export function mailHandlers(sessions: MailSessionHost): MailHandlers {
  const sync = async () => (await sessions.current()).sync;
  const reader = async () => (await sessions.current()).reader;
  const compose = async () => (await sessions.current()).compose;
  return {
    mailSync: {
      folders: async () => (await sync()).folders(),
      listPage: async (i) => (await sync()).listPage(i.folder, i.offset, i.limit, i.sort, i.conversations),
      getMessage: async ({ id }) => (await sync()).getMessage(id),
      listItems: async ({ ids }) => (await sync()).queries.listItems(ids),
      search: async (i) => ({ items: (await sync()).searchMessages(i) }),
      setFlags: async (i) => ({ pending: (await sync()).setFlags(i.ids, { seen: i.seen, flagged: i.flagged }) }),
      move: async (i) => (await sync()).move(i.ids, i.to),
      delete: async (i) => (await sync()).delete(i.ids),
      undo: async ({ token }) => (await sync()).undo(token),
      offlineStatus: async () => (await sync()).offlineStatus(),
      connectionState: async () => (await sync()).connectionState,
      syncNow: async ({ folder }) => {
        // Answer at once: progress and results arrive as events, a failure as the connection state
        // (and in the log, through syncError).
        void (await sync()).syncNow(folder).catch(() => undefined);
      },
    },
    mailReader: {
      read: async ({ id }) => (await reader()).read(id),
      thread: async ({ id }) => (await reader()).thread(id),
      remoteImage: async ({ id, url }) => ({ dataUrl: await (await reader()).remoteImage(id, url) }),
      openAttachment: async ({ id, partId }) => ({ documentId: await (await reader()).openAttachment(id, partId) }),
    },
    compose: {
      saveDraft: async (i) => (await compose()).saveDraft(i),
      listDrafts: async () => (await compose()).listDrafts(),
      openDraft: async ({ id }) => (await compose()).openDraft(id),
      deleteDraft: async ({ id }) => (await compose()).deleteDraft(id),
      startReply: async (i) => (await compose()).startReply(i.folder, i.uid, i.mode),
      send: async (i) => (await compose()).send(i),
      checkRecipients: async (i) => (await compose()).checkRecipients(i),
      listOutbox: async () => (await compose()).listOutbox(),
      cancelOutboxItem: async ({ id }) => (await compose()).cancelOutboxItem(id),
      retryOutboxItem: async ({ id }) => (await compose()).retryOutboxItem(id),
    },
  };
}
