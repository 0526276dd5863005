import { useEffect } from 'react';
import { useLock } from './lock-store';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Locks after the policy's idle time without input in the window, and on Ctrl+Shift+L (⌘⇧L).
 * (The host also locks on the OS screen lock and on system-wide idle.)
 */
export function useIdleLock(active: boolean): void {
  const idleMs = useLock((s) => s.idleMs);
  const locked = useLock((s) => s.locked);

  useEffect(() => {
    if (!active || locked) return;
    let timer = window.setTimeout(fire, idleMs);
    function fire() {
      void useLock.getState().lockNow('idle');
    }
    function activity() {
      window.clearTimeout(timer);
      timer = window.setTimeout(fire, idleMs);
    }
    function shortcut(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void useLock.getState().lockNow('demand');
      }
    }
    for (const type of ACTIVITY) window.addEventListener(type, activity, { passive: true, capture: true });
    window.addEventListener('keydown', shortcut);
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, activity, { capture: true });
      window.removeEventListener('keydown', shortcut);
    };
  }, [active, locked, idleMs]);
}
