/**
 * Node's error codes for a certificate that could not be trusted (unknown CA, self-signed, expired,
 * wrong host name, …). IMAP, SMTP and the council system all report these as TLS_CERT_UNTRUSTED.
 */
const CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

export function isCertificateErrorCode(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_ERROR_CODES.has(code);
}
