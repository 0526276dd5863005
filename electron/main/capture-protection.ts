import type { App, BrowserWindow } from 'electron';

/**
 * The policy's screenCaptureProtection: every window the app opens (the app window, RIS windows, dialogs'
 * parents) is content-protected from the moment it exists — screenshots, screen recording and screen
 * sharing see it black or empty (Windows 10 2004+, macOS), as mobile work containers do. Linux offers no
 * such protection. Read once at start, so it holds for every window of the run.
 */
export function protectWindowsFromCapture(
  app: Pick<App, 'on'>,
  enabled: boolean,
  existing: readonly Pick<BrowserWindow, 'setContentProtection'>[] = [],
): boolean {
  if (!enabled) return false;
  for (const win of existing) win.setContentProtection(true);
  app.on('browser-window-created', (_event, win) => win.setContentProtection(true));
  return true;
}
