import { randomBytes } from 'node:crypto';

/** Bare LF or CR → CRLF: S/MIME signs and encrypts the canonical form (RFC 8551 §3.1.1). */
export function canonicalCrlf(entity: Buffer): Buffer {
  return Buffer.from(entity.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}

/** Base64 in lines of 76 characters, as MIME wants it. */
export function base64Lines(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

export function newBoundary(): string {
  return `----ratsdesk-smime-${randomBytes(12).toString('hex')}`;
}
