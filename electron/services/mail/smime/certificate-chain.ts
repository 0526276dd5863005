import * as pkijs from 'pkijs';

export type ChainVerdict = 'trusted' | 'untrusted' | 'expired' | 'not-yet-valid';

export interface ChainCheck {
  verdict: ChainVerdict;
  /** Set for 'expired' and 'not-yet-valid': which moment failed. */
  when?: 'signing' | 'now';
}

/** Issuer look-ups per validation: a path is a handful of certificates; a loop of cross-signed ones is refused. */
const MAX_ISSUER_LOOKUPS = 32;

async function validAt(
  leaf: pkijs.Certificate,
  intermediates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  at: Date,
): Promise<boolean> {
  let lookups = 0;
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: anchors,
    certs: [leaf, ...intermediates],
    checkDate: at,
    // PKI.js builds paths recursively without loop detection; a budget keeps crafted loops finite.
    findIssuer: (cert, eng, crypto) => {
      if (++lookups > MAX_ISSUER_LOOKUPS) throw new Error('certificate path too long');
      return eng.defaultFindIssuer(cert, eng, crypto);
    },
  });
  try {
    const result = await engine.verify();
    return result.result === true;
  } catch {
    return false;
  }
}

/**
 * Does the leaf chain to one of the anchors (PKI.js checks signatures, CA flags, key usage of the
 * issuers and every certificate's dates), at the signing time and now? A chain that only fails on
 * dates is told apart from one that does not lead to an anchor at all.
 */
export async function checkChain(
  leaf: pkijs.Certificate,
  intermediates: pkijs.Certificate[],
  anchors: pkijs.Certificate[],
  now: Date,
  signingTime?: Date,
): Promise<ChainCheck> {
  if (anchors.length === 0) return { verdict: 'untrusted' };
  const nowOk = await validAt(leaf, intermediates, anchors, now);
  if (nowOk) {
    if (signingTime && !(await validAt(leaf, intermediates, anchors, signingTime))) {
      if (signingTime < leaf.notBefore.value) return { verdict: 'not-yet-valid', when: 'signing' };
      return { verdict: 'expired', when: 'signing' };
    }
    return { verdict: 'trusted' };
  }
  // Would the same chain hold inside the leaf's own validity? Then only the date is wrong.
  const mid = new Date((leaf.notBefore.value.getTime() + leaf.notAfter.value.getTime()) / 2);
  if (!(await validAt(leaf, intermediates, anchors, mid))) return { verdict: 'untrusted' };
  return now < leaf.notBefore.value ? { verdict: 'not-yet-valid', when: 'now' } : { verdict: 'expired', when: 'now' };
}
