import { join } from 'node:path';
import {
  AccountSettingsSchema,
  type AccountSettings,
  type ConnectInput,
  type OpenedAccount,
} from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { KeychainService } from '../keychain/keychain-service';
import { JsonSettingsFile } from '../files/json-settings-file';

/**
 * The keychain entry of the account's password. Its name binds the password to every place it may be sent:
 * the IMAP login (user, host, port, TLS mode) and the SMTP server (host, port, TLS mode; absent: the IMAP
 * host on 587 with STARTTLS). account.json is a plain file another program could edit; with a changed
 * server in it the name no longer matches, no password is found, and the person must enter it again —
 * the stored password never goes to a server it was not entered for.
 */
export function keychainAccountName(settings: AccountSettings): string {
  const smtp = settings.smtp ? [settings.smtp.host, settings.smtp.port, settings.smtp.security] : ['imap-host', 587];
  return `account:${JSON.stringify([settings.username, settings.host, settings.port, settings.security, ...smtp])}`;
}

/** The name before the SMTP server was part of it (user and IMAP server only). */
function legacyKeychainAccountName(settings: AccountSettings): string {
  return `imap:${settings.username}@${settings.host}:${settings.port}`;
}

/** Keychain entries that hold an account password (the vault key and others are not touched). */
function isAccountEntry(name: string): boolean {
  return name.startsWith('account:') || name.startsWith('imap:');
}

/** Checks that the server accepts the login (checkImapLogin); throws its stable code when it does not. */
export type LoginCheck = (settings: AccountSettings, password: string) => Promise<void>;

/**
 * The account: its settings in a plain JSON file (no secret), its password in the keychain.
 * Settings and password are stored only after the server accepted them.
 */
export class AccountService {
  private readonly file: JsonSettingsFile<typeof AccountSettingsSchema>;

  constructor(
    dataDir: string,
    private readonly keychain: KeychainService,
    private readonly checkLogin: LoginCheck,
  ) {
    this.file = new JsonSettingsFile(join(dataDir, 'account.json'), AccountSettingsSchema);
  }

  async status(): Promise<{ configured: boolean; account?: AccountSettings }> {
    const account = await this.file.read();
    if (!account) return { configured: false };
    const password = await this.password(account);
    return password ? { configured: true, account } : { configured: false, account };
  }

  /**
   * The stored password for exactly these settings, or null. An entry from before the SMTP server was bound
   * moves to the new name only when the SMTP server is the IMAP host (or not set): the one host the old
   * entry was bound to. Any other SMTP host needs the password again.
   */
  private async password(account: AccountSettings): Promise<string | null> {
    const name = keychainAccountName(account);
    const password = await this.keychain.get(name);
    if (password) return password;
    const legacyName = legacyKeychainAccountName(account);
    const legacy = await this.keychain.get(legacyName);
    if (!legacy || (account.smtp && account.smtp.host.toLowerCase() !== account.host.toLowerCase())) return null;
    await this.keychain.set(name, legacy);
    await this.keychain.delete(legacyName);
    return legacy;
  }

  async connect(input: ConnectInput): Promise<OpenedAccount> {
    const { password, ...settings } = input;
    await this.checkLogin(settings, password);
    const name = keychainAccountName(settings);
    await this.keychain.set(name, password);
    await this.file.write(settings);
    // One account: every other account entry (older settings, or settings someone changed) goes.
    for (const other of await this.keychain.accounts()) {
      if (isAccountEntry(other) && other !== name) await this.keychain.delete(other);
    }
    return { account: settings, online: true };
  }

  /** The stored account after a login check; NO_ACCOUNT without settings or password. */
  async restore(): Promise<OpenedAccount> {
    const account = await this.file.read();
    if (!account) throw new RatsdeskError('NO_ACCOUNT');
    const password = await this.password(account);
    if (!password) throw new RatsdeskError('NO_ACCOUNT', 'no password in keychain for these servers');
    await this.checkLogin(account, password);
    return { account, online: true };
  }

  async forget(): Promise<boolean> {
    for (const name of await this.keychain.accounts()) {
      if (isAccountEntry(name)) await this.keychain.delete(name);
    }
    await this.file.remove();
    return true;
  }
}
