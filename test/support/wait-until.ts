import { vi } from 'vitest';

/**
 * Waits (vi.waitFor, every 50 ms) until `probe` answers something truthy, and returns it; on timeout the
 * error names what was awaited. For conditions on services and servers that settle on their own time.
 */
export function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (!value) throw new Error(`still waiting for: ${what}`);
      return value as NonNullable<T>;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
