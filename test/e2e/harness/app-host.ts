import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type Contract, channelOf, contract, type EmitterOf } from '../../../electron/contract';
import { createDispatcher } from '../../../electron/contract/dispatch';
import { nodeBase64, unwrapBytes, type WrappedBytes, wrapBytes } from './bytes-transport';
import { appResponseHeaders } from '../../../electron/main/app-protocol';
import { createServices, type Services, type ServicesOptions } from '../../../electron/services/app-services';
import { PendingIntents, takeIntentsUnlessLocked } from '../../../electron/main/app-intents';
import { RatsdeskError } from '../../../electron/contract/errors';
import { printContents } from '../../../electron/main/print-contents';
import { saveDownloadedFile } from '../../../electron/services/documents/download-mark';

// This folder; when the harness is bundled elsewhere (bench/ runs a bundle), found from the working directory.
const moduleDir = dirname(fileURLToPath(import.meta.url));
const here = existsSync(join(moduleDir, 'page-bridge.ts')) ? moduleDir : resolve(process.cwd(), 'test/e2e/harness');
export const repoRoot = resolve(here, '../../..');
export const rendererDir = join(repoRoot, 'dist', 'renderer');
export const resultsDir = join(repoRoot, 'test-results');

export const CHROMIUM = process.env.RATSDESK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let bridgeScript: string | undefined;
async function pageBridge(): Promise<string> {
  if (!bridgeScript) {
    const out = await build({
      entryPoints: [join(here, 'page-bridge.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
    });
    bridgeScript = out.outputFiles[0]?.text ?? '';
  }
  return bridgeScript;
}

/** Bytes results larger than this go by reference over HTTP instead of inline base64 (bytes-transport.ts). */
const INLINE_BYTES_MAX = 64 * 1024;
const BYTES_PATH = '/__ratsdesk-bytes/';

/**
 * Serves the built renderer on loopback with the same headers (CSP) as Electron's app:// handler, and
 * large byte results of calls once each (in memory only) under BYTES_PATH.
 */
function serveRenderer(
  pendingBytes: Map<string, Uint8Array>,
): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (url.pathname.startsWith(BYTES_PATH)) {
      const key = url.pathname.slice(BYTES_PATH.length);
      const bytes = pendingBytes.get(key);
      pendingBytes.delete(key);
      if (!bytes) res.writeHead(404).end();
      else res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' }).end(bytes);
      return;
    }
    const file = resolve(rendererDir, `.${url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(rendererDir)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, appResponseHeaders(file)).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      ok({ server, origin: `http://127.0.0.1:${port}`, requests });
    }),
  );
}

export interface AppHost {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  services: Services;
  origin: string;
  dataDir: string;
  /** Requests the page made to anything other than the app's own origin. */
  foreignRequests: string[];
  /** URLs the page asked to open in the system browser (app.openExternal). */
  externalOpens: string[];
  /** Files written by "Save as…" (app.saveDocumentAs): the test host saves into a temp folder, no dialog. */
  savedFiles: string[];
  /** What the next "Attach file…" dialog answers (app.pickAttachmentFiles); emptied by it. */
  pickedFiles: string[];
  /** RIS pages the page asked to show in the sandboxed RIS window (app.openRisPage); Electron-only, recorded here. */
  risPages: string[];
  /** Languages the renderer gave the application menu (app.setLanguage), in order. */
  languages: string[];
  /** Requests from outside the window (mailto:, notification clicks), as Electron's main process keeps them. */
  intents: PendingIntents;
  /** What the page printed through the host (app.print): 'mail' or 'document', in order. */
  prints: string[];
  /** Unread counts the renderer gave the app-icon badge (app.setUnreadCount), in order. */
  unreadCounts: number[];
  /** Sends a contract event to the page, as Electron's main process does (e.g. an application-menu command). */
  emit: EmitterOf<Contract>;
  /** Opens (or re-opens, like a restart of the app) the renderer. */
  open(): Promise<void>;
  /** Replaces the services by fresh ones over the same data folder, like an app restart. */
  restartServices(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface AppHostOptions extends Partial<ServicesOptions> {
  locale?: string;
}

/**
 * Hosts the real services in the test process and exposes the very same contract to Chromium:
 * the page talks to real Dovecot and the real keychain through the contract's schemas.
 */
export async function startAppHost(options: AppHostOptions = {}): Promise<AppHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-'));
  const keychainService = options.keychainService ?? `ratsdesk-e2e-${randomUUID()}`;
  // Contract events reach the page like Electron's webContents.send: through the page bridge.
  const eventPage: { current?: Page } = {};
  const emit: EmitterOf<Contract> = (domain, name, payload) => {
    const channel = channelOf(domain, name);
    void eventPage.current
      ?.evaluate(
        ([c, p]) => (globalThis as unknown as { __ratsdeskEmit(c: unknown, p: unknown): void }).__ratsdeskEmit(c, p),
        [channel, wrapBytes(payload, wrapResultBytes)] as const,
      )
      .catch(() => undefined);
  };
  const makeServices = () => createServices({ ...options, dataDir, keychainService, emit });
  /** URLs the page asked the host to open externally (the test host never opens them). */
  const externalOpens: string[] = [];
  const openExternal = async ({ url }: { url: string }) => {
    externalOpens.push(url);
    return false;
  };
  // "Save as…" without a dialog: the test host answers the dialog with a file in its own temp folder.
  const saveDir = mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-save-'));
  const savedFiles: string[] = [];
  const saveDocumentAs = async ({ id }: { id: string }) => {
    const doc = await services.documentForExport(id);
    const file = join(saveDir, `${savedFiles.length}-${doc.fileName}`);
    await saveDownloadedFile(file, doc.bytes, doc.source);
    savedFiles.push(file);
    return { saved: true };
  };
  // "Attach file…" without a dialog: the test sets what the person would pick.
  const pickedFiles: string[] = [];
  const pickAttachmentFiles = async () => services.importAttachmentFiles(pickedFiles.splice(0));
  const attachDroppedFiles = async ({ files }: { files: { name: string; bytes: Uint8Array }[] }) => {
    if (services.appLock.isLocked) throw new RatsdeskError('APP_LOCKED');
    return services.importAttachmentBytes(files);
  };
  // The sandboxed RIS window is Electron-only (electron/main/ris-web-view.ts): the test host records the request.
  const risPages: string[] = [];
  const openRisPage = async ({ url }: { url: string }) => {
    risPages.push(url);
    return true;
  };
  // The application menu is Electron's: the test host records the language the renderer asked for.
  const languages: string[] = [];
  const setLanguage = async ({ language }: { language: string }) => {
    languages.push(language);
  };
  // The badge on the app icon is Electron's: the test host records the counts the renderer reported.
  const unreadCounts: number[] = [];
  const setUnreadCount = async ({ count }: { count: number }) => {
    unreadCounts.push(count);
  };
  // mailto: requests and notification clicks: the test pushes them as Electron's main process would.
  const intents = new PendingIntents((count) => emit('app', 'intentsPending', { count }));
  const takeIntents = async () => takeIntentsUnlessLocked(intents, () => services.appLock.isLocked);
  const defaultMailClient = async () => ({ isDefault: false, openedSystemSettings: false });
  const setDefaultMailClient = async () => ({ isDefault: true, openedSystemSettings: false });
  // Printing: the same policy check as Electron's; the "system dialog" records what was printed.
  const prints: string[] = [];
  const print = async ({ what }: { what: 'mail' | 'document' }) => {
    const allowed = await services.effectivePolicy().then(
      (p) => p.values.printAllowed,
      () => false,
    );
    return printContents(
      {
        print: (_options, callback) => {
          prints.push(what);
          callback?.(true, '');
        },
      },
      allowed,
    );
  };
  const hostHandlers = {
    openExternal,
    saveDocumentAs,
    pickAttachmentFiles,
    attachDroppedFiles,
    openRisPage,
    setLanguage,
    setUnreadCount,
    takeIntents,
    defaultMailClient,
    setDefaultMailClient,
    print,
  };
  let services = makeServices();
  const pendingBytes = new Map<string, Uint8Array>();
  const wrapResultBytes = (bytes: Uint8Array): WrappedBytes => {
    if (bytes.byteLength <= INLINE_BYTES_MAX) return { __ratsdeskBytes: nodeBase64.encode(bytes) };
    const key = randomUUID();
    pendingBytes.set(key, bytes);
    return { __ratsdeskBytesRef: `${BYTES_PATH}${key}` };
  };
  const { server, origin } = await serveRenderer(pendingBytes);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    locale: options.locale ?? 'de-DE',
    viewport: { width: 1200, height: 800 },
  });
  const foreignRequests: string[] = [];
  context.on('request', (req) => {
    if (!req.url().startsWith(origin) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) {
      foreignRequests.push(req.url());
    }
  });
  const isTrustedSender = (sender: { url: string; isMainFrame: boolean }) =>
    sender.isMainFrame && sender.url.startsWith(`${origin}/`);
  // The same gates as Electron's main process: sender, the app lock (in front of every channel), schemas.
  const isLocked = () => services.appLock.isLockedNow();
  let dispatch = createDispatcher(contract, { ...services.handlers, app: hostHandlers }, { isTrustedSender, isLocked });
  await context.exposeBinding('__ratsdeskInvoke', async (source, channel: unknown, input: unknown) => {
    const decoded = await unwrapBytes(input, (w) =>
      '__ratsdeskBytes' in w ? nodeBase64.decode(w.__ratsdeskBytes) : new Uint8Array(0),
    );
    const result = await dispatch(
      { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() },
      String(channel),
      decoded,
    );
    return wrapBytes(result, wrapResultBytes);
  });
  await context.addInitScript({ content: await pageBridge() });
  const page = await context.newPage();
  eventPage.current = page;

  return {
    page,
    context,
    browser,
    get services() {
      return services;
    },
    origin,
    dataDir,
    foreignRequests,
    externalOpens,
    savedFiles,
    risPages,
    pickedFiles,
    languages,
    unreadCounts,
    intents,
    prints,
    emit,
    async open() {
      await page.goto(`${origin}/index.html`);
    },
    async restartServices() {
      await services.dispose();
      services = makeServices();
      dispatch = createDispatcher(contract, { ...services.handlers, app: hostHandlers }, { isTrustedSender, isLocked });
    },
    async screenshot(name: string) {
      mkdirSync(resultsDir, { recursive: true });
      const file = join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
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
