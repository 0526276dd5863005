import type { Migration } from '../../vault/migration';

/**
 * S/MIME keys and certificates in the vault (SQLCipher): the person's own identities with their
 * private keys (PKCS#8 PEM, never a file), and the certificates of correspondents, one row per
 * address and certificate.
 */
export const smimeMigrations: readonly Migration[] = [
  {
    id: 'smime-001-keys-and-certificates',
    up(db) {
      db.exec(`
        CREATE TABLE smime_identities (
          id INTEGER PRIMARY KEY,
          fingerprint TEXT NOT NULL UNIQUE,
          certificate_pem TEXT NOT NULL,
          private_key_pem TEXT NOT NULL,
          chain_json TEXT NOT NULL DEFAULT '[]',
          subject TEXT NOT NULL,
          issuer TEXT NOT NULL,
          email_json TEXT NOT NULL DEFAULT '[]',
          not_before INTEGER NOT NULL,
          not_after INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE smime_certificates (
          email TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          der BLOB NOT NULL,
          source TEXT NOT NULL,
          capabilities_json TEXT NOT NULL DEFAULT '[]',
          not_before INTEGER NOT NULL,
          not_after INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (email, fingerprint)
        );
      `);
    },
  },
];
