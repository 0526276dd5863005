import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from './app-host';

/** The e2e tests drive the renderer as built for release: build it once per run. */
export async function setup(): Promise<void> {
  await build({ configFile: join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}
