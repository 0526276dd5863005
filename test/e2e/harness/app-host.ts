import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { contractRoutes } from '../../../scripts/contract-routes-plugin.mjs';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type Contract, channelOf, type EmitterOf } from '../../../electron/contract';
import { appResponseHeaders } from '../../../electron/main/app-protocol';
import type { Services, ServicesOptions } from '../../../electron/services/app-services';
import { nodeBase64, unwrapBytes, type WrappedBytes, wrapBytes } from './bytes-transport';
import type { PendingIntents } from '../../../electron/main/app-intents';
import { type HostRecords, startServiceHost } from './service-host';
import { documentWorkerFile } from '../../support/document-worker-file';

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
      // As the preload is built: the contract's names computed here, not its schemas built in the page.
      plugins: [contractRoutes()],
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
  otherRenderers: Readonly<Record<string, string>> = {},
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
    // `/<name>/…` of another build (otherRenderers), else this worktree's build.
    const [, first = '', ...rest] = url.pathname.split('/');
    const other = Object.hasOwn(otherRenderers, first) ? otherRenderers[first] : undefined;
    const dir = other ?? rendererDir;
    const path = other ? `/${rest.join('/')}` : url.pathname;
    const file = resolve(dir, `.${path === '/' ? '/index.html' : decodeURIComponent(path)}`);
    if (!file.startsWith(dir)) {
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

export interface AppHost extends HostRecords {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  services: Services;
  origin: string;
  dataDir: string;
  /** Requests the page made to anything other than the app's own origin. */
  foreignRequests: string[];
  /** Requests from outside the window (mailto:, notification clicks), as Electron's main process keeps them. */
  intents: PendingIntents;
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
  /** The browser's time zone (the person's, for dates shown in the renderer). */
  timezoneId?: string;
  /**
   * Other builds of the renderer, served under `/<name>/` beside this worktree's (`npm run bench -- startup`
   * compares another commit's renderer with this one over the same services and vault).
   */
  otherRenderers?: Readonly<Record<string, string>>;
}

/**
 * Hosts the real services in the test process and exposes the very same contract to Chromium:
 * the page talks to real Dovecot and the real keychain through the contract's schemas.
 */
export async function startAppHost(options: AppHostOptions = {}): Promise<AppHost> {
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
  let origin = '';
  // The document worker thread (text index, previews), built from the sources as `npm run build` builds it.
  const documentWorker = options.documentWorkerFile ?? (await documentWorkerFile());
  const host = startServiceHost(
    { ...options, documentWorkerFile: documentWorker },
    emit,
    (sender) => sender.isMainFrame && sender.url.startsWith(`${origin}/`),
  );
  const pendingBytes = new Map<string, Uint8Array>();
  const wrapResultBytes = (bytes: Uint8Array): WrappedBytes => {
    if (bytes.byteLength <= INLINE_BYTES_MAX) return { __ratsdeskBytes: nodeBase64.encode(bytes) };
    const key = randomUUID();
    pendingBytes.set(key, bytes);
    return { __ratsdeskBytesRef: `${BYTES_PATH}${key}` };
  };
  const served = await serveRenderer(pendingBytes, options.otherRenderers);
  const { server } = served;
  origin = served.origin;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    locale: options.locale ?? 'de-DE',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    viewport: { width: 1200, height: 800 },
  });
  const foreignRequests: string[] = [];
  context.on('request', (req) => {
    if (!req.url().startsWith(origin) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) {
      foreignRequests.push(req.url());
    }
  });
  await context.exposeBinding('__ratsdeskInvoke', async (source, channel: unknown, input: unknown) => {
    const decoded = await unwrapBytes(input, (w) =>
      '__ratsdeskBytes' in w ? nodeBase64.decode(w.__ratsdeskBytes) : new Uint8Array(0),
    );
    const result = await host.dispatch(
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
      return host.services;
    },
    origin,
    dataDir: host.dataDir,
    foreignRequests,
    externalOpens: host.externalOpens,
    savedFiles: host.savedFiles,
    risPages: host.risPages,
    pickedFiles: host.pickedFiles,
    languages: host.languages,
    unreadCounts: host.unreadCounts,
    prints: host.prints,
    intents: host.intents,
    emit,
    async open() {
      await page.goto(`${origin}/index.html`);
    },
    async restartServices() {
      await host.restart();
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
      await host.close();
    },
  };
}
