import type { VaultDoor } from '../../vault/vault-db';
import { certificateFacts, parseCertificate } from './certificate-facts';
import type { CertificateCandidate } from './correspondent-certificates';
import type { ImportedIdentity } from './pkcs12-import';
import type { SmimeIdentity } from './smime-reading';

export interface StoredIdentity extends SmimeIdentity {
  id: number;
  fingerprint: string;
  chainPem: string[];
  subject: string;
  issuer: string;
  email: string[];
  notBefore: Date;
  notAfter: Date;
}

export interface StoredCertificate extends CertificateCandidate {
  email: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

interface IdentityRow {
  id: number;
  fingerprint: string;
  certificate_pem: string;
  private_key_pem: string;
  chain_json: string;
  subject: string;
  issuer: string;
  email_json: string;
  not_before: number;
  not_after: number;
}

interface CertificateRow {
  email: string;
  fingerprint: string;
  der: Buffer;
  source: CertificateCandidate['source'];
  capabilities_json: string;
  not_before: number;
  not_after: number;
}

function identityOf(r: IdentityRow): StoredIdentity {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    certificatePem: r.certificate_pem,
    privateKeyPem: r.private_key_pem,
    chainPem: JSON.parse(r.chain_json) as string[],
    subject: r.subject,
    issuer: r.issuer,
    email: JSON.parse(r.email_json) as string[],
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
  };
}

function certificateOf(r: CertificateRow): StoredCertificate {
  return {
    email: r.email,
    fingerprint: r.fingerprint,
    der: new Uint8Array(r.der),
    source: r.source,
    capabilities: JSON.parse(r.capabilities_json) as string[],
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
  };
}

/** The S/MIME tables of the vault: own identities (with private keys) and correspondents' certificates. */
export class SmimeRepository {
  constructor(private readonly vault: VaultDoor) {}

  addIdentity(identity: ImportedIdentity, now = Date.now()): number {
    const f = identity.facts;
    return this.vault.transaction((db) => {
      db.prepare(
        `INSERT INTO smime_identities (fingerprint, certificate_pem, private_key_pem, chain_json, subject, issuer,
           email_json, not_before, not_after, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fingerprint) DO UPDATE SET private_key_pem = excluded.private_key_pem,
           chain_json = excluded.chain_json`,
      ).run(
        f.fingerprint,
        identity.certificatePem,
        identity.privateKeyPem,
        JSON.stringify(identity.chainPem),
        f.subject,
        f.issuer,
        JSON.stringify(f.email),
        f.notBefore.getTime(),
        f.notAfter.getTime(),
        now,
      );
      return db.pluck<[string], number>('SELECT id FROM smime_identities WHERE fingerprint = ?').get(f.fingerprint)!;
    });
  }

  identities(): StoredIdentity[] {
    return this.vault.guard((db) =>
      db.prepare<[], IdentityRow>('SELECT * FROM smime_identities ORDER BY not_after DESC, id').all().map(identityOf),
    );
  }

  removeIdentity(id: number): boolean {
    return this.vault.transaction((db) => db.prepare('DELETE FROM smime_identities WHERE id = ?').run(id).changes > 0);
  }

  /** Stores candidates under each address their certificate names; an unreadable one is skipped. */
  addCertificates(candidates: CertificateCandidate[], now = Date.now()): number {
    let stored = 0;
    this.vault.transaction((db) => {
      const upsert = db.prepare(
        `INSERT INTO smime_certificates (email, fingerprint, der, source, capabilities_json, not_before, not_after, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (email, fingerprint) DO UPDATE SET capabilities_json = CASE
           WHEN excluded.capabilities_json = '[]' THEN capabilities_json ELSE excluded.capabilities_json END,
           updated_at = excluded.updated_at`,
      );
      for (const c of candidates) {
        let facts;
        try {
          facts = certificateFacts(parseCertificate(c.der));
        } catch {
          continue;
        }
        for (const email of facts.email) {
          upsert.run(
            email,
            facts.fingerprint,
            Buffer.from(c.der),
            c.source,
            JSON.stringify(c.capabilities),
            facts.notBefore.getTime(),
            facts.notAfter.getTime(),
            now,
          );
          stored++;
        }
      }
    });
    return stored;
  }

  certificatesFor(email: string): StoredCertificate[] {
    return this.vault.guard((db) =>
      db
        .prepare<[string], CertificateRow>(
          'SELECT * FROM smime_certificates WHERE email = ? ORDER BY not_before DESC LIMIT 20',
        )
        .all(email.trim().toLowerCase())
        .map(certificateOf),
    );
  }
}
