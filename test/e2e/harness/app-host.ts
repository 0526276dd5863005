import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { contract } from '../../../electron/contract';
import { createDispatcher } from '../../../electron/contract/dispatch';
import { appResponseHeaders } from '../../../electron/main/app-protocol';
import { createServices, type Services, type ServicesOptions } from '../../../electron/services/app-services';

const here = dirname(fileURLToPath(import.meta.url));
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

/** Serves the built renderer on loopback with the same headers (CSP) as Electron's app:// handler. */
function serveRenderer(): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
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
  const makeServices = () => createServices({ ...options, dataDir, keychainService });
  let services = makeServices();
  const { server, origin } = await serveRenderer();
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
  let dispatch = createDispatcher(
    contract,
    { ...services.handlers, app: { openExternal: async () => false } },
    { isTrustedSender },
  );
  await context.exposeBinding('__ratsdeskInvoke', (source, channel: unknown, input: unknown) =>
    dispatch(
      { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() },
      String(channel),
      input,
    ),
  );
  await context.addInitScript({ content: await pageBridge() });
  const page = await context.newPage();

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
    async open() {
      await page.goto(`${origin}/index.html`);
    },
    async restartServices() {
      await services.dispose();
      services = makeServices();
      dispatch = createDispatcher(
        contract,
        { ...services.handlers, app: { openExternal: async () => false } },
        { isTrustedSender },
      );
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
    },
  };
}
