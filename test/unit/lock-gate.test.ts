import { describe, expect, test } from 'vitest';
import { isRatsdeskError } from '../../electron/contract/errors';
import { gateWhileLocked } from '../../electron/services/lock/lock-gate';

describe('gateWhileLocked', () => {
  const handlers = {
    mail: { list: async (input: { folder: string }) => `list ${input.folder}` },
    lock: { unlock: async (input: { password: string }) => input.password.length },
    account: { status: async () => 'status', forget: async () => true },
  };

  test('passes every call through while unlocked', async () => {
    const gated = gateWhileLocked(handlers, () => false, ['lock.*']);
    expect(await gated.mail.list({ folder: 'INBOX' })).toBe('list INBOX');
    expect(await gated.account.forget()).toBe(true);
  });

  test('refuses content calls with APP_LOCKED while locked, but not the open ones', async () => {
    const gated = gateWhileLocked(handlers, () => true, ['lock.*', 'account.status']);
    const refused = await gated.mail.list({ folder: 'INBOX' }).catch((err: unknown) => err);
    expect(isRatsdeskError(refused) && refused.code).toBe('APP_LOCKED');
    await expect(gated.account.forget()).rejects.toMatchObject({ code: 'APP_LOCKED' });
    expect(await gated.lock.unlock({ password: 'geheim' })).toBe(6);
    expect(await gated.account.status()).toBe('status');
  });
});
