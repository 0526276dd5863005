import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { resultsDir } from './app-host';

/** One axe rule that failed on a view: its id, how bad, and the elements (CSS selectors) it failed on. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  /** The language the view was shown in when it failed. */
  language: string;
  nodes: string[];
  help: string;
}

export interface AxeViewResult {
  /** Languages the view was checked in. */
  languages: string[];
  violations: AxeViolation[];
  /** Set when the view does not exist in the app yet: why it could not be checked. */
  notChecked?: string;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A/AA rules (BITV 2.0 / EN 301 549) plus axe's best practices. */
const RUN_ONLY = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface AxeRawResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * Runs axe-core inside the real page (the renderer as Chromium shows it, CSP and all: the script is put in
 * through the DevTools protocol, not as a page script) and answers the violations of the whole document.
 * The sandboxed HTML-mail frame is not entered: it runs no script by design, and its content is the sender's.
 */
export async function runAxe(page: Page): Promise<Omit<AxeViolation, 'language'>[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const raw = await page.evaluate(
    (tags) =>
      (
        globalThis as unknown as {
          axe: { run(ctx: unknown, opts: unknown): Promise<AxeRawResult> };
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] }),
    RUN_ONLY,
  );
  return raw.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
}

/** Collects axe results per named view over a test file and writes them to test-results/axe.json. */
export class AxeReport {
  readonly views: Record<string, AxeViewResult> = {};

  /** Checks the page as it is now, as `view` in `language`; answers the serious or critical violations. */
  async check(page: Page, view: string, language: string): Promise<AxeViolation[]> {
    const found = (await runAxe(page)).map((v) => ({ ...v, language }));
    const entry = (this.views[view] ??= { languages: [], violations: [] });
    if (!entry.languages.includes(language)) entry.languages.push(language);
    entry.violations.push(...found);
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /** Records a view that the app does not have yet: listed with the reason, never as passed. */
  notChecked(view: string, reason: string): void {
    this.views[view] = { languages: [], violations: [], notChecked: reason };
  }

  /** Merges into test-results/axe.json (views checked by other runs stay), one key per view. */
  write(file = join(resultsDir, 'axe.json')): void {
    mkdirSync(resultsDir, { recursive: true });
    let existing: Record<string, AxeViewResult> = {};
    try {
      existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, AxeViewResult>;
    } catch {
      // first run: no file yet
    }
    const merged = { ...existing };
    for (const [view, result] of Object.entries(this.views)) {
      const before = existing[view];
      // A view checked again in this run replaces its languages' earlier results.
      const kept = (before?.violations ?? []).filter((v) => !result.languages.includes(v.language));
      merged[view] = result.notChecked
        ? result
        : {
            languages: [...new Set([...(before?.languages ?? []), ...result.languages])].sort(),
            violations: [...kept, ...result.violations],
          };
    }
    const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  }
}
