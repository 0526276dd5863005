import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BINDING_FILE,
  ELECTRON_SQLITE_DIR,
  electronSqliteTarget,
  failureSentence,
  isCurrent,
  prepareElectronSqlite,
  readStamp,
  repoRoot,
} from '../../scripts/electron-sqlite.mjs';
import { electronSqliteBinding, ELECTRON_SQLITE_DIR as MAIN_DIR } from '../../electron/main/sqlite-binding';
import { openVault } from '../../electron/services/vault/vault';
import { makeVaultFixture } from './helpers/vault-fixture';

// `npm start`'s preparation of the Electron-ABI SQLite build, with the real tools (prebuild-install,
// node-gyp) against a loopback server standing in for GitHub's release downloads and Electron's header
// server: one that has nothing (this machine's situation: nothing can be fetched) and one that has the
// prebuilt archive.

const require = createRequire(import.meta.url);
const nodeBuild = join(
  repoRoot,
  'node_modules',
  'better-sqlite3-multiple-ciphers',
  'build',
  'Release',
  'better_sqlite3.node',
);
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let server: Server;
let origin: string;
const requests: string[] = [];
/** URL path → file served; everything else is 404. */
const served = new Map<string, string>();
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ratsdesk-esq-'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = served.get(req.url ?? '');
    if (file) res.writeHead(200, { 'Content-Type': 'application/gzip' }).end(readFileSync(file));
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(work, { recursive: true, force: true });
});

/** The tools' own settings for their download hosts and caches, all pointed at loopback and temp folders. */
function toolEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_config_')) delete env[k];
  return {
    ...env,
    npm_config_better_sqlite3_multiple_ciphers_binary_host: origin,
    npm_config_disturl: origin,
    npm_config_devdir: join(work, 'node-gyp-headers'),
    npm_config_cache: join(work, 'npm-cache'),
  };
}

describe('Electron build of the SQLite module for npm start', () => {
  test('where nothing can be fetched it says so in one sentence and leaves the Node build alone', async () => {
    const before = digest(nodeBuild);
    const outDir = join(work, 'nothing');
    requests.length = 0;
    const target = electronSqliteTarget();
    const r = await prepareElectronSqlite({ outDir, target, env: toolEnv(), quiet: true, log: () => undefined });
    expect(r).toEqual({ status: 'failed', reason: 'cannot-fetch', message: failureSentence('cannot-fetch', target) });
    // Both ways were tried: the prebuilt archive for Electron's ABI, then Electron's headers.
    expect(
      requests.some((u) => u.includes(`-electron-v${target.abi}-${process.platform}-${process.arch}.tar.gz`)),
    ).toBe(true);
    expect(requests.some((u) => u.includes(`/v${target.electron}/`) && u.includes('headers'))).toBe(true);
    expect(existsSync(join(outDir, 'stamp.json'))).toBe(false);
    expect(digest(nodeBuild)).toBe(before);
    // npm test's build still loads under Node.
    const Database = require('better-sqlite3-multiple-ciphers') as typeof import('better-sqlite3-multiple-ciphers');
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
  });

  test('npm start itself stops with that one sentence before building anything', async () => {
    // Asynchronously: this process serves the downloads start.mjs asks for.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
        cwd: repoRoot,
        env: { ...toolEnv(), RATSDESK_TEST_ELECTRON_SQLITE_DIR: join(work, 'start') },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status) => done({ status, stdout, stderr }));
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(failureSentence('cannot-fetch', electronSqliteTarget()));
    expect(lines.at(-1)).toMatch(/^npm start could not prepare the database module .* for Electron \d+\.\d+\.\d+: /);
    expect(r.stdout).not.toContain('vite');
    expect(r.stdout).not.toContain('built dist-electron');
  });

  test('a prebuilt binary for Electron is taken, stamped, and then counts as current', async () => {
    const target = electronSqliteTarget();
    const version = target.module.split('@').at(-1)!;
    // The archive prebuild-install looks for: build/Release/better_sqlite3.node inside a .tar.gz.
    const pack = join(work, 'pack');
    mkdirSync(join(pack, 'build', 'Release'), { recursive: true });
    copyFileSync(nodeBuild, join(pack, 'build', 'Release', BINDING_FILE));
    const archive = join(work, 'prebuilt.tar.gz');
    expect(spawnSync('tar', ['-czf', archive, '-C', pack, 'build']).status).toBe(0);
    const name = `better-sqlite3-multiple-ciphers-v${version}-electron-v${target.abi}-${target.platform}-${target.arch}.tar.gz`;
    served.set(`/v${version}/${name}`, archive);

    const outDir = join(work, 'prebuilt');
    expect(await prepareElectronSqlite({ outDir, target, env: toolEnv(), quiet: true, log: () => undefined })).toEqual({
      status: 'prebuilt',
    });
    expect(readStamp(outDir)).toEqual({ ...target, source: 'prebuilt' });
    expect(digest(join(outDir, BINDING_FILE))).toBe(digest(nodeBuild));
    expect(isCurrent(outDir, target)).toBe(true);

    requests.length = 0;
    expect(await prepareElectronSqlite({ outDir, target, env: toolEnv(), quiet: true })).toEqual({ status: 'current' });
    expect(requests).toEqual([]);
    // Another Electron (or module version) makes it stale.
    expect(isCurrent(outDir, { ...target, electron: '99.0.0', abi: '999' })).toBe(false);
    expect(isCurrent(outDir, { ...target, module: 'better-sqlite3-multiple-ciphers@0.0.1' })).toBe(false);

    // The main process finds it where the script put it, only for this Electron and ABI.
    // The main process finds it where the script puts it, only for this very Electron and ABI.
    expect(MAIN_DIR).toBe(ELECTRON_SQLITE_DIR);
    const appPath = mkdtempSync(join(tmpdir(), 'ratsdesk-app-'));
    const placed = join(appPath, ELECTRON_SQLITE_DIR);
    mkdirSync(placed, { recursive: true });
    copyFileSync(join(outDir, BINDING_FILE), join(placed, BINDING_FILE));
    copyFileSync(join(outDir, 'stamp.json'), join(placed, 'stamp.json'));
    const at = (versions: { electron?: string; modules?: string }, isPackaged = false) =>
      electronSqliteBinding({
        isPackaged,
        appPath,
        versions,
        readStamp: (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined),
        exists: existsSync,
      });
    expect(at({ electron: target.electron, modules: target.abi })).toEqual({ binding: join(placed, BINDING_FILE) });
    expect(at({ electron: target.electron, modules: '1' }).problem).toMatch(/npm start/);
    expect(at({ electron: '39.0.0', modules: target.abi }).problem).toMatch(/Electron 39\.0\.0/);
    expect(at({ electron: target.electron, modules: target.abi }, true)).toEqual({});
    expect(at({ modules: '115' })).toEqual({});
    rmSync(appPath, { recursive: true, force: true });
  });

  test('an Electron version node-abi does not know is named as such', async () => {
    const target = electronSqliteTarget({
      electronVersion: '999.0.0',
      getAbi: () => {
        throw new Error('Could not detect abi');
      },
    });
    expect(await prepareElectronSqlite({ outDir: join(work, 'unknown'), target, quiet: true })).toEqual({
      status: 'failed',
      reason: 'unknown-abi',
      message: failureSentence('unknown-abi', target),
    });
  });
});

describe('the vault opens the binding it is given', () => {
  test('nativeBinding: the named build is loaded; a missing one fails the open and writes nothing', async () => {
    const fx = makeVaultFixture();
    try {
      const vault = await openVault({ file: fx.file, keychain: fx.keychain, nativeBinding: nodeBuild });
      expect(vault.integrityCheck()).toBe('ok');
      vault.close();
      const other = join(fx.dir, 'other.db');
      await expect(
        openVault({ file: other, keychain: fx.keychain, nativeBinding: join(fx.dir, 'missing', BINDING_FILE) }),
      ).rejects.toThrow();
      expect(existsSync(other)).toBe(false);
    } finally {
      await fx.cleanup();
    }
  });
});
