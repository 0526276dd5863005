import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Certificate,
  DownloadItem,
  MessageBoxOptions,
  Session,
  WebContents,
} from 'electron';
import { chooseClientCertificate, describeClientCertificate } from './client-certificate-choice';

/**
 * The sandboxed window for council-information (RIS) pages that have no OParl object: its own
 * in-memory session (the partition has no 'persist:' prefix, so cookies and cache vanish with the
 * app), no preload, no Node, sandboxed; navigation only within the RIS origins over https; popups
 * denied; downloads never reach the Downloads folder but go through the RIS fetcher into the vault.
 */

/** Not persistent: no 'persist:' prefix. */
export const RIS_PARTITION = 'ratsdesk-ris-web';

export function risWindowOptions(): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 800,
    show: false,
    title: 'Ratsinformation',
    autoHideMenuBar: true,
    webPreferences: {
      partition: RIS_PARTITION,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Never developer tools in a window that shows the council system's own pages and cookies.
      devTools: false,
      // No spell checker: in its own session it would fetch Hunspell dictionaries from Google's CDN.
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** An https URL on one of the RIS origins (no credentials in the URL). */
export function isRisUrl(url: string, origins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && origins.includes(u.origin);
}

export interface RisWebViewOptions {
  /** Origins of the RIS (web front end and OParl API). */
  origins: readonly string[];
  /** Fetches a download's URL through the RIS fetcher into the document cache. */
  storeDownload(url: string, fileName: string): Promise<unknown>;
  /** Told when a download could not be stored (for a notice in the app). */
  onDownloadFailed?(url: string, err: unknown): void;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
type GuardedSession = Pick<
  Session,
  'on' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Navigation stays on the RIS origins over https; no popups, no webviews. */
export function attachRisNavigationGuards(contents: GuardedContents, origins: readonly string[]): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isRisUrl(url, origins)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** No permissions; downloads are cancelled and fetched into the vault instead (RIS URLs only). */
export function hardenRisSession(session: GuardedSession, options: RisWebViewOptions): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item: DownloadItem) => {
    event.preventDefault();
    const url = item.getURL();
    if (!isRisUrl(url, options.origins)) return;
    options.storeDownload(url, item.getFilename()).catch((err: unknown) => options.onDownloadFailed?.(url, err));
  });
}

type ClearableSession = Pick<Session, 'clearStorageData' | 'clearCache' | 'clearAuthCache' | 'closeAllConnections'>;

export interface RisWebViewElectron {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => Pick<
    BrowserWindow,
    'loadURL' | 'once' | 'show' | 'destroy' | 'isDestroyed'
  > & {
    webContents: GuardedContents;
  };
  session: { fromPartition(partition: string): GuardedSession & ClearableSession };
}

/**
 * Opens `url` in a new RIS window; false (nothing opened) when the URL is not an https page of the
 * RIS. The session is hardened once per app run. `closeAll()` (on lock) closes every RIS window and
 * forgets the session's log-ins: cookies, storage, cache, HTTP auth, open connections.
 */
export function createRisWebViewOpener(electron: RisWebViewElectron, options: RisWebViewOptions) {
  let hardened = false;
  const open = new Set<InstanceType<RisWebViewElectron['BrowserWindow']>>();
  async function openRisPage(url: string): Promise<boolean> {
    if (!isRisUrl(url, options.origins)) return false;
    if (!hardened) {
      hardenRisSession(electron.session.fromPartition(RIS_PARTITION), options);
      hardened = true;
    }
    const win = new electron.BrowserWindow(risWindowOptions());
    open.add(win);
    win.once('closed', () => open.delete(win));
    attachRisNavigationGuards(win.webContents, options.origins);
    win.once('ready-to-show', () => win.show());
    await win.loadURL(url);
    return true;
  }
  async function closeAll(): Promise<void> {
    // destroy(), not close(): a page's beforeunload must not keep a window open behind the lock.
    for (const win of open) if (!win.isDestroyed()) win.destroy();
    open.clear();
    const session = electron.session.fromPartition(RIS_PARTITION);
    await Promise.allSettled([
      session.clearStorageData(),
      session.clearCache(),
      session.clearAuthCache(),
      session.closeAllConnections(),
    ]);
  }
  return Object.assign(openRisPage, { closeAll });
}

export interface ClientCertificateSelection {
  /** Whether these contents are a RIS window's (see isRisContents). */
  isRisWindow(contents: WebContents): boolean;
  risOrigins: readonly string[];
  /** RIS origins the machine policy named: only there the policy's issuer picks without asking. */
  policyOrigins: readonly string[];
  /** The machine policy's `risClientCertificateIssuer`. */
  issuer: string | null;
  /** Asks the person to choose one of the certificates, or none (undefined). */
  ask(url: string, candidates: Certificate[]): Promise<Certificate | undefined>;
}

type CertificateCallback = (certificate?: Certificate) => void;
type SelectClientCertificate = (
  event: { preventDefault(): void },
  contents: WebContents,
  url: string,
  list: Certificate[],
  callback: CertificateCallback,
) => void;

/**
 * Handles every client-certificate request of the app (Electron's default would hand the first certificate
 * to any page): the decision is client-certificate-choice.ts's, a question goes to the person.
 */
export function attachClientCertificateSelection(
  app: { on(event: 'select-client-certificate', listener: SelectClientCertificate): unknown },
  options: ClientCertificateSelection,
): void {
  app.on('select-client-certificate', (event, contents, url, list, callback) => {
    event.preventDefault();
    const decision = chooseClientCertificate({
      url,
      fromRisWindow: options.isRisWindow(contents),
      certificates: list,
      risOrigins: options.risOrigins,
      policyOrigins: options.policyOrigins,
      issuer: options.issuer,
      now: Date.now(),
    });
    if (decision.kind === 'use') callback(decision.certificate);
    else if (decision.kind === 'none') callback();
    else
      options.ask(url, decision.candidates).then(
        (chosen) => (chosen && decision.candidates.includes(chosen) ? callback(chosen) : callback()),
        () => callback(),
      );
  });
}

/** The question, as a message box: one button per certificate (the first ten), and "none" as the default. */
export function askClientCertificateWith(
  showMessageBox: (options: MessageBoxOptions) => Promise<{ response: number }>,
  language: string,
): ClientCertificateSelection['ask'] {
  return async (url, candidates) => {
    const shown = candidates.slice(0, 10);
    const none = language.startsWith('en') ? 'No certificate' : 'Kein Zertifikat';
    const host = new URL(url).host;
    const { response } = await showMessageBox({
      type: 'question',
      buttons: [...shown.map((c) => describeClientCertificate(c, language)), none],
      defaultId: shown.length,
      cancelId: shown.length,
      message: language.startsWith('en')
        ? `The council information system ${host} asks for a certificate. Which one should Ratsdesk present?`
        : `Das Ratsinformationssystem ${host} fragt nach einem Zertifikat. Welches soll Ratsdesk vorlegen?`,
    });
    return shown[response];
  };
}

/** For the app-wide guard: RIS windows have their own guards and must not get the app's. */
export function isRisContents(contents: Pick<WebContents, 'session'>, risSession: unknown): boolean {
  return contents.session === risSession;
}
