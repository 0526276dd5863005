import type { PowerMonitor } from 'electron';
import type { Services } from '../services/app-services';

/**
 * Electron glue: after the laptop wakes from sleep the mail connection tries at once (a sleeping laptop's
 * connection is gone, and the reconnect delay may have grown to minutes). A session that is not there yet
 * (no account) answers with an error, which changes nothing here.
 */
export function attachHostWake(
  services: Pick<Services, 'handlers'>,
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>,
): () => void {
  const wake = () => void services.handlers.mailSync.syncNow({}).catch(() => undefined);
  powerMonitor.on('resume', wake);
  return () => powerMonitor.removeListener('resume', wake);
}
