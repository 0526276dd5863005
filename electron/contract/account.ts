import { z } from 'zod';
import { call } from './define';

const hostname = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'host name');

/** How the IMAP connection is protected. There is deliberately no "none". */
export const SecuritySchema = z.enum(['tls', 'starttls']);
export type Security = z.infer<typeof SecuritySchema>;

/** The SMTP submission server (465 implicit TLS or 587 STARTTLS); the same login as IMAP. */
export const SmtpServerSchema = z.object({
  host: hostname,
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
});
export type SmtpServer = z.infer<typeof SmtpServerSchema>;

/** The account as stored in the settings file: no secret in here. */
export const AccountSettingsSchema = z.object({
  host: hostname,
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
  username: z.string().min(1).max(320),
  /** The sender address; absent: the user name when it is an address. */
  email: z.email().max(320).optional(),
  /** Absent: the IMAP host, port 587 with STARTTLS. */
  smtp: SmtpServerSchema.optional(),
});
export type AccountSettings = z.infer<typeof AccountSettingsSchema>;

export const ConnectInputSchema = AccountSettingsSchema.extend({
  password: z.string().min(1).max(1024),
});
export type ConnectInput = z.infer<typeof ConnectInputSchema>;

export const AccountStatusSchema = z.object({
  configured: z.boolean(),
  account: AccountSettingsSchema.optional(),
});

/** What connect and restore answer: the account now open, and whether its server answered just now. */
export const OpenedAccountSchema = z.object({
  account: AccountSettingsSchema,
  /** False when restore opened the account from the vault because the server could not be reached. */
  online: z.boolean(),
});
export type OpenedAccount = z.infer<typeof OpenedAccountSchema>;

export const account = {
  /** Is an account set up (settings present and its password in the keychain)? */
  status: call(z.void(), AccountStatusSchema),
  /** Test the login, then store settings and password (keychain); the account's mail session starts. */
  connect: call(ConnectInputSchema, OpenedAccountSchema),
  /** Open the stored account (offline from the vault when only its server cannot be reached). */
  restore: call(z.void(), OpenedAccountSchema),
  /** Remove the stored account and its keychain entry. */
  forget: call(z.void(), z.boolean()),
};
