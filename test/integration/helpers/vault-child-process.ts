import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

export interface VaultChild {
  /** Starts the child with the given mode; env is merged over process.env. */
  spawn(mode: 'open' | 'write-loop', file: string, keychainService: string, env?: Record<string, string>): ChildProcess;
  /** Runs mode 'open' to completion and returns its JSON answer. */
  openOnce(
    file: string,
    keychainService: string,
    env?: Record<string, string>,
  ): Promise<{ ok: boolean; code?: string }>;
  cleanup(): void;
}

/**
 * Bundles vault-child.ts into an ES module inside node_modules/.cache (so native packages such as keytar
 * and better-sqlite3-multiple-ciphers resolve from the repository) and runs it with plain node.
 */
export async function buildVaultChild(): Promise<VaultChild> {
  const cacheDir = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dir = mkdtempSync(join(cacheDir, 'ratsdesk-vault-child-'));
  const script = join(dir, 'vault-child.mjs');
  await build({
    entryPoints: [join(here, 'vault-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: script,
    logLevel: 'error',
  });
  const start: VaultChild['spawn'] = (mode, file, keychainService, env = {}) =>
    spawn(process.execPath, [script, mode, file, keychainService], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    spawn: start,
    openOnce(file, keychainService, env) {
      return new Promise((resolvePromise, reject) => {
        const child = start('open', file, keychainService, env);
        let out = '';
        let err = '';
        child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
        child.once('error', reject);
        child.once('exit', () => {
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (!line) reject(new Error(`vault child gave no answer: ${out} ${err}`));
          else resolvePromise(JSON.parse(line) as { ok: boolean; code?: string });
        });
      });
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
