// `npm start`: prepare the Electron build of the SQLite module (first run, or after Electron changed),
// build the renderer, main and preload, fetch Electron's binary on first use, launch the app.
// README "Run the app" says what each step needs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { prepareElectronSqlite } from './electron-sqlite.mjs';

const require = createRequire(import.meta.url);

// RATSDESK_TEST_ELECTRON_SQLITE_DIR is for tests only: they prepare into a temp folder (the app itself loads
// the build only from the default folder, electron/main/sqlite-binding.ts).
const sqlite = await prepareElectronSqlite({ outDir: process.env.RATSDESK_TEST_ELECTRON_SQLITE_DIR || undefined });
if (sqlite.status === 'failed') {
  console.error(sqlite.message);
  process.exit(1);
}

const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electronDir = dirname(require.resolve('electron/package.json'));
if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Fetching the Electron runtime for this platform (first start only) …');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', env });
  if (fetched.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
    console.error(
      'Electron could not be downloaded. npm start needs a connection to the Electron release downloads (or a local ' +
        'mirror set with ELECTRON_MIRROR) on its first run.',
    );
    process.exit(1);
  }
}
const electron = require('electron'); // the path of the binary
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
