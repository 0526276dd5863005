import type { WebContents } from 'electron';
import { APP_ORIGIN } from './window-options';

/** Only the app's own pages may ever be loaded in an app window. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Deny every navigation away from the app, every new window and every webview. Links are opened
 * through the confirmed openExternal call instead.
 */
export function attachNavigationGuards(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
