import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { rendererDir, repoRoot } from './app-host';

/**
 * The e2e tests drive the renderer as built for release: build it once per run. RATSDESK_E2E_PREBUILT=1
 * uses the build already there (scripts/e2e-each-alone.mjs builds once for its many runs).
 */
export async function setup(): Promise<void> {
  if (process.env.RATSDESK_E2E_PREBUILT === '1' && existsSync(join(rendererDir, 'index.html'))) return;
  // vitest sets NODE_ENV=test, and Vite's build takes React's development build (StrictMode's double
  // mounts, the dev JSX runtime) when NODE_ENV says so: the tests would run another React than the app ships.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
