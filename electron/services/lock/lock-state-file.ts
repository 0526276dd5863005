import { z } from 'zod';
import { LockReasonSchema } from '../../contract/lock';
import { JsonSettingsFile } from '../files/json-settings-file';

/** What of the app lock outlives the process: whether it is locked, and the failed unlock attempts. */
export const PersistedLockStateSchema = z.object({
  locked: z.boolean(),
  reason: LockReasonSchema.nullable(),
  /** Failed unlock attempts since the last successful one. */
  failures: z.number().int().nonnegative().max(1_000_000),
  /** When the last attempt failed (ms since the epoch), or null. */
  lastFailureAt: z.number().int().nonnegative().nullable(),
});
export type PersistedLockState = z.infer<typeof PersistedLockStateSchema>;

export interface LockStateStore {
  /** The stored state; undefined when there is none or it cannot be read (the caller fails closed). */
  read(): Promise<PersistedLockState | undefined>;
  write(state: PersistedLockState): Promise<void>;
}

/**
 * The lock state as a small JSON file (0600, written atomically) in the per-user data folder — outside
 * the vault on purpose: it must be readable at start before anything opens the vault, and independent of
 * the vault's lifetime (sign-out or a broken vault must not forget that the app is locked).
 */
export function lockStateFile(file: string): LockStateStore {
  const json = new JsonSettingsFile(file, PersistedLockStateSchema);
  return { read: () => json.read(), write: (state) => json.write(state) };
}
