import { useEffect } from 'react';
import { api } from '../ratsdesk-api';

/**
 * Back on a network (Wi-Fi joined, cable in, VPN up): the mail connection tries at once instead of waiting
 * out its reconnect delay, which after a connection the network ended is spread over minutes (so that a
 * restarted server is not stormed). The main process does the same after the laptop wakes (host-wake.ts).
 */
export function useNetworkWake(ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    const wake = () => void api().mailSync.syncNow({});
    window.addEventListener('online', wake);
    return () => window.removeEventListener('online', wake);
  }, [ready]);
}
