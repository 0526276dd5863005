import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { checkChain } from './certificate-chain';
import { allowsSigning, certificateDer, certificateFacts, OID } from './certificate-facts';
import { SMIME_LIMITS, type SignatureStatus, type SmimeLayer, type SmimeProblem } from './smime-reading';

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms we verify: RSA PKCS#1 v1.5 (plain and with hash), RSA-PSS, ECDSA. */
const SIGNATURE_ALGORITHMS = new Set([
  OID.rsaEncryption,
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
  OID.rsaPss,
  '1.2.840.10045.4.1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2',
  '1.2.840.10045.4.3.3',
  '1.2.840.10045.4.3.4',
]);

const ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';

export interface VerifyInput {
  signedData: pkijs.SignedData;
  /** The signed bytes of a detached signature; absent for opaque signed-data. */
  detached?: Buffer;
  /** Addresses of the message's From header, lower case; the signer certificate must name one. */
  fromAddresses: string[];
  anchors: pkijs.Certificate[];
  now: Date;
}

export interface VerifyResult {
  layer: SmimeLayer;
  /** The content the signature covers (the eContent of opaque signed-data), when present. */
  content?: Buffer;
}

function layerWith(signature: SignatureStatus, problem?: SmimeProblem): SmimeLayer {
  return {
    kind: 'signed',
    scope: 'message',
    signature,
    encrypted: false,
    decryption: 'n/a',
    ...(problem ? { problem } : {}),
  };
}

function signedAttribute(signerInfo: pkijs.SignerInfo, oid: string): pkijs.Attribute | undefined {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === oid);
}

function eContentBytes(signedData: pkijs.SignedData): Buffer | undefined {
  const e = signedData.encapContentInfo.eContent;
  if (!e) return undefined;
  return Buffer.from(e.getValue());
}

/** Bare LF line ends → CRLF: what a signer hashed when the message was stored with Unix line ends. */
function canonicalLineEnds(bytes: Buffer): Buffer | null {
  const text = bytes.toString('latin1');
  if (!/(^|[^\r])\n/.test(text)) return null;
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
}

async function cryptographicCheck(
  signedData: pkijs.SignedData,
  data: Buffer | undefined,
): Promise<{ ok: true; signer: pkijs.Certificate } | { ok: false; problem: SmimeProblem }> {
  try {
    const result = await signedData.verify({
      signer: 0,
      ...(data ? { data: new Uint8Array(data).buffer } : {}),
      checkChain: false,
      extendedMode: true,
    });
    if (result.signatureVerified && result.signerCertificate) return { ok: true, signer: result.signerCertificate };
    return { ok: false, problem: 'signature-invalid' };
  } catch (e) {
    if (e instanceof pkijs.SignedDataVerifyError) {
      if (e.code === 2 || e.code === 3) return { ok: false, problem: 'signer-certificate-missing' };
      if (e.code === 7) return { ok: false, problem: 'unknown-algorithm' };
      if (/digest doesn't match/i.test(e.message)) return { ok: false, problem: 'digest-mismatch' };
    }
    return { ok: false, problem: 'signature-invalid' };
  }
}

/**
 * Verifies the first signer of a SignedData: the signature itself (PKI.js), then the signer
 * certificate's chain to the anchors at the signing time and now, its key usage, and its addresses
 * against From. The status names the first thing that fails, in that order; SHA-1 that passes
 * everything is 'weak'.
 */
export async function verifySignedData(input: VerifyInput): Promise<VerifyResult> {
  const { signedData } = input;
  const content = eContentBytes(signedData);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo || signedData.signerInfos.length > SMIME_LIMITS.maxSigners)
    return { layer: layerWith('bad', 'malformed') };
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (certs.length > SMIME_LIMITS.maxCertificates) return { layer: layerWith('unsupported', 'too-large'), content };

  const digest = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!digest || !SIGNATURE_ALGORITHMS.has(signerInfo.signatureAlgorithm.algorithmId)) {
    return { layer: layerWith('unsupported', 'unknown-algorithm'), content };
  }
  const signed = input.detached ?? content;
  if (!signed) return { layer: layerWith('bad', 'malformed') };

  let check = await cryptographicCheck(signedData, input.detached);
  if (!check.ok && check.problem === 'digest-mismatch' && input.detached) {
    const canonical = canonicalLineEnds(input.detached);
    if (canonical) check = await cryptographicCheck(signedData, canonical);
  }
  const base: Partial<SmimeLayer> = { digest };
  const time = signedAttribute(signerInfo, ATTR_SIGNING_TIME)?.values[0];
  const signingTime =
    time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
  if (signingTime) base.signingTime = signingTime;
  const caps = signedAttribute(signerInfo, OID.smimeCapabilities)?.values[0];
  if (caps) base.smimeCapabilities = new Uint8Array(caps.toBER(false));

  if (!check.ok) {
    const status: SignatureStatus =
      check.problem === 'unknown-algorithm' || check.problem === 'signer-certificate-missing' ? 'unsupported' : 'bad';
    return { layer: { ...layerWith(status, check.problem), ...base }, content };
  }

  const facts = certificateFacts(check.signer);
  const signer = { email: facts.email, subject: facts.subject, issuer: facts.issuer };
  const withSigner = (status: SignatureStatus, problem?: SmimeProblem): VerifyResult => ({
    layer: { ...layerWith(status, problem), ...base, signer, signerCertificate: certificateDer(check.signer) },
    content,
  });

  const intermediates = certs.filter((c) => c !== check.signer);
  const chain = await checkChain(check.signer, intermediates, input.anchors, input.now, signingTime);
  if (chain.verdict === 'untrusted') return withSigner('untrusted', 'chain-incomplete');
  if (chain.verdict === 'expired')
    return withSigner('expired', chain.when === 'signing' ? 'expired-at-signing' : 'expired-now');
  if (chain.verdict === 'not-yet-valid') return withSigner('not-yet-valid', 'not-yet-valid');
  if (!allowsSigning(facts)) return withSigner('untrusted', 'key-usage');
  if (input.fromAddresses.length > 0 && !input.fromAddresses.some((a) => facts.email.includes(a))) {
    return withSigner('signer-mismatch', 'address-mismatch');
  }
  if (digest === 'sha1') return withSigner('weak', 'sha1');
  return withSigner('good');
}
