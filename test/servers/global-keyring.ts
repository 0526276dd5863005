import { startKeyring, type TestKeyring } from './keyring';

let keyring: TestKeyring | undefined;

/**
 * Vitest global setup: one real Secret Service for the run. Its D-Bus address goes into the
 * environment before the test workers start, so keytar in every worker talks to it.
 */
export async function setup(): Promise<void> {
  keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
}

export async function teardown(): Promise<void> {
  await keyring?.stop();
}
