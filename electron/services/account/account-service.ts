import { join } from 'node:path';
import { AccountSettingsSchema, type AccountSettings, type ConnectInput } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { Inbox } from '../../contract/mail';
import type { KeychainService } from '../keychain/keychain-service';
import type { MailService } from '../mail/mail-service';
import { JsonSettingsFile } from '../settings-store';

export function keychainAccountName(settings: AccountSettings): string {
  return `imap:${settings.username}@${settings.host}:${settings.port}`;
}

/**
 * The account: its settings in a plain JSON file (no secret), its password in the keychain.
 * Settings and password are stored only after the server accepted them.
 */
export class AccountService {
  private readonly file: JsonSettingsFile<typeof AccountSettingsSchema>;

  constructor(
    dataDir: string,
    private readonly keychain: KeychainService,
    private readonly mail: MailService,
  ) {
    this.file = new JsonSettingsFile(join(dataDir, 'account.json'), AccountSettingsSchema);
  }

  async status(): Promise<{ configured: boolean; account?: AccountSettings }> {
    const account = await this.file.read();
    if (!account) return { configured: false };
    const password = await this.keychain.get(keychainAccountName(account));
    return password ? { configured: true, account } : { configured: false, account };
  }

  async connect(input: ConnectInput): Promise<Inbox> {
    const { password, ...settings } = input;
    await this.mail.connect(settings, password);
    const previous = await this.file.read();
    await this.keychain.set(keychainAccountName(settings), password);
    await this.file.write(settings);
    if (previous && keychainAccountName(previous) !== keychainAccountName(settings)) {
      await this.keychain.delete(keychainAccountName(previous));
    }
    return this.mail.inbox();
  }

  async restore(): Promise<Inbox> {
    const account = await this.file.read();
    if (!account) throw new RatsdeskError('NO_ACCOUNT');
    const password = await this.keychain.get(keychainAccountName(account));
    if (!password) throw new RatsdeskError('NO_ACCOUNT', 'no password in keychain');
    await this.mail.connect(account, password);
    return this.mail.inbox();
  }

  async forget(): Promise<boolean> {
    const account = await this.file.read();
    await this.mail.disconnect();
    if (account) await this.keychain.delete(keychainAccountName(account));
    await this.file.remove();
    return true;
  }
}
