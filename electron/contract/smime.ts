import { z } from 'zod';
import { call } from './define';

/**
 * S/MIME keys and certificates: the person's own identities (imported from a PKCS#12 file, kept in the
 * vault), correspondents' certificates (collected from signed mail, imported from a file, looked up
 * in the policy's directory), and which recipients can get encrypted mail.
 */

export const SmimeIdentitySchema = z.object({
  id: z.number().int().positive(),
  subject: z.string().max(2000),
  issuer: z.string().max(2000),
  email: z.array(z.string().max(1000)).max(50),
  /** ISO 8601. */
  notBefore: z.string().max(40),
  notAfter: z.string().max(40),
  fingerprint: z.string().max(200),
  /** The chain that came with it (issuer subjects), for the details view. */
  chain: z.array(z.string().max(2000)).max(20),
  /** Runs out within 30 days: the UI warns. */
  expiresSoon: z.boolean(),
  expired: z.boolean(),
});
export type SmimeIdentity = z.infer<typeof SmimeIdentitySchema>;

export const SmimeSigningSchema = z.enum(['off', 'default', 'mandatory']);
export type SmimeSigning = z.infer<typeof SmimeSigningSchema>;

export const SmimeStateSchema = z.object({
  identities: z.array(SmimeIdentitySchema).max(100),
  /** The policy's signing rule for new mail. */
  signing: SmimeSigningSchema,
  /** An address for which an identity is valid now (the sender): signing and encrypting are possible. */
  canProtect: z.boolean(),
});
export type SmimeState = z.infer<typeof SmimeStateSchema>;

export const SmimeRecipientSchema = z.object({
  address: z.string().max(320),
  known: z.boolean(),
  source: z.enum(['own', 'mail', 'file', 'directory']).optional(),
});
export type SmimeRecipient = z.infer<typeof SmimeRecipientSchema>;

/** A file the person picked, read by the renderer (a PKCS#12 file or certificates): at most 1 MB. */
const FileBase64Schema = z.string().min(1).max(1_400_000);

export const smime = {
  state: call(z.void(), SmimeStateSchema),
  /** Imports a .p12/.pfx file with its password; the private key goes into the vault, never into a file. */
  importIdentity: call(z.object({ fileBase64: FileBase64Schema, password: z.string().max(1000) }), SmimeIdentitySchema),
  removeIdentity: call(z.object({ id: z.number().int().positive() }), z.boolean()),
  /** Imports correspondents' certificates from a file (PEM, DER or a certs-only .p7c). */
  importCertificates: call(
    z.object({ fileBase64: FileBase64Schema }),
    z.object({ stored: z.number().int().nonnegative() }),
  ),
  /** Which recipients have a usable certificate (the vault, then the policy's directory). */
  recipients: call(
    z.object({ addresses: z.array(z.string().min(1).max(320)).max(500) }),
    z.array(SmimeRecipientSchema).max(500),
  ),
};
