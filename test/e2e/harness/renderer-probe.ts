import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './app-host';

const here = dirname(fileURLToPath(import.meta.url));

export interface RendererProbe {
  page: Page;
  close(): Promise<void>;
}

/**
 * Renderer code that runs on its own in Debian's Chromium (no app around it): `entry` (a file under
 * test/e2e/probes/) is bundled for the browser and loaded into a blank page, where it puts what it exports on
 * `window.probe`. For the sanitizers, which use the browser's own HTML and CSS parsers.
 */
export async function openRendererProbe(entry: string): Promise<RendererProbe> {
  const out = await build({
    entryPoints: [join(here, '..', 'probes', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'probe',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext()).newPage();
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: out.outputFiles[0]?.text ?? '' });
  return { page, close: () => browser.close() };
}
