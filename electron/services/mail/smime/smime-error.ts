/** Stable codes for the S/MIME key and directory operations; the UI turns each into a sentence. */
export type SmimeErrorCode =
  | 'SMIME_PKCS12_PASSWORD'
  | 'SMIME_PKCS12_INVALID'
  | 'SMIME_PKCS12_NO_KEY'
  | 'SMIME_CERTIFICATE_INVALID'
  | 'SMIME_KEY_UNSUPPORTED'
  | 'SMIME_RECIPIENT_UNSUITABLE'
  | 'SMIME_RECIPIENT_CERTIFICATE_MISSING'
  | 'SMIME_NO_IDENTITY'
  | 'SMIME_DIRECTORY_NOT_LDAPS'
  | 'SMIME_DIRECTORY_UNREACHABLE';

export class SmimeError extends Error {
  constructor(
    readonly code: SmimeErrorCode,
    detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'SmimeError';
  }
}
