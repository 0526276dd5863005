import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REFUSED_EXIT_CODE } from '../../electron/main/command-line-guard';

// The real main-process bundle runs under Node with `require('electron')` answered by a recording
// stand-in (test/support/electron-main-stub.cjs): Electron itself cannot launch here.

const repo = resolve(__dirname, '../..');
const stub = join(repo, 'test/support/electron-main-stub.cjs');
let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-main-'));
  bundle = join(dir, 'main.cjs');
  await build({
    entryPoints: [join(repo, 'electron/main/main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    external: ['electron', 'keytar', 'better-sqlite3-multiple-ciphers', 'imapflow', 'mailparser', 'nodemailer'],
    nodePaths: [join(repo, 'node_modules')],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string> = {}) {
  const env0: Record<string, string | undefined> = { ...process.env, NODE_PATH: join(repo, 'node_modules') };
  delete env0.SSLKEYLOGFILE;
  Object.assign(env0, env);
  const r = spawnSync(process.execPath, ['-r', stub, bundle, ...args], {
    encoding: 'utf8',
    env: env0,
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('main process start', () => {
  test('a normal start takes the single-instance lock and waits for Electron to be ready', () => {
    const r = start([]);
    expect(r.stdout).toContain('[electron] app.requestSingleInstanceLock');
    expect(r.stdout).toContain('[electron] app.whenReady');
    expect(r.stdout).not.toContain('[electron] app.exit');
  });

  test.each([
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
    ['--inspect=9229'],
    ['--inspect-brk'],
    ['--js-flags=--allow-natives-syntax'],
    ['-remote-debugging-port=9222'],
  ])('refuses to start with %s, before it does anything else', (arg) => {
    const r = start([arg]);
    expect(r.status).toBe(REFUSED_EXIT_CODE);
    expect(r.stderr).toMatch(/Ratsdesk startet nicht mit --[a-z-]+.*Ratsdesk does not start with/);
    expect(r.stdout).not.toContain('requestSingleInstanceLock');
    expect(r.stdout).not.toContain('whenReady');
    expect(r.stdout).not.toContain('registerSchemesAsPrivileged');
  });

  test('refuses to start when Chromium would log the TLS session keys (SSLKEYLOGFILE)', () => {
    const r = start([], { SSLKEYLOGFILE: join(dir, 'keys.log') });
    expect(r.status).toBe(REFUSED_EXIT_CODE);
    expect(r.stderr).toContain('SSLKEYLOGFILE');
  });

  test('a mailto: URL after a bare -- is an argument, not a switch', () => {
    const r = start(['--', 'mailto:a@stadt.example?body=--inspect']);
    expect(r.stdout).toContain('[electron] app.requestSingleInstanceLock');
  });
});
