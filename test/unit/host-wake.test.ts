import { EventEmitter } from 'node:events';
import { describe, expect, test, vi } from 'vitest';
import { attachHostWake } from '../../electron/main/host-wake';
import type { Services } from '../../electron/services/app-services';

// Electron's powerMonitor cannot run here: an EventEmitter stands in for it (the boundary only), the glue
// under test is ours.
describe('after the laptop wakes, the mail connection tries at once', () => {
  test('"resume" asks the mail sync to run now; a failure (no account yet) is swallowed; detach stops it', async () => {
    const powerMonitor = new EventEmitter();
    const syncNow = vi.fn(async () => undefined);
    const services = { handlers: { mailSync: { syncNow } } } as unknown as Pick<Services, 'handlers'>;
    const detach = attachHostWake(services, powerMonitor as never);
    powerMonitor.emit('resume');
    expect(syncNow).toHaveBeenCalledTimes(1);
    expect(syncNow).toHaveBeenCalledWith({});
    syncNow.mockRejectedValueOnce(new Error('NO_ACCOUNT'));
    powerMonitor.emit('resume');
    await Promise.resolve();
    expect(syncNow).toHaveBeenCalledTimes(2);
    detach();
    powerMonitor.emit('resume');
    expect(syncNow).toHaveBeenCalledTimes(2);
    expect(powerMonitor.listenerCount('resume')).toBe(0);
  });
});
