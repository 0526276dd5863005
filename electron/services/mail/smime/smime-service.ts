import * as tls from 'node:tls';
import type { SmimeSigning } from '../../../contract/smime';
import type { SmimeStatus } from '../../../contract/smime-status';
import { derToPem, parseCertificate } from './certificate-facts';
import { candidatesFromFile, candidatesFromReading, newestValidPerAddress } from './correspondent-certificates';
import { indexText as plainIndexText } from '../message-index-text';
import { lookupDirectoryCertificates } from './ldap-certificate-directory';
import { importPkcs12 } from './pkcs12-import';
import { displayMessage, protectMessage } from './smime-message';
import { readSmime } from './smime-reader';
import type { SmimeReading } from './smime-reading';
import type { SmimeRepository, StoredIdentity } from './smime-repository';
import { needsSmimeForIndex } from './smime-index-text';
import { smimeStatus } from './smime-status';
import { SmimeError } from './smime-error';

/** What the machine policy says about S/MIME, read on every use (a changed policy applies at once). */
export interface SmimePolicy {
  trustAnchorsPem: string[];
  directoryUrl: string | null;
  /** CAs for the directory's TLS certificate (the policy's extra CAs). */
  directoryCaPem: string[];
  signing: SmimeSigning;
  /** Whether decrypted text goes into the search index (inside the vault); false keeps it out. */
  searchDecrypted: boolean;
}

export interface SmimeServiceOptions {
  /** The vault's S/MIME tables; the vault opens on first use. */
  repository: () => Promise<SmimeRepository>;
  policy: () => Promise<SmimePolicy>;
  /** The operating system's roots (PEM); Node's bundled ones when the runtime cannot read the system's. */
  systemRootsPem?: () => readonly string[];
  now?: () => Date;
}

export interface RecipientCertificateState {
  address: string;
  known: boolean;
  source?: 'own' | 'mail' | 'file' | 'directory';
}

const EXPIRY_WARNING_DAYS = 30;

function defaultSystemRoots(): readonly string[] {
  const withSystem = tls as typeof tls & { getCACertificates?: (kind: 'system') => string[] };
  try {
    const system = withSystem.getCACertificates?.('system');
    if (system?.length) return system;
  } catch {
    // older runtimes: the bundled roots below
  }
  return tls.rootCertificates;
}

/**
 * The person's S/MIME: reading (verify, decrypt, collect correspondents' certificates), the keys and
 * certificates in the vault, the directory look-up, and protecting outgoing mail.
 */
export class SmimeService {
  private anchors: { key: string; pems: string[] } | undefined;

  constructor(private readonly options: SmimeServiceOptions) {}

  private repo(): Promise<SmimeRepository> {
    return this.options.repository();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** One array per policy value, so readSmime's parsed-anchor cache keeps hitting. */
  private async anchorPems(): Promise<string[]> {
    const policy = await this.options.policy();
    const key = policy.trustAnchorsPem.join('\n');
    if (this.anchors?.key !== key) {
      const system = (this.options.systemRootsPem ?? defaultSystemRoots)();
      this.anchors = { key, pems: [...policy.trustAnchorsPem, ...system] };
    }
    return this.anchors.pems;
  }

  private async parsedAnchors() {
    return (await this.anchorPems()).flatMap((pem) => {
      try {
        return [parseCertificate(pem)];
      } catch {
        return [];
      }
    });
  }

  /**
   * For the reader: null when the message is no S/MIME message; else its status line and the message
   * to show (outer headers around the opened content), or null to show it as it is (nothing opened).
   */
  async open(raw: Buffer): Promise<{ display: Buffer | null; status: SmimeStatus | null } | null> {
    const { reading, status } = await this.read(raw);
    if (reading.layers.length === 0) return null;
    return { display: reading.inner ? displayMessage(raw, reading.inner) : null, status };
  }

  /** Reads an S/MIME message and remembers the certificates of signatures that held. */
  async read(raw: Buffer): Promise<{ reading: SmimeReading; status: SmimeStatus | null }> {
    const reading = await readSmime(raw, {
      trustAnchorsPem: await this.anchorPems(),
      identities: (await this.repo()).identities(),
      at: this.now(),
    });
    const candidates = candidatesFromReading(reading.layers);
    if (candidates.length) (await this.repo()).addCertificates(candidates);
    return { reading, status: smimeStatus(reading) };
  }

  /**
   * The body text of a message for the search index (the sync's text extractor). An S/MIME message is
   * opened in memory: the text of signed content always, the decrypted text only while the policy's
   * smimeSearchDecrypted allows it. The index lives inside the encrypted vault; the opened message itself
   * is never stored (the vault keeps the source as it came).
   */
  async indexText(raw: Buffer): Promise<string> {
    if (!needsSmimeForIndex(raw)) return plainIndexText(raw);
    const { reading } = await this.read(raw);
    if (!reading.inner) return plainIndexText(raw);
    if (reading.encrypted && !(await this.options.policy()).searchDecrypted) return plainIndexText(raw);
    return plainIndexText(displayMessage(raw, reading.inner));
  }

  async importIdentity(bytes: Uint8Array, password: string): Promise<StoredIdentity> {
    const imported = importPkcs12(bytes, password);
    const repository = await this.repo();
    const id = repository.addIdentity(imported);
    const stored = repository.identities().find((i) => i.id === id);
    if (!stored) throw new SmimeError('SMIME_PKCS12_INVALID', 'stored identity vanished');
    return stored;
  }

  async identities(): Promise<Array<StoredIdentity & { expiresSoon: boolean; expired: boolean }>> {
    const now = this.now().getTime();
    return (await this.repo()).identities().map((i) => ({
      ...i,
      expired: i.notAfter.getTime() < now,
      expiresSoon: i.notAfter.getTime() >= now && i.notAfter.getTime() - now <= EXPIRY_WARNING_DAYS * 86_400_000,
    }));
  }

  async removeIdentity(id: number): Promise<boolean> {
    return (await this.repo()).removeIdentity(id);
  }

  async importCertificates(bytes: Uint8Array): Promise<number> {
    return (await this.repo()).addCertificates(candidatesFromFile(bytes));
  }

  /** The identity to sign and decrypt with for an address: the valid one that runs longest. */
  async identityFor(address: string): Promise<StoredIdentity | undefined> {
    const now = this.now();
    const a = address.trim().toLowerCase();
    return (await this.repo())
      .identities()
      .filter((i) => i.email.includes(a) && i.notBefore <= now && i.notAfter >= now)
      .sort((x, y) => y.notAfter.getTime() - x.notAfter.getTime())[0];
  }

  /**
   * Which recipients have a usable certificate: the vault's newest valid one, else the policy's
   * directory (the answers are kept in the vault for next time).
   */
  async recipients(addresses: string[]): Promise<RecipientCertificateState[]> {
    const policy = await this.options.policy();
    const anchors = await this.parsedAnchors();
    const out: RecipientCertificateState[] = [];
    for (const raw of addresses) {
      const address = raw.trim().toLowerCase();
      if (await this.identityFor(address)) {
        out.push({ address, known: true, source: 'own' });
        continue;
      }
      let best = (await newestValidPerAddress((await this.repo()).certificatesFor(address), anchors, this.now())).get(
        address,
      );
      if (!best && policy.directoryUrl) {
        try {
          const found = await lookupDirectoryCertificates(address, {
            url: policy.directoryUrl,
            caPem: policy.directoryCaPem,
          });
          if (found.length) {
            (await this.repo()).addCertificates(found);
            best = (await newestValidPerAddress(found, anchors, this.now())).get(address);
          }
        } catch {
          // the directory is unreachable: the address counts as without certificate for now
        }
      }
      out.push(best ? { address, known: true, source: best.source } : { address, known: false });
    }
    return out;
  }

  /** Signs and/or encrypts a built message; encryption needs every recipient's certificate (and our own). */
  async protect(
    raw: Buffer,
    from: string,
    recipients: string[],
    mode: { sign: boolean; encrypt: boolean },
  ): Promise<Buffer> {
    // The policy's `mandatory`: nothing leaves unsigned, whatever the renderer asked for.
    if (!mode.sign && (await this.options.policy()).signing === 'mandatory')
      throw new SmimeError('SMIME_SIGNING_REQUIRED', 'policy smimeSigning = mandatory');
    if (!mode.sign && !mode.encrypt) return raw;
    const identity = await this.identityFor(from);
    if (!identity) throw new SmimeError('SMIME_NO_IDENTITY', from);
    let encrypt;
    if (mode.encrypt) {
      const states = await this.recipients(recipients);
      const missing = states.filter((s) => !s.known).map((s) => s.address);
      if (missing.length) throw new SmimeError('SMIME_RECIPIENT_CERTIFICATE_MISSING', missing.join(', '));
      const anchors = await this.parsedAnchors();
      const certs = [];
      for (const a of states.map((s) => s.address)) {
        const own = await this.identityFor(a);
        if (own) {
          certs.push({ certificatePem: own.certificatePem });
          continue;
        }
        const best = (await newestValidPerAddress((await this.repo()).certificatesFor(a), anchors, this.now())).get(a);
        if (!best) throw new SmimeError('SMIME_RECIPIENT_CERTIFICATE_MISSING', a);
        certs.push({ certificatePem: derToPem(best.der, 'CERTIFICATE'), capabilities: best.capabilities });
      }
      encrypt = { recipients: certs, self: { certificatePem: identity.certificatePem } };
    }
    return protectMessage(raw, {
      ...(mode.sign
        ? {
            sign: {
              certificatePem: identity.certificatePem,
              privateKeyPem: identity.privateKeyPem,
              chainPem: identity.chainPem,
            },
          }
        : {}),
      ...(encrypt ? { encrypt } : {}),
    });
  }
}
