/**
 * Which client certificate a council-system (RIS) page gets when its server asks for one. Electron's
 * default hands over the first certificate of the list to any page; Ratsdesk decides instead:
 * - only RIS windows, and only on an https page of the RIS, ever present a certificate;
 * - when the machine policy names an issuer (`risClientCertificateIssuer`) and the page is on a council
 *   origin the policy itself named, the one valid certificate of that issuer is used without asking;
 * - otherwise the person chooses (or chooses none) among the valid certificates.
 * No Electron here: the decision is tested under Node, the dialog is the caller's.
 */

/** The fields of Electron's Certificate the decision reads. */
export interface ClientCertificate {
  issuerName: string;
  issuer: { commonName: string };
  subjectName: string;
  /** Seconds since the epoch, as Electron gives them. */
  validStart: number;
  validExpiry: number;
  fingerprint: string;
}

export interface ClientCertificateRequest<C extends ClientCertificate> {
  /** The URL asking (the TLS server's). */
  url: string;
  /** Whether the asking page is in a RIS window (its own session). */
  fromRisWindow: boolean;
  certificates: readonly C[];
  /** Origins of the RIS (any page of them may ask the person). */
  risOrigins: readonly string[];
  /** Origins the machine policy named for the RIS: only there a certificate is chosen without asking. */
  policyOrigins: readonly string[];
  /** The machine policy's issuer name, or null. */
  issuer: string | null;
  /** Milliseconds since the epoch. */
  now: number;
}

export type ClientCertificateDecision<C> =
  | { kind: 'none'; reason: 'not-ris' | 'no-valid-certificate' | 'no-certificate-of-issuer' }
  | { kind: 'use'; certificate: C }
  | { kind: 'ask'; candidates: C[] };

function httpsOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function isValidAt(certificate: ClientCertificate, now: number): boolean {
  return certificate.validStart * 1000 <= now && now <= certificate.validExpiry * 1000;
}

function issuedBy(certificate: ClientCertificate, issuer: string): boolean {
  return certificate.issuer.commonName === issuer || certificate.issuerName === issuer;
}

export function chooseClientCertificate<C extends ClientCertificate>(
  request: ClientCertificateRequest<C>,
): ClientCertificateDecision<C> {
  const origin = httpsOrigin(request.url);
  if (!request.fromRisWindow || !origin || !request.risOrigins.includes(origin)) {
    return { kind: 'none', reason: 'not-ris' };
  }
  const valid = request.certificates.filter((c) => isValidAt(c, request.now));
  if (request.issuer !== null) {
    const ofIssuer = valid.filter((c) => issuedBy(c, request.issuer as string));
    if (ofIssuer.length === 0) return { kind: 'none', reason: 'no-certificate-of-issuer' };
    const [only] = ofIssuer;
    if (only && ofIssuer.length === 1 && request.policyOrigins.includes(origin))
      return { kind: 'use', certificate: only };
    return { kind: 'ask', candidates: ofIssuer };
  }
  if (valid.length === 0) return { kind: 'none', reason: 'no-valid-certificate' };
  return { kind: 'ask', candidates: valid };
}

/** A short line naming a certificate for the choice dialog: whose, by whom, until when. */
export function describeClientCertificate(certificate: ClientCertificate, language: string): string {
  const until = new Date(certificate.validExpiry * 1000).toISOString().slice(0, 10);
  const by = certificate.issuer.commonName || certificate.issuerName;
  return language.startsWith('en')
    ? `${certificate.subjectName} (issued by ${by}, valid until ${until})`
    : `${certificate.subjectName} (ausgestellt von ${by}, gültig bis ${until})`;
}
