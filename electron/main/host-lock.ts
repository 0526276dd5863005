import type { PowerMonitor } from 'electron';
import type { Services } from '../services/app-services';

/** How often the system-wide idle time is looked at. */
const IDLE_POLL_MS = 30_000;

/**
 * Electron glue for the app lock: the OS locking the screen (or suspending) locks the app, and so does
 * the system being idle for the policy's idle time (input anywhere counts, not only in our window;
 * the renderer separately locks after the same time without input in the window).
 */
export function attachHostLock(services: Services, powerMonitor: PowerMonitor): () => void {
  const lockOs = () => void services.appLock.lockFromHost('os').catch(() => undefined);
  powerMonitor.on('lock-screen', lockOs);
  powerMonitor.on('suspend', lockOs);
  const timer = setInterval(() => {
    void (async () => {
      const { locked, idleMs } = await services.appLock.state();
      if (!locked && powerMonitor.getSystemIdleTime() * 1000 >= idleMs) await services.appLock.lockFromHost('idle');
    })().catch(() => undefined);
  }, IDLE_POLL_MS);
  return () => {
    clearInterval(timer);
    powerMonitor.removeListener('lock-screen', lockOs);
    powerMonitor.removeListener('suspend', lockOs);
  };
}
