import { RatsdeskError, type ErrorCode } from '../../../contract/errors';

/** The S/MIME error codes of the contract (errors.ts); the UI turns each into a sentence. */
export type SmimeErrorCode = Extract<ErrorCode, `SMIME_${string}`>;

/** A RatsdeskError with an S/MIME code, so it crosses IPC like every other error. */
export class SmimeError extends RatsdeskError {
  constructor(code: SmimeErrorCode, detail?: string) {
    super(code, detail);
  }
}
