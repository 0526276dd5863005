import { createHash } from 'node:crypto';
import { RatsdeskError } from '../../contract/errors';

export interface DocumentExpectations {
  expectedSha512?: string;
  expectedSha1?: string;
  expectedSize?: number;
}

function sameHex(expected: string, actual: string): boolean {
  return expected.trim().toLowerCase() === actual;
}

/**
 * Checks a document against what its source announced and returns its sha-512 (hex).
 * Shorter than announced → DOCUMENT_TRUNCATED; longer, or a checksum differs → DOCUMENT_CHECKSUM_MISMATCH.
 */
export function verifyDocument(bytes: Uint8Array, expect: DocumentExpectations): string {
  if (expect.expectedSize !== undefined) {
    if (bytes.byteLength < expect.expectedSize) {
      throw new RatsdeskError('DOCUMENT_TRUNCATED', `got ${bytes.byteLength} of ${expect.expectedSize} bytes`);
    }
    if (bytes.byteLength > expect.expectedSize) {
      throw new RatsdeskError(
        'DOCUMENT_CHECKSUM_MISMATCH',
        `got ${bytes.byteLength} bytes, ${expect.expectedSize} announced`,
      );
    }
  }
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  if (expect.expectedSha512 !== undefined && !sameHex(expect.expectedSha512, sha512)) {
    throw new RatsdeskError('DOCUMENT_CHECKSUM_MISMATCH', 'sha-512 differs from the announced checksum');
  }
  if (expect.expectedSha1 !== undefined) {
    const sha1 = createHash('sha1').update(bytes).digest('hex');
    if (!sameHex(expect.expectedSha1, sha1)) {
      throw new RatsdeskError('DOCUMENT_CHECKSUM_MISMATCH', 'sha-1 differs from the announced checksum');
    }
  }
  return sha512;
}
