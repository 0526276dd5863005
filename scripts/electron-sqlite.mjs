// An Electron-ABI build of better-sqlite3-multiple-ciphers, kept NEXT TO the Node build that `npm install`
// made: `npm test` keeps loading the Node build from node_modules, the app started by `npm start` loads this
// one through better-sqlite3's `nativeBinding` option (electron/main/sqlite-binding.ts). Nothing flips back
// and forth. A stamp (Electron version, its ABI from node-abi, platform, arch, module version) says whether
// the build is current.
//
// How it is made, first what needs no compiler: prebuild-install fetches the module's prebuilt binary for
// Electron (GitHub releases; a mirror through npm_config_better_sqlite3_multiple_ciphers_binary_host);
// else node-gyp downloads Electron's headers (electronjs.org; a mirror through npm_config_disturl, or local
// headers through npm_config_nodedir) and compiles the module in a copy of its sources.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const MODULE = 'better-sqlite3-multiple-ciphers';
/** Where the Electron build lives (relative to the app folder); electron/main/sqlite-binding.ts reads it there. */
export const ELECTRON_SQLITE_DIR = join('node_modules', '.cache', 'ratsdesk-electron-sqlite');
export const BINDING_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'stamp.json';

const moduleDir = () => dirname(require.resolve(`${MODULE}/package.json`));

/** What the Electron build must match: the installed Electron, its ABI, this machine and the module version. */
export function electronSqliteTarget({
  electronVersion = require('electron/package.json').version,
  platform = process.platform,
  arch = process.arch,
  moduleVersion = JSON.parse(readFileSync(join(moduleDir(), 'package.json'), 'utf8')).version,
  getAbi = require('node-abi').getAbi,
} = {}) {
  let abi;
  try {
    abi = String(getAbi(electronVersion, 'electron'));
  } catch {
    abi = undefined;
  }
  return { electron: String(electronVersion), abi, platform, arch, module: `${MODULE}@${moduleVersion}` };
}

export function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The build in `dir` is current when its stamp names the same Electron, ABI, platform, arch and module. */
export function isCurrent(dir, target) {
  const stamp = readStamp(dir);
  if (!stamp || !existsSync(join(dir, BINDING_FILE))) return false;
  return ['electron', 'abi', 'platform', 'arch', 'module'].every((k) => stamp[k] === target[k]);
}

/** The one plain sentence for each way this can fail. */
export function failureSentence(reason, target) {
  const what = `npm start could not prepare the database module (${MODULE}) for Electron ${target.electron}`;
  switch (reason) {
    case 'unknown-abi':
      return `${what}: node-abi does not know this Electron version's ABI yet, so run npm update node-abi.`;
    case 'cannot-fetch':
      return (
        `${what}: neither its prebuilt binary (GitHub) nor Electron's headers (electronjs.org) could be downloaded, ` +
        'so run npm start once on a machine that reaches them, or set npm_config_disturl to a mirror of the headers.'
      );
    default:
      return `${what}: compiling it against Electron's headers failed (see node-gyp's output above; it needs python3, make and a C++ compiler).`;
  }
}

/** Runs a tool; quiet ones keep their output to themselves. Asynchronous: a caller may serve its downloads. */
function run(command, args, { cwd, env, quiet }) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env, stdio: quiet ? 'ignore' : 'inherit' });
    child.on('error', () => done({ ok: false }));
    child.on('exit', (code) => done({ ok: code === 0 }));
  });
}

/** A copy of the module's sources (without the Node build) to build in, so node_modules is never touched. */
function stageSources(workDir) {
  const src = moduleDir();
  const staged = join(workDir, MODULE);
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    if (existsSync(join(src, part))) cpSync(join(src, part), join(staged, part), { recursive: true });
  }
  return staged;
}

/**
 * Makes the Electron build current in `outDir` (default: ELECTRON_SQLITE_DIR in the repository). Returns
 * { status: 'current' | 'prebuilt' | 'compiled' } or { status: 'failed', reason, message }.
 * `env` is the environment of the tools (tests point their download hosts at loopback through it).
 */
export async function prepareElectronSqlite({
  outDir = join(repoRoot, ELECTRON_SQLITE_DIR),
  target = electronSqliteTarget(),
  env = process.env,
  quiet = false,
  log = (line) => console.log(line),
} = {}) {
  if (!target.abi) return { status: 'failed', reason: 'unknown-abi', message: failureSentence('unknown-abi', target) };
  if (isCurrent(outDir, target)) return { status: 'current' };
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(outDir, 'build-'));
  try {
    const staged = stageSources(workDir);
    const toolEnv = { ...env };
    // npm passes these to install scripts; here they would make prebuild-install skip its download.
    delete toolEnv.npm_config_build_from_source;
    log(`Preparing ${MODULE} for Electron ${target.electron} (ABI ${target.abi}) …`);
    const common = [`--target=${target.electron}`, `--arch=${target.arch}`];
    const prebuilt = await run(
      process.execPath,
      [
        require.resolve('prebuild-install/bin.js'),
        '--runtime=electron',
        ...common,
        `--platform=${target.platform}`,
        `--path=${staged}`,
      ],
      // Quiet: its one warning ("ENOTFOUND github.com") is no news when node-gyp takes over.
      { cwd: staged, env: toolEnv, quiet: true },
    );
    let source = 'prebuilt';
    if (!prebuilt.ok || !existsSync(join(staged, 'build', 'Release', BINDING_FILE))) {
      const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
      const distUrl = [`--dist-url=${toolEnv.npm_config_disturl || 'https://electronjs.org/headers'}`];
      const devDir = toolEnv.npm_config_devdir ? [`--devdir=${toolEnv.npm_config_devdir}`] : [];
      // Headers first, on their own: a failed download is "cannot fetch", a failed compile is something else.
      if (!toolEnv.npm_config_nodedir) {
        const headers = await run(process.execPath, [nodeGyp, 'install', ...common, ...distUrl, ...devDir], {
          cwd: staged,
          env: toolEnv,
          quiet: true,
        });
        if (!headers.ok) {
          return { status: 'failed', reason: 'cannot-fetch', message: failureSentence('cannot-fetch', target) };
        }
      }
      const compiled = await run(
        process.execPath,
        [nodeGyp, 'rebuild', '--release', ...common, ...distUrl, ...devDir],
        {
          cwd: staged,
          env: toolEnv,
          quiet,
        },
      );
      if (!compiled.ok || !existsSync(join(staged, 'build', 'Release', BINDING_FILE))) {
        return { status: 'failed', reason: 'compile', message: failureSentence('compile', target) };
      }
      source = 'compiled';
    }
    // The binding first, the stamp last: a stamp never names a binding that is not there.
    rmSync(join(outDir, STAMP_FILE), { force: true });
    renameSync(join(staged, 'build', 'Release', BINDING_FILE), join(outDir, BINDING_FILE));
    writeFileSync(join(outDir, STAMP_FILE), `${JSON.stringify({ ...target, source }, null, 2)}\n`);
    return { status: source };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
