import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { NODE_ESM_BUNDLE } from '../../../scripts/bench-bundle.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Bundles a TypeScript entry into an ES module inside node_modules/.cache (so native packages such as keytar
 * and better-sqlite3-multiple-ciphers resolve from the repository), to run with plain node in a process of
 * its own — one a test can SIGKILL.
 */
export async function bundleForNode(entry: string, name: string): Promise<{ script: string; cleanup(): void }> {
  const cacheDir = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dir = mkdtempSync(join(cacheDir, `ratsdesk-${name}-`));
  const script = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    ...NODE_ESM_BUNDLE,
    outfile: script,
    logLevel: 'error',
  });
  return { script, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
