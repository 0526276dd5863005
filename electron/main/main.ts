import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  app,
  dialog,
  ipcMain,
  nativeImage,
  net,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import { channelOf, contract } from '../contract';
import { RatsdeskError } from '../contract/errors';
import { createDispatcher } from '../contract/dispatch';
import { createServices, type Services } from '../services/app-services';
import { doctorCli } from '../services/diagnostics/doctor-cli';
import { autoUpdater } from 'electron-updater';
import { startAutoUpdate } from './auto-update';
import { PolicyService } from '../services/policy/policy-service';
import { policyCouncilOrigins, policyDrivenOptions } from '../services/policy/policy-service-options';
import { doctorArgs } from './doctor-mode';
import { newMailNotificationText, notificationTarget } from './new-mail-notification';
import { meetingReminderNotificationText } from './meeting-reminder-notification';
import { attachHostLock } from './host-lock';
import { attachHostWake } from './host-wake';
import { holdQuitUntilDisposed } from './quit-sequence';
import { appResponseHeaders, resolveAppPath } from './app-protocol';
import { openExternalConfirmed } from './external-links';
import { isTrustedSender, registerIpc } from './ipc-registration';
import { type SaveDialogHost, saveDocumentWithDialog } from './save-document-dialog';
import { saveMeetingCalendarWithDialog } from './save-meeting-calendar-dialog';
import { attachNavigationGuards } from './navigation-guard';
import { denyAllPermissions } from './permissions';
import {
  RIS_PARTITION,
  askClientCertificateWith,
  attachClientCertificateSelection,
  createRisWebViewOpener,
  isRisContents,
} from './ris-web-view';
import { APP_ENTRY_URL, APP_SCHEME, MAIN_WINDOW_SIZE, mainWindowOptions } from './window-options';
import { refuseDangerousStart } from './command-line-guard';
import { createAppMenuHost } from './app-menu-host';
import { parseLicences } from './about-dialog';
import { electronSqliteBinding } from './sqlite-binding';
import { protectWindowsFromCapture } from './capture-protection';
import { badgePlan, createUnreadBadge, unreadDotBitmap } from './unread-badge';
import { parseWindowState, restoredWindowBounds, trackWindowState } from './window-state';
import { PendingIntents, mailtoIntent, takeIntentsUnlessLocked } from './app-intents';
import { mailtoFromArgv } from './mailto-url';
import { WINDOWS_DEFAULT_APPS_SETTINGS, isDefaultMailClient, makeDefaultMailClient } from './default-mail-client';
import { printContents } from './print-contents';
import { spellcheckPlan, textContextMenu } from './spellcheck';
import type { NewMail } from '../contract/mail-sync';
import type { MeetingReminderInfo } from '../contract/calendar';

// Electron glue only: every decision lives in a service or in a small tested module next to this file.

// First of all: no start with a debugger port, V8 flags or TLS key logging (see command-line-guard.ts).
refuseDangerousStart({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  writeError: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => app.exit(code),
});

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;

const doctor = doctorArgs(process.argv);
if (doctor) {
  // `ratsdesk --doctor`: print the helpdesk report and exit, without a window or the single-instance lock.
  app
    .whenReady()
    .then(async () =>
      app.exit(await doctorCli(doctor, undefined, { dataDir: app.getPath('userData') }).catch(() => 1)),
    );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // mailto: URLs and notification clicks wait here for the renderer (and for the unlock): app-intents.ts.
  const intents = new PendingIntents((count) =>
    mainWindow?.webContents.send(channelOf('app', 'intentsPending'), { count }),
  );
  const showWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const takeMailto = (url: string | undefined) => {
    const intent = url ? mailtoIntent(url) : undefined;
    if (intent) intents.push(intent);
  };
  // Windows and Linux start the app with the URL on the command line; a second start hands it over here.
  takeMailto(mailtoFromArgv(process.argv));
  app.on('second-instance', (_event, argv) => {
    showWindow();
    takeMailto(mailtoFromArgv(argv));
  });
  // macOS hands URLs over as an event, also before the app is ready.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    takeMailto(url);
    showWindow();
  });
  let lastNotification: Notification | undefined;

  // RIS web-view windows keep their own guards (navigation within the RIS origins): see ris-web-view.ts.
  app.on('web-contents-created', (_event, contents) => {
    if (!isRisContents(contents, session.fromPartition(RIS_PARTITION))) attachNavigationGuards(contents);
  });

  // The menu's print item follows the policy read at start (the print call itself checks it every time).
  let startPrintAllowed = false;
  const menu = createAppMenuHost(
    {
      Menu,
      showMessageBox: (window, options) =>
        window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options),
    },
    {
      platform: process.platform,
      packaged: app.isPackaged,
      printAllowed: () => startPrintAllowed,
      window: () => mainWindow,
      lock: () => void services?.appLock.lockFromHost('demand').catch(() => undefined),
      aboutFacts: () => ({
        appVersion: app.getVersion(),
        versions: process.versions,
        licences: (() => {
          try {
            return parseLicences(readFileSync(join(__dirname, 'licenses.json'), 'utf8'));
          } catch {
            return [];
          }
        })(),
      }),
    },
  );

  app.whenReady().then(async () => {
    // Our own menu before anything else: Electron's default one offers the developer tools.
    menu.apply();
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

    // The council system and the extra CAs come from the managed policy, read once at start; the services
    // read it again themselves for everything they apply on their own.
    const dataDir = app.getPath('userData');
    const startPolicy = await new PolicyService({ userSettingsFile: join(dataDir, 'user-settings.json') })
      .load()
      .catch(() => undefined);
    const driven = startPolicy ? policyDrivenOptions(startPolicy.values) : undefined;
    startPrintAllowed = startPolicy?.values.printAllowed ?? false;
    menu.apply();
    // Spell checking in German and English, never with dictionaries from a third-party server.
    const spelling = spellcheckPlan({
      platform: process.platform,
      dictionaryUrl: startPolicy?.values.spellcheckDictionaryUrl ?? null,
    });
    if (spelling.downloadUrl) session.defaultSession.setSpellCheckerDictionaryDownloadURL(spelling.downloadUrl);
    if (spelling.languages) session.defaultSession.setSpellCheckerLanguages([...spelling.languages]);
    session.defaultSession.setSpellCheckerEnabled(spelling.enabled);
    // Every window from now on; a policy that cannot be read at all protects them.
    protectWindowsFromCapture(app, startPolicy?.values.screenCaptureProtection ?? true);
    if (startPolicy) {
      startAutoUpdate(
        startPolicy.values,
        {
          isPackaged: app.isPackaged,
          exePath: app.getPath('exe'),
          platform: process.platform,
          env: process.env,
          onQuit: (listener) => app.once('quit', (_event, exitCode) => exitCode === 0 && listener()),
          fetch: (url) => net.fetch(url),
          onRefused: (verdict) => console.error('[update] not installed:', verdict),
        },
        () => autoUpdater,
      );
    }
    // Unpackaged runs load the Electron build of the SQLite module that `npm start` prepared.
    const sqlite = electronSqliteBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      versions: process.versions,
      readStamp: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
      exists: existsSync,
    });
    if (sqlite.problem) console.error('[vault]', sqlite.problem);
    services = createServices({
      dataDir,
      // The document worker's bundle is unpacked next to the archive in packaged builds (asarUnpack).
      documentWorkerFile: join(__dirname, 'document-worker.mjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'),
      ...(sqlite.binding ? { sqliteNativeBinding: sqlite.binding } : {}),
      ...(driven?.ris ? { ris: driven.ris } : {}),
      ...(driven ? { trust: driven.trust } : {}),
      // Contract events (new mail, sync progress, …) go to the app window only.
      emit: (domain, name, payload) => {
        mainWindow?.webContents.send(channelOf(domain, name), payload);
        if (domain === 'mailSync' && name === 'newMail' && Notification.isSupported()) {
          const mail = payload as NewMail;
          const text = newMailNotificationText(mail.count, menu.language);
          if (text) {
            // Kept referenced: a notification collected by the GC no longer reports its click.
            lastNotification = new Notification({ ...text, silent: false });
            const id = notificationTarget(mail.items);
            lastNotification.on('click', () => {
              showWindow();
              if (id !== undefined) intents.push({ kind: 'showMessage', id });
            });
            lastNotification.show();
          }
        }
        if (domain === 'calendar' && name === 'meetingReminder' && Notification.isSupported()) {
          // The payload passed the lock gate: while locked it names no meeting, and a click only shows the window.
          const reminder = payload as MeetingReminderInfo;
          lastNotification = new Notification({ ...meetingReminderNotificationText(reminder, menu.language) });
          lastNotification.on('click', () => {
            showWindow();
            if (reminder.meetingId) intents.push({ kind: 'showMeeting', id: reminder.meetingId });
          });
          lastNotification.show();
        }
      },
    });
    const appServices = services;
    // The native save dialog, as the save glue (documents, .ics export) asks for it.
    const saveDialogHost: SaveDialogHost = {
      showSaveDialog: (window, options) =>
        window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
    };
    const protocolClient = {
      setAsDefaultProtocolClient: (p: string, path?: string, args?: string[]) =>
        app.setAsDefaultProtocolClient(p, path, args),
      isDefaultProtocolClient: (p: string, path?: string, args?: string[]) =>
        app.isDefaultProtocolClient(p, path, args),
      openDefaultAppsSettings: () => shell.openExternal(WINDOWS_DEFAULT_APPS_SETTINGS),
    };
    const protocolHost = {
      platform: process.platform,
      isPackaged: app.isPackaged,
      execPath: process.execPath,
      appPath: app.getAppPath(),
    };
    const badge = createUnreadBadge(
      { app, createOverlay: () => nativeImage.createFromBitmap(unreadDotBitmap(), { width: 16, height: 16 }) },
      () => mainWindow,
    );
    const openRisPage = createRisWebViewOpener(
      { BrowserWindow, session },
      {
        origins: appServices.ris.allowedOrigins,
        storeDownload: (url, fileName) => appServices.ris.storeWebDownload(url, fileName),
        onDownloadFailed: (url, err) => console.error('[ris] download not stored:', url, err),
      },
    );
    // Locking closes the RIS windows and forgets their log-ins; client certificates are chosen, never guessed.
    appServices.appLock.onLock(() => void openRisPage.closeAll());
    attachClientCertificateSelection(app, {
      isRisWindow: (contents) => isRisContents(contents, session.fromPartition(RIS_PARTITION)),
      risOrigins: appServices.ris.allowedOrigins,
      policyOrigins: startPolicy ? policyCouncilOrigins(startPolicy) : [],
      issuer: startPolicy?.values.risClientCertificateIssuer ?? null,
      ask: askClientCertificateWith(
        (options) => (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options)),
        app.getLocale(),
      ),
    });
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
          pickAttachmentFiles: async () => {
            const picked = mainWindow
              ? await dialog.showOpenDialog(mainWindow, { properties: ['openFile', 'multiSelections'] })
              : await dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'] });
            if (picked.canceled) return [];
            return appServices.importAttachmentFiles(picked.filePaths);
          },
          openRisPage: ({ url }: { url: string }) => openRisPage(url),
          attachDroppedFiles: async ({ files }: { files: { name: string; bytes: Uint8Array }[] }) => {
            // Nothing goes into the vault while locked (before the dispatcher gates every host call too).
            if (appServices.appLock.isLocked) throw new RatsdeskError('APP_LOCKED');
            return appServices.importAttachmentBytes(files);
          },
          setLanguage: async ({ language }: { language: 'de' | 'en' }) => menu.setLanguage(language),
          takeIntents: async () => takeIntentsUnlessLocked(intents, () => appServices.appLock.isLocked),
          defaultMailClient: async () => ({
            isDefault: isDefaultMailClient(protocolClient, protocolHost),
            openedSystemSettings: false,
          }),
          setDefaultMailClient: () => makeDefaultMailClient(protocolClient, protocolHost),
          print: async () => {
            const allowed = await appServices.effectivePolicy().then(
              (p) => p.values.printAllowed,
              () => false,
            );
            return printContents(mainWindow?.webContents, allowed);
          },
          setUnreadCount: async ({ count }: { count: number }) => {
            const enabled = await appServices.effectivePolicy().then(
              (p) => p.values.unreadBadge,
              () => false,
            );
            badge(badgePlan(count, { platform: process.platform, enabled, language: menu.language }));
          },
          saveMeetingCalendar: (input: { meetingId?: string; language?: 'de' | 'en' }) =>
            saveMeetingCalendarWithDialog(appServices, saveDialogHost, mainWindow, input),
          saveDocumentAs: ({ id }: { id: string }) =>
            saveDocumentWithDialog(appServices, saveDialogHost, mainWindow, id),
        },
      },
      {
        isTrustedSender,
        // The app lock, in front of every channel (the host's app.* calls too).
        isLocked: () => appServices.appLock.isLockedNow(),
        onUnexpectedError: (channel, err) => console.error(`[ipc] ${channel}:`, err),
      },
    );
    registerIpc(ipcMain, contract, dispatch);
    // App lock on the OS screen lock, suspend and system-wide idle (the policy's idleLockMinutes).
    attachHostLock(appServices, powerMonitor);
    // After sleep the mail connection reconnects at once instead of waiting out its backoff.
    attachHostWake(appServices, powerMonitor);

    // Size, position and maximized state of the last run, always on a screen that is still there.
    const windowStateFile = join(dataDir, 'window-state.json');
    const restored = restoredWindowBounds(
      parseWindowState(existsSync(windowStateFile) ? readFileSync(windowStateFile, 'utf8') : undefined),
      screen.getAllDisplays().map((d) => d.workArea),
      screen.getPrimaryDisplay().workArea,
      MAIN_WINDOW_SIZE,
    );
    const preload = join(__dirname, 'preload.cjs');
    const windowHost = { packaged: app.isPackaged, bounds: restored.bounds };
    mainWindow = new BrowserWindow(mainWindowOptions(preload, windowHost));
    trackWindowState(mainWindow, (text) => writeFileSync(windowStateFile, text, { mode: 0o600 }));
    // Text fields get a context menu with the spell checker's suggestions and cut/copy/paste.
    const contents = mainWindow.webContents;
    contents.on('context-menu', (_event, params) => {
      const items = textContextMenu(params, menu.language, {
        replace: (word) => contents.replaceMisspelling(word),
        addToDictionary: (word) => contents.session.addWordToSpellCheckerDictionary(word),
      });
      if (items.length > 0) Menu.buildFromTemplate(items).popup({ window: mainWindow });
    });
    mainWindow.once('ready-to-show', () => {
      if (restored.maximized) mainWindow?.maximize();
      mainWindow?.show();
    });
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
    await mainWindow.loadURL(APP_ENTRY_URL);
  });

  app.on('window-all-closed', () => {
    app.quit();
  });

  // Quit waits (up to a deadline) for the services: IMAP logout, outbox state and vault close finish first.
  app.on(
    'will-quit',
    holdQuitUntilDisposed({
      dispose: () => services?.dispose() ?? Promise.resolve(),
      quit: () => app.quit(),
      onProblem: (what, err) => console.error(`[quit] services not closed cleanly (${what})`, err ?? ''),
    }),
  );
}
