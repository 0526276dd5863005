/**
 * Child process for the first-login test (bundled with bundleForNode): the app's MailSyncService on a vault
 * file, so the test can SIGKILL it in the middle of the download.
 *   argv: <vaultFile> <keychainService> <job JSON: { settings, trust, password, backfill }>
 * Prints "offline <n>" (bodies stored, all folders) after every download step.
 */
import { writeSync } from 'node:fs';
import type { AccountSettings } from '../../../electron/contract/account';
import { KeychainService } from '../../../electron/services/keychain/keychain-service';
import type { TlsTrust } from '../../../electron/services/mail/imap-connection';
import type { MailBackfillOptions } from '../../../electron/services/mail/mail-backfill';
import { mailMigrations } from '../../../electron/services/mail/mail-migrations';
import { MailSyncService } from '../../../electron/services/mail/mail-sync-service';
import { openVault } from '../../../electron/services/vault/vault';

export interface MailSyncChildJob {
  settings: AccountSettings;
  trust: TlsTrust;
  password: string;
  backfill: MailBackfillOptions;
}

async function main(): Promise<void> {
  const [file, service, jobJson] = process.argv.slice(2);
  if (!file || !service || !jobJson) throw new Error('usage: mail-sync-child <vaultFile> <keychainService> <job>');
  const job = JSON.parse(jobJson) as MailSyncChildJob;
  const vault = await openVault({ file, keychain: new KeychainService(service), migrations: mailMigrations });
  const sync = new MailSyncService({
    vault,
    settings: job.settings,
    trust: job.trust,
    password: async () => job.password,
    idle: false,
    backfill: job.backfill,
  });
  sync.on('offlineProgress', () => {
    const offline = sync.offlineStatus().reduce((n, f) => n + f.offline, 0);
    writeSync(1, `offline ${offline}\n`);
  });
  sync.start();
}

main().catch((err: unknown) => {
  writeSync(2, `${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
