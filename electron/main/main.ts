import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, protocol, session, shell } from 'electron';
import { contract } from '../contract';
import { createDispatcher } from '../contract/dispatch';
import { createServices, type Services } from '../services/app-services';
import { appResponseHeaders, resolveAppPath } from './app-protocol';
import { openExternalConfirmed } from './external-links';
import { isTrustedSender, registerIpc } from './ipc-registration';
import { attachNavigationGuards } from './navigation-guard';
import { denyAllPermissions } from './permissions';
import { APP_ENTRY_URL, APP_SCHEME, mainWindowOptions } from './window-options';

// Electron glue only: every decision lives in a service or in a small tested module next to this file.

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => attachNavigationGuards(contents));

  app.whenReady().then(async () => {
    const rendererDir = join(__dirname, '..', 'dist', 'renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppPath(rendererDir, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        return new Response(await readFile(file), { headers: appResponseHeaders(file) });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    denyAllPermissions(session.defaultSession);

    services = createServices({ dataDir: app.getPath('userData') });
    const dispatch = createDispatcher(
      contract,
      {
        ...services.handlers,
        app: {
          openExternal: ({ url }: { url: string }) =>
            openExternalConfirmed(url, {
              confirm: async (target) => {
                const choice = await dialog.showMessageBox({
                  type: 'question',
                  buttons: ['Öffnen / Open', 'Abbrechen / Cancel'],
                  defaultId: 1,
                  cancelId: 1,
                  message: 'Diesen Link im Browser öffnen? / Open this link in the browser?',
                  detail: target.href,
                });
                return choice.response === 0;
              },
              open: (href) => shell.openExternal(href),
            }),
        },
      },
      { isTrustedSender, onUnexpectedError: (channel, err) => console.error(`[ipc] ${channel}:`, err) },
    );
    registerIpc(ipcMain, contract, dispatch);

    mainWindow = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs')));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
    await mainWindow.loadURL(APP_ENTRY_URL);
  });

  app.on('window-all-closed', () => {
    app.quit();
  });

  app.on('will-quit', () => {
    void services?.dispose();
  });
}
