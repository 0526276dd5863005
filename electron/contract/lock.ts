import { z } from 'zod';
import { call, event } from './define';

/** Why the app locked: the person asked, no input for the policy's idle minutes, or the OS locked the screen. */
export const LockReasonSchema = z.enum(['demand', 'idle', 'os']);
export type LockReason = z.infer<typeof LockReasonSchema>;

export const LockStateSchema = z.object({
  locked: z.boolean(),
  reason: LockReasonSchema.nullable(),
  /** Lock after this many milliseconds without input (the policy's idleLockMinutes). */
  idleMs: z.number().int().positive(),
});
export type LockState = z.infer<typeof LockStateSchema>;

/**
 * The app lock. While locked, every content call (mail, documents, council system …) fails with
 * APP_LOCKED; unlocking needs the account password, checked against the mail server, or offline
 * against a local verifier in the vault.
 */
export const lock = {
  state: call(z.void(), LockStateSchema),
  lock: call(z.object({ reason: LockReasonSchema }), LockStateSchema),
  /** AUTH_FAILED when the password is wrong. */
  unlock: call(z.object({ password: z.string().min(1).max(1024) }), LockStateSchema),
  /** The host locked the app (OS screen lock, system idle). */
  locked: event(z.object({ reason: LockReasonSchema })),
};
