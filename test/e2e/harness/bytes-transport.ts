/**
 * Playwright's exposeBinding carries values as JSON, where a Uint8Array does not survive (and a large
 * one as base64 text is very slow through the protocol). The harness wraps every Uint8Array on one side
 * and unwraps it on the other, in both directions (call inputs, call results, event payloads), so the
 * contract keeps Uint8Array as in Electron's IPC:
 * - small arrays inline: { __ratsdeskBytes: base64 };
 * - large results by reference: { __ratsdeskBytesRef: path } — the host keeps the bytes in memory and
 *   serves them once from its loopback origin (connect-src 'self'), like Electron's structured clone
 *   copies them, without a JSON detour. Nothing is written to disk.
 * Used by app-host.ts (Node) and page-bridge.ts (the page), each with its own codec.
 */

export type WrappedBytes = { __ratsdeskBytes: string } | { __ratsdeskBytesRef: string };

function isWrapped(value: unknown): value is WrappedBytes {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return false;
  const v = value as { __ratsdeskBytes?: unknown; __ratsdeskBytesRef?: unknown };
  return typeof v.__ratsdeskBytes === 'string' || typeof v.__ratsdeskBytesRef === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A copy of value with every Uint8Array replaced by wrap(bytes). */
export function wrapBytes(value: unknown, wrap: (bytes: Uint8Array) => WrappedBytes): unknown {
  if (value instanceof Uint8Array) return wrap(value);
  if (Array.isArray(value)) return value.map((v) => wrapBytes(v, wrap));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wrapBytes(v, wrap)]));
  return value;
}

/** A copy of value with every wrapper turned back into a Uint8Array. */
export async function unwrapBytes(
  value: unknown,
  unwrap: (wrapped: WrappedBytes) => Uint8Array | Promise<Uint8Array>,
): Promise<unknown> {
  if (isWrapped(value)) return unwrap(value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => unwrapBytes(v, unwrap)));
  if (isPlainObject(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await unwrapBytes(v, unwrap)]));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Node side: Buffer's base64. */
export const nodeBase64 = {
  encode: (bytes: Uint8Array): string =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text: string): Uint8Array => {
    const b = Buffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
};
