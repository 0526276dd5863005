import { z } from 'zod';

/**
 * The one status line of an S/MIME message in the reading pane, as a stable code; the renderer
 * turns it into an icon and a German or English sentence (features/smime/messages.ts).
 */
export const smimeStatusCodes = [
  'signed-valid',
  'signed-weak',
  'signature-bad',
  'signer-mismatch',
  'signer-untrusted',
  'signer-expired',
  'signer-not-yet-valid',
  'signature-unsupported',
  'encrypted',
  'encrypted-no-key',
  'encrypted-failed',
  'malformed',
  'refused',
] as const;
export const SmimeStatusCodeSchema = z.enum(smimeStatusCodes);
export type SmimeStatusCode = z.infer<typeof SmimeStatusCodeSchema>;

/** The signer certificate as the details view shows it (one click from the status line). */
export const SmimeCertificateSummarySchema = z.object({
  subject: z.string().max(2000),
  issuer: z.string().max(2000),
  email: z.array(z.string().max(1000)).max(50),
  serialHex: z.string().max(200).optional(),
  /** ISO 8601. */
  notBefore: z.string().max(40).optional(),
  notAfter: z.string().max(40).optional(),
  /** SHA-256, hex with colons. */
  fingerprint: z.string().max(200).optional(),
});
export type SmimeCertificateSummary = z.infer<typeof SmimeCertificateSummarySchema>;

export const SmimeStatusSchema = z.object({
  code: SmimeStatusCodeSchema,
  /** Also encrypted (and opened) besides the signature status the code gives. */
  encrypted: z.boolean(),
  signer: SmimeCertificateSummarySchema.optional(),
  /** The status of a signed message forwarded inside this one, when there is one. */
  attached: SmimeStatusCodeSchema.optional(),
});
export type SmimeStatus = z.infer<typeof SmimeStatusSchema>;
