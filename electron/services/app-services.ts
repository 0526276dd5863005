import { join } from 'node:path';
import type { Contract, EmitterOf, RatsdeskHandlers } from '../contract';
import { gateEventsWhileLocked } from '../contract/events-while-locked';
import type { ConnectInput } from '../contract/account';
import type { PickedFile } from '../contract/app';
import { policyKeys } from '../contract/policy';
import { AccountService } from './account/account-service';
import { calendarHandlers } from './calendar/calendar-handlers';
import { CalendarService } from './calendar/calendar-service';
import { MeetingReminders } from './calendar/meeting-reminders';
import { diagnosticsHandlers } from './diagnostics/diagnostics-handlers';
import type { MailDiscoveryOptions } from './discovery/mail-discovery';
import { exportableDocument } from './documents/document-export';
import { importBytes, importFile } from './documents/document-import';
import { documentsHandlers } from './documents/documents-handlers';
import { ensurePrivateDir } from './files/private-files';
import { KeychainService } from './keychain/keychain-service';
import { DisposableStore, toDisposable } from './lifetime/disposable-store';
import { describeError, logFileIn, LogService, readLogTail, type Log } from './log/log-service';
import { AppLock } from './lock/app-lock';
import { lockStateFile } from './lock/lock-state-file';
import { LockVerifier } from './lock/lock-verifier';
import { checkImapLogin, type TlsTrust } from './mail/imap-connection';
import { mailHandlers } from './mail/mail-handlers';
import { MailSessionHost } from './mail/mail-session-host';
import { senderAddress } from './mail/compose-service';
import { noRecipientRules } from './mail/recipient-policy';
import { smimeHandlers } from './mail/smime/smime-handlers';
import { SmimeRepository } from './mail/smime/smime-repository';
import { SmimeService } from './mail/smime/smime-service';
import type { Resolve } from './mail/remote-image-fetch';
import { CurrentPolicy } from './policy/current-policy';
import { NotesKeyStore } from './notes/notes-key';
import { notesHandlers } from './notes/notes-handlers';
import { NotesService } from './notes/notes-service';
import { policyHandlers } from './policy/policy-handlers';
import type { EffectivePolicy } from './policy/policy-resolver';
import { PolicyService, type PolicyServiceOptions } from './policy/policy-service';
import { risHandlers } from './ris/ris-handlers';
import { SearchAllService } from './search/search-all-service';
import { searchHandlers } from './search/search-handlers';
import { RisService, type RisConfig } from './ris/ris-service';
import { VaultSession, type VaultScope } from './vault-session';
import { RatsdeskError } from '../contract/errors';

export interface ServicesOptions {
  /** Per-user data folder (Electron's userData, or a temp folder in tests). */
  dataDir: string;
  /** Keychain service name; tests use their own so they never touch a real one. */
  keychainService?: string;
  trust?: TlsTrust;
  /** The council information system (OParl), from the machine policy (main.ts) or a test. Extra CA: `extraCaPem`, else `trust`. */
  ris?: RisConfig;
  /** The offline pack's waits (tests shorten them): after an unreachable server, and between regular looks. */
  offlinePackTiming?: { retryMs?: number; maxRetryMs?: number; checkEveryMs?: number };
  /** Delivers contract events to the renderer (Electron: webContents.send; e2e harness: the page bridge). */
  emit?: EmitterOf<Contract>;
  /** Whether documents may be saved outside the vault ("Save as…"); default true. Policy may change it. */
  exportAllowed?: boolean;
  /** Managed policy: tests inject a machine policy file; the user settings file defaults to dataDir/user-settings.json. */
  policy?: Partial<PolicyServiceOptions>;
  /** Mail server discovery for first-run (tests: connectTo loopback, an extra CA, a fake SRV resolver). */
  discovery?: Pick<MailDiscoveryOptions, 'connectTo' | 'extraCaPem' | 'resolveSrv' | 'timeoutMs'>;
  /** App lock; `idleMs` overrides the policy's idleLockMinutes (tests). */
  lock?: { idleMs?: number };
  /** The SQLite binding to open the vault with, when not node_modules' own (unpackaged Electron runs). */
  sqliteNativeBinding?: string;
  /** Where failures nobody awaits are logged; default the app's log in the data folder (logs/ratsdesk.log). */
  log?: Log;
  /**
   * The built document worker module (dist-electron/document-worker.mjs; tests build it): reads the text of
   * cached documents for the index. Without it no text is indexed.
   */
  documentWorkerFile?: string;
  /** DNS for remote images in mail (tests answer for their own host names); the system's by default. */
  remoteImageResolve?: Resolve;
}

/** Host-specific calls: things only the host (Electron main, or the test harness) can do. */
export type HostHandlers = Pick<RatsdeskHandlers, 'app'>;

/**
 * Builds every service and the contract handlers over them. Electron's main process and the
 * end-to-end harness both call this, so the renderer talks to the same code in both. Wiring only: each
 * domain's handlers live in its folder (…Handlers), each decision in a service.
 */
export function createServices(serviceOptions: ServicesOptions) {
  // Every event passes the app lock on its way out: while locked, new mail is a count and nothing else.
  const options: ServicesOptions = {
    ...serviceOptions,
    emit: gateEventsWhileLocked(serviceOptions.emit, () => appLock.isLocked),
  };
  // The data folder and everything in it are the person's alone (0700 / 0600 on POSIX).
  ensurePrivateDir(options.dataDir);
  const log: Log = options.log ?? new LogService({ file: logFileIn(options.dataDir) });
  // Everything built here, disposed in reverse: the vault session (and all built on the open vault) first.
  const owned = new DisposableStore((err) => log.warn('services.dispose-failed', describeError(err)));
  log.info('services.started');
  owned.add(toDisposable(() => log.info('services.stopped')));
  const keychain = new KeychainService(options.keychainService);
  // One trust object for the mail connections: the policy's extra CAs are added once the policy loaded.
  const trust: TlsTrust = { extraCaPem: [...(options.trust?.extraCaPem ?? [])] };
  const account = new AccountService(options.dataDir, keychain, (settings, password) =>
    checkImapLogin(settings, password, trust),
  );
  const storedAccount = async () => (await account.status()).account;

  // Managed policy: machine policy, then the user's settings, then defaults; applied where it is cheap.
  let exportAllowed = options.exportAllowed ?? true;
  const policyService = new PolicyService({
    userSettingsFile: join(options.dataDir, 'user-settings.json'),
    ...options.policy,
  });
  const policy = new CurrentPolicy(policyService, (p: EffectivePolicy) => {
    trust.extraCaPem = [...new Set([...(options.trust?.extraCaPem ?? []), ...p.values.extraCaCertificates])];
    exportAllowed = p.isLocked('documentExportAllowed')
      ? p.values.documentExportAllowed
      : (options.exportAllowed ?? p.values.documentExportAllowed);
  });
  owned.add(policyService);
  // Read once at start so trust and the export rule apply early; a policy that cannot be read is reported
  // to whoever asks for it (policy.get shows the problem) and retried then.
  void policy.get().catch((err: unknown) => log.warn('policy.unreadable', describeError(err)));
  /** The export rule after the policy was read (a policy that cannot be read leaves the option's value). */
  const isExportAllowed = async () => {
    await policy.get().catch(() => undefined); // logged at start; the rule keeps its last value
    return exportAllowed;
  };

  const vaultSession = new VaultSession({
    file: join(options.dataDir, 'vault.db'),
    keychain,
    nativeBinding: options.sqliteNativeBinding,
    log,
    documentWorkerFile: options.documentWorkerFile,
    // Quota and retention come from the policy (machine, user, default); a policy that cannot be read
    // leaves the cache's own defaults (2 GiB, 30 days) in force.
    documentLimits: () =>
      policy.get().then(
        (p) => ({ quotaBytes: p.values.vaultQuotaMb * 1024 * 1024, retentionDays: p.values.vaultRetentionDays }),
        () => undefined,
      ),
  });
  const vault = () => vaultSession.vault();
  const documents = () => vaultSession.documents();
  const vaultScope = () => vaultSession.open();
  const documentReaders = () => vaultSession.documentReaders();

  const ris = new RisService(
    options.ris && { ...options.ris, extraCaPem: options.ris.extraCaPem ?? options.trust?.extraCaPem ?? [] },
    vaultScope,
    {
      syncProgress: (p) => options.emit?.('ris', 'syncProgress', p),
      offlineProgress: (p) => options.emit?.('ris', 'offlineProgress', p),
      offlinePackChanged: (p) => options.emit?.('ris', 'offlinePackChanged', p),
    },
    log,
    {
      // The window is the person's setting or the policy's; a policy that cannot be read gives the safe one.
      days: () =>
        policy.get().then(
          (p) => p.values.offlinePackDays,
          () => policyKeys.offlinePackDays.safe,
        ),
      // Nothing is fetched while the app is locked (the lock pauses the download, unlocking wakes it).
      locked: () => appLock.isLockedNow(),
      ...options.offlinePackTiming,
    },
  );
  owned.add(ris);
  // The council parts (and with them the offline pack) are built as the vault opens, and go with it.
  vaultSession.onOpen((scope) => ris.openWith(scope));

  // S/MIME keys and certificates live in the vault; anchors, directory and signing rule come from the policy.
  const smime = new SmimeService({
    repository: async () => new SmimeRepository(await vault()),
    policy: async () => {
      const p = await policy.get();
      return {
        trustAnchorsPem: p.values.smimeTrustAnchors,
        directoryUrl: p.values.smimeDirectoryUrl,
        directoryCaPem: [...(options.trust?.extraCaPem ?? []), ...p.values.extraCaCertificates],
        signing: p.values.smimeSigning,
        searchDecrypted: p.values.smimeSearchDecrypted,
      };
    },
  });

  // The offline-first mail of the signed-in account: started after connect/restore, stopped on sign-out.
  const mailSessions = new MailSessionHost({
    smime,
    vaultScope,
    log,
    keychain,
    account,
    trust,
    emit: options.emit,
    offlineMailDays: () =>
      policy.get().then(
        (p) => p.values.offlineMailDays,
        () => null,
      ),
    // The house rules for recipients come from the policy on every send. A policy that cannot be read
    // blocks nothing here: its safe values already apply inside PolicyService for bad keys.
    recipientRules: () =>
      policy.get().then(
        (p) => ({
          allowedDomains: p.values.recipientDomainsAllowed,
          outsideAction: p.values.recipientOutsideAction,
          forwardingOutsideAllowed: p.values.forwardingOutsideAllowed,
        }),
        () => noRecipientRules,
      ),
    // Council documents are mailed only while export is allowed (the same rule as "Save as…").
    exportAllowed: isExportAllowed,
    // Internal image hosts only from the machine policy; a policy that cannot be read names none.
    remoteImagePolicy: () =>
      policy.get().then(
        (p) => ({ internalHosts: p.values.internalImageHosts }),
        () => ({ internalHosts: [] }),
      ),
    resolve: options.remoteImageResolve,
  });
  owned.add(mailSessions);
  // Added last, closed first: the open vault and everything built on it (mail session, RIS parts, documents).
  owned.add(vaultSession);

  // The person's notes live as long as the open vault (sign-out, "remove all local data" and quit end them
  // with it); they travel to the person's other devices over the account's own connection, in turn with the
  // mail sync, and only while the app is unlocked.
  const notesOfScope = new WeakMap<VaultScope, NotesService>();
  vaultSession.onOpen((scope) => {
    const made = new NotesService({
      vault: scope.vault,
      keys: new NotesKeyStore(keychain),
      withClient: async (work) => (await mailSessions.current()).sync.withClient(work),
      isLocked: () => appLock.isLocked,
      onChanged: (reason) => options.emit?.('notes', 'changed', { reason }),
      log,
      council: { paper: (id) => ris.paper(id), meeting: (id) => ris.meeting(id) },
      exportAllowed: isExportAllowed,
      documents: () => scope.documents(),
    });
    notesOfScope.set(scope, scope.owned.add(made));
    made.start();
  });
  const notes = async () => {
    const scope = await vaultScope();
    const made = notesOfScope.get(scope);
    if (!made) throw new RatsdeskError('APP_LOCKED', 'the vault is closing');
    return made;
  };

  // "Überall suchen": every kind from the vault; mail only with an account, council data only with a RIS.
  const searchAll = new SearchAllService({
    vault,
    mail: async (query, limit) => (await mailSessions.current()).sync.searchMessages({ query, limit }),
    council: async (query, limit) => (await ris.queries()).search(query, limit),
    documents: async (query, limit) => (await documentReaders())?.search.search(query, limit) ?? [],
    notes: async (query, limit) => (await notes()).search(query, limit),
  });

  // The calendar: invitations in the signed-in account's mail, the local calendar in the vault, council meetings.
  const calendar = new CalendarService({
    vault,
    mail: () => mailSessions.current(),
    council: async () => ris,
  });
  // Reminders before meetings of the person's bodies (meetingReminderMinutes; off by default) go out as an
  // event; the host shows them as a desktop notification, as it does for new mail. They read the vault, so
  // they live as long as the open vault: sign-out, "remove all local data" and quit stop them with it.
  vaultSession.onOpen((scope) => {
    const reminders = new MeetingReminders({
      leadMinutes: () =>
        policy.get().then(
          (p) => p.values.meetingReminderMinutes,
          () => null,
        ),
      meetings: (from, to) => ris.meetingsBetween(from, to, 'mine'),
      remind: (reminder) => options.emit?.('calendar', 'meetingReminder', reminder),
      onError: (err) => log.warn('calendar.reminder-check-failed', describeError(err)),
    });
    reminders.start();
    scope.owned.add(reminders);
  });

  /** With a mail server preset by policy, the renderer cannot connect elsewhere. */
  const withPreset = async (input: ConnectInput): Promise<ConnectInput> => {
    const p = await policy.get();
    const v = p.values;
    const next = { ...input };
    if (p.isLocked('imapHost') && v.imapHost)
      Object.assign(next, { host: v.imapHost, port: v.imapPort, security: v.imapTls });
    if (p.isLocked('smtpHost') && v.smtpHost) next.smtp = { host: v.smtpHost, port: v.smtpPort, security: v.smtpTls };
    return next;
  };

  const appLock = new AppLock({
    account: storedAccount,
    verifier: new LockVerifier(vault),
    store: lockStateFile(join(options.dataDir, 'lock-state.json')),
    trust: () => trust,
    idleMs: async () => options.lock?.idleMs ?? (await policy.get()).values.idleLockMinutes * 60_000,
    onLocked: (reason) => options.emit?.('lock', 'locked', { reason }),
  });
  appLock.onLock(() => ris.pauseOfflinePack());

  const policyCalls = policyHandlers(policy);
  const handlers: Omit<RatsdeskHandlers, 'app'> = {
    account: mailSessions.wrapAccount({
      status: () => account.status(),
      connect: async (input) => {
        const opened = await account.connect(await withPreset(input));
        // The offline unlock verifier (scrypt, in the vault); a vault problem must not fail the sign-in.
        await appLock
          .remember(input.password)
          .catch((err: unknown) => log.warn('lock.verifier-not-stored', describeError(err)));
        await appLock.signedIn();
        return opened;
      },
      restore: () => account.restore(),
      forget: async () => {
        // Sign-out closes everything built on the vault (mail session, council data, documents) at once.
        await vaultSession.close();
        return account.forget();
      },
    }),
    ...mailHandlers(mailSessions),
    documents: documentsHandlers({
      documents,
      documentReaders,
      exportAllowed: isExportAllowed,
      removeAllLocalData: async () => {
        // Vault file, WAL/SHM and key first, then the account (settings file and password): first-run state.
        // Closing the vault session ends the mail session, the council data and the document cache with it.
        await vaultSession.removeAll();
        await account.forget();
      },
    }),
    ris: risHandlers(ris),
    search: searchHandlers(searchAll),
    calendar: calendarHandlers(calendar),
    notes: notesHandlers(notes),
    smime: smimeHandlers(
      smime,
      async () => {
        const settings = await storedAccount();
        return settings ? senderAddress(settings) : null;
      },
      async () => (await policy.get()).values.smimeSigning,
    ),
    policy: {
      ...policyCalls,
      // A changed window (offlinePackDays) applies at once.
      setUserValue: async (input) => {
        const info = await policyCalls.setUserValue(input);
        ris.wakeOfflinePack();
        return info;
      },
    },
    diagnostics: diagnosticsHandlers({
      policy: () => policy.get(),
      account: storedAccount,
      keychain,
      trust: () => trust,
      discovery: options.discovery,
      logTail: () => readLogTail(logFileIn(options.dataDir)),
    }),
    lock: {
      state: () => appLock.state(),
      lock: ({ reason }) => appLock.lock(reason),
      unlock: async ({ password }) => {
        const state = await appLock.unlock(password);
        if (!state.locked) ris.wakeOfflinePack();
        return state;
      },
    },
  };

  return {
    effectivePolicy: () => policy.get(),
    /** The app lock; the host calls lockFromHost('os' | 'idle') on an OS lock or system idle. */
    appLock,
    keychain,
    account,
    vault,
    vaultFile: vaultSession.file,
    documents,
    documentReaders,
    ris,
    mailSessions,
    /** The notes of the open vault (tests wait for their rounds). */
    notes,
    /** For the host's "Attach file…" dialog: the picked files, copied into the encrypted document cache. */
    async importAttachmentFiles(paths: readonly string[]): Promise<PickedFile[]> {
      const cache = await documents();
      const picked: PickedFile[] = [];
      for (const path of paths.slice(0, 100)) {
        const meta = await importFile(cache, path);
        picked.push({ documentId: meta.id, name: meta.name, size: meta.size });
      }
      return picked;
    },
    /** Files dropped on the compose window, copied into the encrypted document cache like picked ones. */
    async importAttachmentBytes(files: readonly { name: string; bytes: Uint8Array }[]): Promise<PickedFile[]> {
      const cache = await documents();
      const picked: PickedFile[] = [];
      for (const file of files.slice(0, 100)) {
        const meta = await importBytes(cache, file.name, file.bytes);
        picked.push({ documentId: meta.id, name: meta.name, size: meta.size });
      }
      return picked;
    },
    /** The services' handlers; the contract dispatcher puts the app lock (appLock.isLockedNow) in front. */
    handlers,
    /** For the host's "Save as…": bytes and a default file name, or EXPORT_FORBIDDEN. */
    async documentForExport(id: string) {
      return exportableDocument(await documents(), id, await isExportAllowed());
    },
    /**
     * For the host's "Exportieren (.ics)": one meeting or all of the person's bodies as a file name and the text;
     * `commit` records the exported SEQUENCEs once the file is written. Council meeting dates are public, so
     * documentExportAllowed does not apply (README, calendar section).
     */
    meetingCalendarForExport: (input: { meetingId?: string; language?: 'de' | 'en' }) =>
      calendar.meetingCalendar(input),
    /** Overrides the export rule (tests); the next policy change (policy.setUserValue) sets it again. */
    setExportAllowed(allowed: boolean) {
      exportAllowed = allowed;
    },
    /** Closes everything (quit): the vault session and all built on it first, then the rest, newest first. */
    dispose(): Promise<void> {
      return owned.dispose();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
