import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contract, contract, type EmitterOf } from '../../../electron/contract';
import { createDispatcher } from '../../../electron/contract/dispatch';
import { RatsdeskError } from '../../../electron/contract/errors';
import { PendingIntents, takeIntentsUnlessLocked } from '../../../electron/main/app-intents';
import { printContents } from '../../../electron/main/print-contents';
import { saveMeetingCalendarWithDialog } from '../../../electron/main/save-meeting-calendar-dialog';
import { createServices, type Services, type ServicesOptions } from '../../../electron/services/app-services';
import { saveDownloadedFile } from '../../../electron/services/documents/download-mark';

export type Sender = { url: string; isMainFrame: boolean };

/** What the host's own calls (app.*) were asked for: the test host opens no dialog and no window. */
export interface HostRecords {
  /** URLs the renderer asked to open in the system browser (app.openExternal). */
  externalOpens: string[];
  /** Files written by "Save as…" and the .ics export (app.saveDocumentAs, app.saveMeetingCalendar), into a temp folder. */
  savedFiles: string[];
  /** What the next "Attach file…" dialog answers (app.pickAttachmentFiles); emptied by it. */
  pickedFiles: string[];
  /** RIS pages the renderer asked to show in the sandboxed RIS window (app.openRisPage); Electron-only, recorded here. */
  risPages: string[];
  /** Languages the renderer gave the application menu (app.setLanguage), in order. */
  languages: string[];
  /** Unread counts the renderer gave the app-icon badge (app.setUnreadCount), in order. */
  unreadCounts: number[];
  /** What the renderer printed through the host (app.print): 'mail' or 'document', in order. */
  prints: string[];
}

export interface ServiceHost extends HostRecords {
  readonly services: Services;
  dataDir: string;
  /** Requests from outside the window (mailto:, notification clicks), as Electron's main process keeps them. */
  intents: PendingIntents;
  /** One contract call as the renderer sends it, through the same dispatcher Electron's main process uses. */
  dispatch(sender: Sender, channel: string, input: unknown): Promise<unknown>;
  /** Replaces the services by fresh ones over the same data folder, like an app restart. */
  restart(): Promise<void>;
  /** Forgets the account (keychain), disposes the services, removes the temp folders. */
  close(): Promise<void>;
}

/**
 * The real services behind the contract's dispatcher, with the host's own calls (app.*) answered the way a
 * test needs them: what the e2e app host puts behind Chromium, and what the renderer stores get in Node.
 */
export function startServiceHost(
  options: Partial<ServicesOptions>,
  emit: EmitterOf<Contract>,
  isTrustedSender: (sender: Sender) => boolean,
): ServiceHost {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-'));
  const keychainService = options.keychainService ?? `ratsdesk-e2e-${randomUUID()}`;
  const makeServices = () => createServices({ ...options, dataDir, keychainService, emit });
  const records: HostRecords = {
    externalOpens: [],
    savedFiles: [],
    pickedFiles: [],
    risPages: [],
    languages: [],
    unreadCounts: [],
    prints: [],
  };
  // mailto: requests and notification clicks: the test pushes them as Electron's main process would.
  const intents = new PendingIntents((count) => emit('app', 'intentsPending', { count }));
  const saveDir = mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-save-'));
  const hostHandlers = {
    openExternal: async ({ url }: { url: string }) => {
      records.externalOpens.push(url);
      return false;
    },
    // "Save as…" without a dialog: the test host answers the dialog with a file in its own temp folder.
    saveDocumentAs: async ({ id }: { id: string }) => {
      const doc = await services.documentForExport(id);
      const file = join(saveDir, `${records.savedFiles.length}-${doc.fileName}`);
      await saveDownloadedFile(file, doc.bytes, doc.source);
      records.savedFiles.push(file);
      return { saved: true };
    },
    // "Exportieren (.ics)": Electron's glue (save-meeting-calendar-dialog.ts), the dialog answered by a file in
    // the temp folder, named as the dialog proposed.
    saveMeetingCalendar: async (input: { meetingId?: string; language?: 'de' | 'en' }) => {
      let target = '';
      const result = await saveMeetingCalendarWithDialog(
        services,
        {
          showSaveDialog: async (_window, dialog) => {
            target = join(saveDir, `${records.savedFiles.length}-${dialog.defaultPath ?? 'kalender.ics'}`);
            return { canceled: false, filePath: target };
          },
        },
        undefined,
        input,
      );
      if (result.saved) records.savedFiles.push(target);
      return result;
    },
    // "Attach file…" without a dialog: the test sets what the person would pick.
    pickAttachmentFiles: async () => services.importAttachmentFiles(records.pickedFiles.splice(0)),
    attachDroppedFiles: async ({ files }: { files: { name: string; bytes: Uint8Array }[] }) => {
      if (services.appLock.isLocked) throw new RatsdeskError('APP_LOCKED');
      return services.importAttachmentBytes(files);
    },
    // The sandboxed RIS window is Electron-only (electron/main/ris-web-view.ts): the test host records the request.
    openRisPage: async ({ url }: { url: string }) => {
      records.risPages.push(url);
      return true;
    },
    // The application menu is Electron's: the test host records the language the renderer asked for.
    setLanguage: async ({ language }: { language: string }) => {
      records.languages.push(language);
    },
    // The badge on the app icon is Electron's: the test host records the counts the renderer reported.
    setUnreadCount: async ({ count }: { count: number }) => {
      records.unreadCounts.push(count);
    },
    takeIntents: async () => takeIntentsUnlessLocked(intents, () => services.appLock.isLocked),
    defaultMailClient: async () => ({ isDefault: false, openedSystemSettings: false }),
    setDefaultMailClient: async () => ({ isDefault: true, openedSystemSettings: false }),
    // Printing: the same policy check as Electron's; the "system dialog" records what was printed.
    print: async ({ what }: { what: 'mail' | 'document' }) => {
      const allowed = await services.effectivePolicy().then(
        (p) => p.values.printAllowed,
        () => false,
      );
      return printContents(
        {
          print: (_options, callback) => {
            records.prints.push(what);
            callback?.(true, '');
          },
        },
        allowed,
      );
    },
  };
  let services = makeServices();
  // The same gates as Electron's main process: sender, the app lock (in front of every channel), schemas.
  const isLocked = () => services.appLock.isLockedNow();
  const makeDispatch = () =>
    createDispatcher(contract, { ...services.handlers, app: hostHandlers }, { isTrustedSender, isLocked });
  let dispatch = makeDispatch();

  return {
    ...records,
    get services() {
      return services;
    },
    dataDir,
    intents,
    dispatch: (sender, channel, input) => dispatch(sender, channel, input),
    async restart() {
      await services.dispose();
      services = makeServices();
      dispatch = makeDispatch();
    },
    async close() {
      try {
        await services.account.forget();
      } catch {
        // the keychain entry may already be gone
      }
      await services.dispose();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(saveDir, { recursive: true, force: true });
    },
  };
}
