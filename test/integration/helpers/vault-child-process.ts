import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './node-child-bundle';

const here = dirname(fileURLToPath(import.meta.url));

export interface VaultChild {
  /** Starts the child with the given mode; env is merged over process.env. */
  spawn(
    mode: 'open' | 'write-loop' | 'row-loop',
    file: string,
    keychainService: string,
    env?: Record<string, string>,
  ): ChildProcess;
  /** Runs mode 'open' to completion and returns its JSON answer. */
  openOnce(
    file: string,
    keychainService: string,
    env?: Record<string, string>,
  ): Promise<{ ok: boolean; code?: string }>;
  cleanup(): void;
}

/** Calls `onLine` with each line the child prints on stdout; collects its stderr for the error message. */
export function childLines(proc: ChildProcess, onLine: (line: string) => void): { stderr(): string } {
  let buf = '';
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  });
  return { stderr: () => stderr };
}

/** Bundles vault-child.ts (bundleForNode) and runs it with plain node. */
export async function buildVaultChild(): Promise<VaultChild> {
  const { script, cleanup } = await bundleForNode(join(here, 'vault-child.ts'), 'vault-child');
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
    cleanup,
  };
}
