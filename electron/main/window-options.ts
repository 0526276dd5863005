import type { BrowserWindowConstructorOptions } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ratsdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The main window's first-run size and its minimum. */
export const MAIN_WINDOW_SIZE = { width: 1280, height: 820, minWidth: 720, minHeight: 480 } as const;

/**
 * The main window: isolated, sandboxed, no Node in the renderer, web security on. Packaged builds have no
 * developer tools at all (`devTools: false`: neither the menu nor a shortcut nor a switch can open them).
 */
export function mainWindowOptions(
  preloadPath: string,
  host: { packaged: boolean; bounds?: { x?: number; y?: number; width: number; height: number } } = { packaged: true },
): BrowserWindowConstructorOptions {
  return {
    ...MAIN_WINDOW_SIZE,
    // Where the window was last time (window-state.ts).
    ...host.bounds,
    show: false,
    title: 'Ratsdesk',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: !host.packaged,
      navigateOnDragDrop: false,
      spellcheck: true,
      safeDialogs: true,
      // middle-click must not open new windows (Electronegativity AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
