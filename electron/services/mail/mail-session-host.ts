import type { Contract, EmitterOf, RatsdeskHandlers } from '../../contract';
import { RatsdeskError } from '../../contract/errors';
import type { Inbox } from '../../contract/mail';
import type { FolderRole } from '../../contract/mail-sync';
import { type AccountService, keychainAccountName } from '../account/account-service';
import type { DocumentCache } from '../documents/document-cache';
import type { KeychainService } from '../keychain/keychain-service';
import type { Vault } from '../vault/vault';
import type { TlsTrust } from './imap-connection';
import type { RecipientRules } from './recipient-policy';
import { MailAccountSession } from './mail-account-session';
import type { MailService } from './mail-service';

export interface MailSessionHostOptions {
  vault: () => Promise<Vault>;
  documents: () => Promise<DocumentCache>;
  keychain: KeychainService;
  account: AccountService;
  /** The skeleton's connection test; closed once the offline-first session runs. */
  mail: MailService;
  trust?: TlsTrust;
  emit?: EmitterOf<Contract>;
  pollMs?: number;
  /** The policy's offline period for mail bodies (days; null = all), read when a session starts. */
  offlineMailDays?: () => Promise<number | null>;
  /** The machine policy's recipient rules, read on every send. */
  recipientRules?: () => Promise<RecipientRules>;
}

type MailHandlers = Pick<RatsdeskHandlers, 'mailSync' | 'mailReader' | 'compose'>;
type AccountHandlers = RatsdeskHandlers['account'];

const SPECIAL_USE: Record<FolderRole, string> = {
  inbox: '\\Inbox',
  sent: '\\Sent',
  drafts: '\\Drafts',
  trash: '\\Trash',
  junk: '\\Junk',
  archive: '\\Archive',
};

/** Errors after which the stored account still opens offline (the server is merely unreachable). */
const OFFLINE_CODES = new Set(['CONNECTION_REFUSED', 'HOST_NOT_FOUND', 'TIMEOUT', 'SERVER_ERROR']);

/**
 * Runs one MailAccountSession for the signed-in account: started after connect or restore (restore
 * works offline from the vault), stopped on sign-out. Exposes the mail domains' contract handlers.
 */
export class MailSessionHost {
  private session: MailAccountSession | undefined;
  private pending: Promise<MailAccountSession | undefined> = Promise.resolve(undefined);

  constructor(private readonly options: MailSessionHostOptions) {}

  /** The running session, or NO_ACCOUNT. Waits for one that is starting. */
  async current(): Promise<MailAccountSession> {
    const s = this.session ?? (await this.pending);
    if (!s) throw new RatsdeskError('NO_ACCOUNT');
    return s;
  }

  /** (Re)starts the session for the stored account. */
  start(): Promise<MailAccountSession | undefined> {
    this.pending = this.pending
      .catch(() => undefined)
      .then(async () => {
        await this.stopNow();
        const status = await this.options.account.status();
        const settings = status.account;
        if (!status.configured || !settings) return undefined;
        const { keychain, emit } = this.options;
        const name = keychainAccountName(settings);
        const session = new MailAccountSession({
          vault: await this.options.vault(),
          settings,
          password: async () => {
            const p = await keychain.get(name);
            if (!p) throw new RatsdeskError('NO_ACCOUNT', 'no password in keychain');
            return p;
          },
          trust: this.options.trust,
          documents: this.options.documents,
          recipientRules: this.options.recipientRules,
          sync: { pollMs: this.options.pollMs, bodyDays: (await this.options.offlineMailDays?.()) ?? null },
          events: {
            syncProgress: (p) => emit?.('mailSync', 'syncProgress', p),
            newMail: (n) => emit?.('mailSync', 'newMail', n),
            connectionState: (s) => emit?.('mailSync', 'syncConnectionState', s),
            outboxChanged: (items) => emit?.('compose', 'outboxChanged', { items }),
          },
        });
        this.session = session;
        session.start();
        // The sync session has its own connections now; the connection test's one is not needed.
        await this.options.mail.disconnect();
        return session;
      });
    return this.pending;
  }

  private async stopNow(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.dispose();
  }

  async stop(): Promise<void> {
    this.pending = this.pending
      .catch(() => undefined)
      .then(async () => {
        await this.stopNow();
        return undefined;
      });
    await this.pending;
  }

  /** The vault's view of the account for a start without network. */
  private async offlineInbox(): Promise<Inbox> {
    const session = await this.current();
    const folders = session.sync
      .folders()
      .map((f) => ({ path: f.path, name: f.name, specialUse: f.role ? SPECIAL_USE[f.role] : null }));
    return { folders, folder: 'INBOX', messages: [] };
  }

  /** Account handlers that start and stop the session around the skeleton's account calls. */
  wrapAccount(inner: AccountHandlers): AccountHandlers {
    return {
      status: () => inner.status(),
      connect: async (input) => {
        const inbox = await inner.connect(input);
        await this.start();
        return inbox;
      },
      restore: async () => {
        try {
          const inbox = await inner.restore();
          await this.start();
          return inbox;
        } catch (err) {
          // Offline-first: a configured account opens from the vault when only the server is unreachable.
          if (!(err instanceof RatsdeskError) || !OFFLINE_CODES.has(err.code)) throw err;
          const started = await this.start();
          if (!started) throw err;
          return this.offlineInbox();
        }
      },
      forget: async () => {
        await this.stop();
        return inner.forget();
      },
    };
  }

  handlers(): MailHandlers {
    const s = () => this.current();
    return {
      mailSync: {
        folders: async () => (await s()).sync.folders(),
        listPage: async (i) => (await s()).sync.listPage(i.folder, i.offset, i.limit),
        getMessage: async ({ id }) => (await s()).sync.getMessage(id),
        search: async (i) => ({ items: (await s()).sync.searchMessages(i) }),
        setFlags: async (i) => ({ pending: (await s()).sync.setFlags(i.ids, { seen: i.seen, flagged: i.flagged }) }),
        move: async (i) => ({ pending: (await s()).sync.move(i.ids, i.to) }),
        delete: async (i) => ({ pending: (await s()).sync.delete(i.ids) }),
        syncNow: async ({ folder }) => {
          // Answer at once: progress and results arrive as events.
          void (await s()).sync.syncNow(folder).catch(() => undefined);
        },
      },
      mailReader: {
        read: async ({ id }) => (await s()).read(id),
        thread: async ({ id }) => (await s()).thread(id),
        remoteImage: async ({ id, url }) => ({ dataUrl: await (await s()).remoteImage(id, url) }),
        setSenderRemoteContent: async ({ address, allow }) => (await s()).setSenderRemoteContent(address, allow),
        openAttachment: async ({ id, partId }) => ({ documentId: await (await s()).openAttachment(id, partId) }),
      },
      compose: {
        saveDraft: async (i) => (await s()).saveDraft(i),
        listDrafts: async () => (await s()).listDrafts(),
        openDraft: async ({ id }) => (await s()).openDraft(id),
        deleteDraft: async ({ id }) => (await s()).deleteDraft(id),
        startReply: async (i) => (await s()).startReply(i.folder, i.uid, i.mode),
        send: async (i) => (await s()).send(i),
        checkRecipients: async (i) => (await s()).checkRecipients(i),
        listOutbox: async () => (await s()).listOutbox(),
        cancelOutboxItem: async ({ id }) => (await s()).cancelOutboxItem(id),
        retryOutboxItem: async ({ id }) => (await s()).retryOutboxItem(id),
      },
    };
  }

  async dispose(): Promise<void> {
    await this.stop();
  }
}
