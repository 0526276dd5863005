/** What readSmime found: the shape the issue (#17) fixes, so that interop suites can drive it. */

export type SignatureStatus =
  'none' | 'good' | 'bad' | 'signer-mismatch' | 'untrusted' | 'expired' | 'not-yet-valid' | 'weak' | 'unsupported';

export type DecryptionStatus = 'n/a' | 'ok' | 'no-key' | 'failed';

export interface SignerFacts {
  email: string[];
  subject: string;
  issuer: string;
}

/**
 * Why a layer is not simply good or ok, as a stable code (logs, tests, the certificate details);
 * absent when there is nothing to add to the status.
 */
export type SmimeProblem =
  | 'malformed'
  | 'too-large'
  | 'too-deep'
  | 'digest-mismatch'
  | 'signature-invalid'
  | 'signer-certificate-missing'
  | 'unknown-algorithm'
  | 'chain-incomplete'
  | 'key-usage'
  | 'address-mismatch'
  | 'expired-at-signing'
  | 'expired-now'
  | 'not-yet-valid'
  | 'sha1'
  | 'no-matching-recipient'
  | 'key-unwrap-failed'
  | 'content-decryption-failed';

export type LayerKind = 'signed' | 'enveloped' | 'auth-enveloped' | 'unknown';

export interface SmimeLayer {
  kind: LayerKind;
  /** 'message' for the layers of the message itself, 'attached' for a signed message forwarded inside it. */
  scope: 'message' | 'attached';
  signature: SignatureStatus;
  signer?: SignerFacts;
  /** The signer certificate (DER), for the details view and for collecting correspondents' certificates. */
  signerCertificate?: Uint8Array;
  /** The signed SMIMECapabilities attribute (DER), when present: which ciphers the sender can read. */
  smimeCapabilities?: Uint8Array;
  signingTime?: Date;
  digest?: string;
  encrypted: boolean;
  decryption: DecryptionStatus;
  /** The content cipher of an encrypted layer, e.g. 'aes-256-gcm'. */
  cipher?: string;
  problem?: SmimeProblem;
}

export interface SmimeReading {
  /** The outermost signature's status; 'none' when nothing is signed. */
  signature: SignatureStatus;
  signer?: SignerFacts;
  encrypted: boolean;
  /** The outermost encryption's result; 'n/a' when nothing is encrypted. */
  decryption: DecryptionStatus;
  /** The innermost MIME entity, once every layer that could be opened is opened. */
  inner?: Buffer;
  /** Outermost first, then the layers of any signed message attached to it. */
  layers: SmimeLayer[];
}

export interface SmimeIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

export interface SmimeReadContext {
  trustAnchorsPem: string[];
  identities: SmimeIdentity[];
  /** "Now" for the validity checks; the clock when absent. */
  at?: Date;
}

/**
 * Bounds that keep adversarial input cheap: a message with more layers, parts or bytes than any real
 * one is refused with a status instead of being worked through.
 */
export const SMIME_LIMITS = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxLayers: 5,
  maxParts: 64,
  maxCertificates: 32,
  maxSigners: 8,
  maxRecipients: 256,
} as const;
