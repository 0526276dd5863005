import type { Page } from 'playwright-core';
import { expect } from 'vitest';

type LockStateApi = { ratsdesk: { lock: { state(): Promise<{ ok: boolean; value?: { locked: boolean } }> } } };

/**
 * The lock screen shows the moment the person locks (the renderer drops its content first); the services
 * lock when the renderer's `lock.lock` call reaches them, a moment later. A test that asserts what the
 * services refuse while locked waits for that moment: `lock.state` is answered while locked.
 */
export async function untilServicesLocked(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const r = await (window as unknown as LockStateApi).ratsdesk.lock.state();
        return r.ok && r.value?.locked === true;
      }),
    )
    .toBe(true);
}
