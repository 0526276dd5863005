import type { PickedFile } from '../contract/app';
import { join } from 'node:path';
import type { Contract, EmitterOf, RatsdeskHandlers } from '../contract';
import { gateEventsWhileLocked } from '../contract/events-while-locked';
import type { ConnectInput } from '../contract/account';
import { AccountService } from './account/account-service';
import { DocumentCache } from './documents/document-cache';
import { exportableDocument } from './documents/document-export';
import { importBytes, importFile } from './documents/document-import';
import { documentMigrations } from './documents/document-migrations';
import { KeychainService } from './keychain/keychain-service';
import { keychainAccountName } from './account/account-service';
import { doctorInputForAccount, doctorInputFromPolicy, runDoctor } from './diagnostics/doctor';
import { renderDoctorText } from './diagnostics/doctor-text-report';
import { discoverMailServers, type MailDiscoveryOptions } from './discovery/mail-discovery';
import { AppLock } from './lock/app-lock';
import { lockStateFile } from './lock/lock-state-file';
import { LockVerifier, lockMigrations } from './lock/lock-verifier';
import type { EffectivePolicy } from './policy/policy-resolver';
import { PolicyService, type PolicyServiceOptions } from './policy/policy-service';
import type { TlsTrust } from './mail/imap-connection';
import { MailService } from './mail/mail-service';
import { mailReaderMigrations } from './mail/mail-account-session';
import { draftsMigrations } from './mail/drafts';
import { mailMigrations } from './mail/mail-migrations';
import { noRecipientRules } from './mail/recipient-policy';
import { MailSessionHost } from './mail/mail-session-host';
import { outboxMigrations } from './mail/outbox';
import { risMigrations } from './ris/ris-migrations';
import { RisService, type RisConfig } from './ris-service';
import type { Migration } from './vault/migration';
import { openVault, removeAllLocalData, type Vault } from './vault/vault';

/** Every domain's vault schema, applied in this order when the vault opens. */
export const vaultMigrations: readonly Migration[] = [
  ...documentMigrations,
  ...risMigrations,
  ...mailMigrations,
  ...outboxMigrations,
  ...draftsMigrations,
  ...mailReaderMigrations,
  ...lockMigrations,
];

export interface ServicesOptions {
  /** Per-user data folder (Electron's userData, or a temp folder in tests). */
  dataDir: string;
  /** Keychain service name; tests use their own so they never touch a real one. */
  keychainService?: string;
  trust?: TlsTrust;
  /** The council information system (OParl); until policy provides it. Extra CA: `extraCaPem`, else `trust`. */
  ris?: RisConfig;
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
}

/** Host-specific calls: things only the host (Electron main, or the test harness) can do. */
export type HostHandlers = Pick<RatsdeskHandlers, 'app'>;

/**
 * Builds every service and the contract handlers over them. Electron's main process and the
 * end-to-end harness both call this, so the renderer talks to the same code in both.
 */
export function createServices(serviceOptions: ServicesOptions) {
  // Every event passes the app lock on its way out: while locked, new mail is a count and nothing else.
  const options: ServicesOptions = {
    ...serviceOptions,
    emit: gateEventsWhileLocked(serviceOptions.emit, () => appLock.isLocked),
  };
  const keychain = new KeychainService(options.keychainService);
  // One trust object for the mail connections: the policy's extra CAs are added once the policy loaded.
  const trust: TlsTrust = { extraCaPem: [...(options.trust?.extraCaPem ?? [])] };
  const mail = new MailService(trust);
  const account = new AccountService(options.dataDir, keychain, mail);
  const vaultFile = join(options.dataDir, 'vault.db');

  // The vault opens on first use (its key comes from the keychain, which may be locked at start);
  // a failed open is not cached, so the next call tries again after the person unlocked it.
  let vaultOpening: Promise<Vault> | undefined;
  const vault = (): Promise<Vault> =>
    (vaultOpening ??= openVault({
      file: vaultFile,
      keychain,
      migrations: vaultMigrations,
      ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
    }).catch((err: unknown) => {
      vaultOpening = undefined;
      throw err;
    }));
  let documentCache: DocumentCache | undefined;
  const documents = async (): Promise<DocumentCache> => {
    if (!documentCache) {
      const cache = new DocumentCache(await vault());
      // Quota and retention come from the policy (machine, user, default); a policy that cannot be read
      // leaves the cache's own defaults (2 GiB, 30 days) in force.
      const limits = await effectivePolicy().then(
        (p) => ({ quotaBytes: p.values.vaultQuotaMb * 1024 * 1024, retentionDays: p.values.vaultRetentionDays }),
        () => undefined,
      );
      if (limits) cache.setLimits(limits);
      cache.applyRetention();
      documentCache ??= cache;
    }
    return documentCache;
  };
  let exportAllowed = options.exportAllowed ?? true;

  /** Closes the vault (if open) and forgets the cache over it; the next use opens it afresh. */
  const closeVault = async (): Promise<void> => {
    const opening = vaultOpening;
    vaultOpening = undefined;
    documentCache = undefined;
    const opened = await opening?.catch(() => undefined);
    opened?.close();
  };
  const ris = new RisService(
    options.ris && { ...options.ris, extraCaPem: options.ris.extraCaPem ?? options.trust?.extraCaPem ?? [] },
    vault,
    documents,
    {
      syncProgress: (p) => options.emit?.('ris', 'syncProgress', p),
      offlineProgress: (p) => options.emit?.('ris', 'offlineProgress', p),
    },
  );

  // The offline-first mail of the signed-in account: started after connect/restore, stopped on sign-out.
  const mailSessions = new MailSessionHost({
    vault,
    documents,
    keychain,
    account,
    mail,
    trust,
    emit: options.emit,
    // The house rules for recipients come from the policy on every send. A policy that cannot be read
    // blocks nothing here: its safe values already apply inside PolicyService for bad keys.
    offlineMailDays: () =>
      effectivePolicy().then(
        (p) => p.values.offlineMailDays,
        () => null,
      ),
    recipientRules: () =>
      effectivePolicy().then(
        (p) => ({
          allowedDomains: p.values.recipientDomainsAllowed,
          outsideAction: p.values.recipientOutsideAction,
          forwardingOutsideAllowed: p.values.forwardingOutsideAllowed,
        }),
        () => noRecipientRules,
      ),
  });

  // Managed policy: machine policy, then the user's settings, then defaults; applied where it is cheap.
  const policy = new PolicyService({
    userSettingsFile: join(options.dataDir, 'user-settings.json'),
    ...options.policy,
  });
  const applyPolicy = (p: EffectivePolicy): EffectivePolicy => {
    trust.extraCaPem = [...new Set([...(options.trust?.extraCaPem ?? []), ...p.values.extraCaCertificates])];
    exportAllowed = p.isLocked('documentExportAllowed')
      ? p.values.documentExportAllowed
      : (options.exportAllowed ?? p.values.documentExportAllowed);
    return p;
  };
  let policyLoading: Promise<EffectivePolicy> | undefined;
  const effectivePolicy = (): Promise<EffectivePolicy> =>
    (policyLoading ??= policy.load().then(applyPolicy, (err: unknown) => {
      policyLoading = undefined;
      throw err;
    }));
  void effectivePolicy().catch(() => undefined);
  /** With a mail server preset by policy, the renderer cannot connect elsewhere. */
  const withPreset = async (input: ConnectInput): Promise<ConnectInput> => {
    const p = await effectivePolicy();
    const v = p.values;
    const next = { ...input };
    if (p.isLocked('imapHost') && v.imapHost)
      Object.assign(next, { host: v.imapHost, port: v.imapPort, security: v.imapTls });
    if (p.isLocked('smtpHost') && v.smtpHost) next.smtp = { host: v.smtpHost, port: v.smtpPort, security: v.smtpTls };
    return next;
  };
  const storedAccount = async () => (await account.status()).account;

  const appLock = new AppLock({
    account: storedAccount,
    verifier: new LockVerifier(vault),
    store: lockStateFile(join(options.dataDir, 'lock-state.json')),
    trust: () => trust,
    idleMs: async () => options.lock?.idleMs ?? (await effectivePolicy()).values.idleLockMinutes * 60_000,
    onLocked: (reason) => options.emit?.('lock', 'locked', { reason }),
  });

  const handlers: Omit<RatsdeskHandlers, 'app'> = {
    account: mailSessions.wrapAccount({
      status: () => account.status(),
      connect: async (input) => {
        const inbox = await account.connect(await withPreset(input));
        // The offline unlock verifier (scrypt, in the vault); a vault problem must not fail the sign-in.
        await appLock.remember(input.password).catch(() => undefined);
        await appLock.signedIn();
        return inbox;
      },
      restore: () => account.restore(),
      forget: () => account.forget(),
    }),
    ...mailSessions.handlers(),
    mail: {
      listFolders: () => mail.listFolders(),
      latest: (input) => mail.latest(input.folder, input.limit),
    },
    documents: {
      list: async () => (await documents()).list(),
      open: async ({ id }) => (await documents()).open(id),
      pin: async ({ id, until }) => (await documents()).pin(id, until ? new Date(until) : undefined),
      unpin: async ({ id }) => (await documents()).unpin(id),
      remove: async ({ id }) => (await documents()).remove(id),
      usage: async () => (await documents()).usage(),
      exportAllowed: async () => {
        await effectivePolicy().catch(() => undefined);
        return exportAllowed;
      },
      removeAllLocalData: async () => {
        // Vault file, WAL/SHM and key first, then the account (settings file and password): first-run state.
        await mailSessions.stop(); // the mail session holds the vault
        await closeVault();
        await removeAllLocalData({ file: vaultFile, keychain });
        await account.forget();
      },
    },
    ris: ris.handlers(),
    policy: {
      get: async () => (await effectivePolicy()).toInfo(),
      setUserValue: async ({ key, value }) => {
        const next = applyPolicy(await policy.setUserValue(key, value));
        policyLoading = Promise.resolve(next);
        return next.toInfo();
      },
    },
    diagnostics: {
      run: async () => {
        const p = await effectivePolicy();
        const settings = await storedAccount();
        const password = settings
          ? ((await keychain.get(keychainAccountName(settings)).catch(() => null)) ?? undefined)
          : undefined;
        // The stored password goes only to the account's own IMAP server (doctorInputForAccount).
        const input = settings ? doctorInputForAccount(p, settings, password) : doctorInputFromPolicy(p);
        input.extraCaPem = trust.extraCaPem;
        input.keychainService = keychain.serviceName;
        const report = await runDoctor(input);
        return { report, text: renderDoctorText(report) };
      },
      discover: async ({ email }) => {
        const p = await effectivePolicy().catch(() => undefined);
        // Only the machine policy's (locked) servers are presets; a user setting is no administration's word.
        const presetHosts = (['imapHost', 'smtpHost'] as const)
          .filter((key) => p?.isLocked(key))
          .map((key) => p?.get(key))
          .filter((host): host is string => typeof host === 'string' && host !== '');
        return discoverMailServers(email, {
          ...options.discovery,
          presetHosts,
          extraCaPem: [...(trust.extraCaPem ?? []), ...(options.discovery?.extraCaPem ?? [])],
        });
      },
    },
    lock: {
      state: () => appLock.state(),
      lock: ({ reason }) => appLock.lock(reason),
      unlock: ({ password }) => appLock.unlock(password),
    },
  };

  return {
    policy,
    effectivePolicy,
    /** The app lock; the host calls lockFromHost('os' | 'idle') on an OS lock or system idle. */
    appLock,
    keychain,
    mail,
    account,
    vault,
    vaultFile,
    documents,
    ris,
    mailSessions,
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
      await effectivePolicy().catch(() => undefined);
      return exportableDocument(await documents(), id, exportAllowed);
    },
    /** The policy engineer wires the managed policy (documentExportAllowed) here. */
    setExportAllowed(allowed: boolean) {
      exportAllowed = allowed;
    },
    async dispose() {
      policy.dispose();
      await mailSessions.dispose();
      await mail.dispose();
      await ris.dispose();
      if (vaultOpening) {
        const opened = await vaultOpening.catch(() => undefined);
        opened?.close();
        vaultOpening = undefined;
        documentCache = undefined;
      }
    },
  };
}
export type Services = ReturnType<typeof createServices>;
