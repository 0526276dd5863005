import type { Result } from '../../../electron/contract/define';
import type { ErrorInfo } from '../../../electron/contract/errors';

/** A contract call that succeeded. */
export type Succeeded<T> = Extract<Result<T>, { ok: true }>;

/**
 * The stores' one way to handle a contract call's answer: its success, or undefined once its error went
 * to `record` (the store's error field, shown as a sentence in role="alert"). Instead of
 * `if (!r.ok) set({ error: r.error })` after every call.
 */
export function okOrRecord<T>(result: Result<T>, record: (error: ErrorInfo) => void): Succeeded<T> | undefined {
  if (result.ok) return result;
  record(result.error);
  return undefined;
}

/** Awaits a contract call, then `okOrRecord`. */
export async function succeeded<T>(
  pending: Promise<Result<T>>,
  record: (error: ErrorInfo) => void,
): Promise<Succeeded<T> | undefined> {
  return okOrRecord(await pending, record);
}
