import type { VaultDoor } from '../vault/vault-db';

/** Senders whose remote content the person always allows (mail_remote_senders), by lower-case address. */
export class RemoteSendersRepository {
  constructor(private readonly vault: VaultDoor) {}

  isAllowed(address: string): boolean {
    if (!address) return false;
    return this.vault.guard(
      (db) =>
        db.pluck<[string], number>('SELECT 1 FROM mail_remote_senders WHERE address = ?').get(address.toLowerCase()) !==
        undefined,
    );
  }

  set(address: string, allow: boolean): void {
    const a = address.trim().toLowerCase();
    this.vault.transaction((db) => {
      if (allow)
        db.prepare('INSERT OR IGNORE INTO mail_remote_senders (address, created_at) VALUES (?, ?)').run(a, Date.now());
      else db.prepare('DELETE FROM mail_remote_senders WHERE address = ?').run(a);
    });
  }
}
