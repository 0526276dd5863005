import { RatsdeskError } from '../../electron/contract/errors';

/** The stable code a call failed with (a RatsdeskError); a success or any other error fails the test. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}

/** The same for a synchronous call. */
export function codeOfCall(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof RatsdeskError) return err.code;
    throw err;
  }
  throw new Error('expected a RatsdeskError');
}
