import { z } from 'zod';
import { call, event } from './define';

/**
 * Why the app locked: the person asked, no input for the policy's idle minutes, the OS locked the screen, or
 * the app started with an account but without a readable lock state (it fails closed).
 */
export const LockReasonSchema = z.enum(['demand', 'idle', 'os', 'start']);
export type LockReason = z.infer<typeof LockReasonSchema>;

export const LockStateSchema = z.object({
  locked: z.boolean(),
  reason: LockReasonSchema.nullable(),
  /** Lock after this many milliseconds without input (the policy's idleLockMinutes). */
  idleMs: z.number().int().positive(),
});
export type LockState = z.infer<typeof LockStateSchema>;

/**
 * The app lock. While locked, every call except those in `callsOpenWhileLocked` fails with APP_LOCKED
 * (the dispatcher decides, in front of every channel); unlocking needs the account password, checked
 * against the mail server, or offline against a local verifier in the vault.
 */
export const lock = {
  state: call(z.void(), LockStateSchema),
  lock: call(z.object({ reason: LockReasonSchema }), LockStateSchema),
  /** AUTH_FAILED when the password is wrong. */
  unlock: call(z.object({ password: z.string().min(1).max(1024) }), LockStateSchema),
  /** The host locked the app (OS screen lock, system idle). */
  locked: event(z.object({ reason: LockReasonSchema })),
};

/**
 * The only calls the dispatcher serves while the app is locked: the lock screen needs its state (locked,
 * why, the idle time) and the unlock; locking again is harmless; and the renderer tells the host its
 * language (`app.setLanguage`: the menu and the host's dialogs — the lock screen's too — follow it; it
 * returns nothing and reveals nothing). Nothing else: not the account's status (its user name and servers),
 * not the policy, not any other host call (save as, open link, RIS window, unread badge). Keep this short.
 */
export const callsOpenWhileLocked: ReadonlyArray<
  readonly ['lock', Exclude<keyof typeof lock, 'locked'>] | readonly ['app', 'setLanguage']
> = [
  ['lock', 'state'],
  ['lock', 'lock'],
  ['lock', 'unlock'],
  ['app', 'setLanguage'],
];
