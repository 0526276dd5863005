import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Migration } from '../vault/migration';
import type { Vault } from '../vault/vault';

/** The vault table for the offline unlock verifier: scrypt(password, salt), never the password. */
export const lockMigrations: readonly Migration[] = [
  {
    id: 'lock-001-verifier',
    up(db) {
      db.exec(`CREATE TABLE lock_verifier (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        salt BLOB NOT NULL,
        hash BLOB NOT NULL,
        n INTEGER NOT NULL,
        r INTEGER NOT NULL,
        p INTEGER NOT NULL
      )`);
    },
  },
];

const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((ok, fail) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r }, (err, key) =>
      err ? fail(err) : ok(key),
    ),
  );
}

interface VerifierRow {
  salt: Buffer;
  hash: Buffer;
  n: number;
  r: number;
  p: number;
}

/** Stores and checks the offline unlock verifier in the vault. */
export class LockVerifier {
  constructor(private readonly vault: () => Promise<Vault>) {}

  async store(password: string): Promise<void> {
    const salt = randomBytes(16);
    const hash = await derive(password, salt, PARAMS);
    const v = await this.vault();
    v.transaction((db) =>
      db
        .prepare(
          `INSERT INTO lock_verifier (id, salt, hash, n, r, p) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, n = excluded.n, r = excluded.r, p = excluded.p`,
        )
        .run(salt, hash, PARAMS.N, PARAMS.r, PARAMS.p),
    );
  }

  /** True/false when a verifier exists, undefined when none was stored yet. */
  async check(password: string): Promise<boolean | undefined> {
    const v = await this.vault();
    const row = v.guard((db) =>
      db.prepare<[], VerifierRow>('SELECT salt, hash, n, r, p FROM lock_verifier WHERE id = 1').get(),
    );
    if (!row) return undefined;
    const hash = await derive(password, row.salt, { N: row.n, r: row.r, p: row.p });
    return hash.length === row.hash.length && timingSafeEqual(hash, row.hash);
  }
}
