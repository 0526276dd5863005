import { z } from 'zod';

/**
 * Stable error codes. Every error a person can see carries one of these; the renderer turns the code
 * into a German or English sentence (renderer/src/i18n). Tests assert on codes, never on wording.
 */
export const errorCodes = [
  'AUTH_FAILED',
  'TLS_CERT_UNTRUSTED',
  'TLS_NOT_OFFERED',
  'CONNECTION_REFUSED',
  'HOST_NOT_FOUND',
  'TIMEOUT',
  'SERVER_ERROR',
  'KEYCHAIN_UNAVAILABLE',
  'NO_ACCOUNT',
  'NOT_CONNECTED',
  'INVALID_INPUT',
  'IPC_SENDER_REJECTED',
  'VAULT_KEY_MISSING',
  'VAULT_UNREADABLE',
  'VAULT_DISK_FULL',
  'DOCUMENT_CHECKSUM_MISMATCH',
  'DOCUMENT_TRUNCATED',
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_TOO_LARGE',
  'EXPORT_FORBIDDEN',
  'PRINT_FORBIDDEN',
  'SAVE_NAME_TOO_LONG',
  'SAVE_DISK_FULL',
  'SAVE_NOT_PERMITTED',
  'SAVE_FAILED',
  'INTERNAL',
  'RIS_INVALID_JSON',
  'RIS_WRONG_TYPE',
  'RIS_INVALID_OBJECT',
  'RIS_RESPONSE_TOO_LARGE',
  'RIS_PAGING_LOOP',
  'RIS_REDIRECT_REJECTED',
  'RIS_HTTP_ERROR',
  'RIS_NOT_HTTPS',
  'RIS_NOT_PDF',
  'RIS_TIMEOUT',
  'RIS_NOT_CONFIGURED',
  'RIS_HTTP_ONLY',
  'MAIL_UNPARSEABLE',
  'MAIL_PART_NOT_FOUND',
  'SMTP_AUTH_FAILED',
  'SMTP_RECIPIENT_REJECTED',
  'SMTP_MESSAGE_REJECTED',
  'SMTP_MESSAGE_TOO_LARGE',
  'SMTP_TEMPORARY_FAILURE',
  'OUTBOX_ITEM_NOT_FOUND',
  'DRAFT_NOT_FOUND',
  'POLICY_LOCKED',
  'DISCOVERY_FAILED',
  'RIS_LINK_UNKNOWN',
  'RIS_OBJECT_NOT_FOUND',
  'APP_LOCKED',
  'MAIL_MESSAGE_NOT_FOUND',
  'RECIPIENT_OUTSIDE_BLOCKED',
  'RECIPIENT_OUTSIDE_CONFIRM',
  'FORWARD_OUTSIDE_BLOCKED',
  'CALENDAR_UNREADABLE',
  'CALENDAR_TOO_LARGE',
  'CALENDAR_NOT_AN_INVITATION',
  'SMIME_PKCS12_PASSWORD',
  'SMIME_PKCS12_INVALID',
  'SMIME_PKCS12_NO_KEY',
  'SMIME_CERTIFICATE_INVALID',
  'SMIME_KEY_UNSUPPORTED',
  'SMIME_RECIPIENT_UNSUITABLE',
  'SMIME_RECIPIENT_CERTIFICATE_MISSING',
  'SMIME_NO_IDENTITY',
  'SMIME_SIGNING_REQUIRED',
  'SMIME_DIRECTORY_NOT_LDAPS',
  'SMIME_DIRECTORY_UNREACHABLE',
  'DOCUMENT_UNREADABLE',
  'DOCUMENT_PREVIEW_REFUSED',
  'NOTES_RECOVERY_CODE_INVALID',
  'NOTES_KEY_MISSING',
  'NOTES_KEY_CONFLICT',
  'NOTES_UNREADABLE',
  'NOTE_NOT_FOUND',
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  /** A short technical detail for the helpdesk (never a secret, never a stack trace). */
  detail: z.string().max(500).optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** The error type services throw. Only `code` and a short `detail` ever cross the IPC boundary. */
export class RatsdeskError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = 'RatsdeskError';
    this.code = code;
    this.detail = detail;
  }
}

export function isRatsdeskError(err: unknown): err is RatsdeskError {
  return err instanceof RatsdeskError;
}

/** What of an error may cross to the renderer inside a result: the code and a short detail, else INTERNAL. */
export function errorInfoOf(err: unknown): ErrorInfo {
  if (err instanceof RatsdeskError)
    return { code: err.code, ...(err.detail ? { detail: err.detail.slice(0, 500) } : {}) };
  return { code: 'INTERNAL' };
}
