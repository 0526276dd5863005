import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { CheckpointResult } from '../../electron/services/vault/vault-checkpointer';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { buildVaultChild, childLines, type VaultChild } from './helpers/vault-child-process';
import { makeVaultFixture, type VaultFixture } from './helpers/vault-fixture';

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** How many of this process's open file descriptors are the vault file (one per SQLite connection). */
function openHandles(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

/** This process's threads (Linux). */
const threads = () => readdirSync('/proc/self/task').length;

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function writeBatch(vault: Vault, batch: number, rows = 20): void {
  vault.transaction((db) => {
    const insert = db.prepare('INSERT INTO rows (batch, n, text) VALUES (?, ?, ?)');
    for (let n = 0; n < rows; n++) insert.run(batch, n, randomBytes(2048).toString('hex'));
  });
}

let fx: VaultFixture;
let child: VaultChild;
const open: Vault[] = [];

beforeAll(async () => {
  child = await buildVaultChild();
});
afterAll(() => child.cleanup());
afterEach(async () => {
  for (const v of open.splice(0)) v.close();
  await fx?.cleanup();
});

async function openWatched(steps?: { passiveBytes: number; restartBytes: number }) {
  fx = makeVaultFixture();
  const results: CheckpointResult[] = [];
  const vault = await openVault({
    file: fx.file,
    keychain: fx.keychain,
    onCheckpoint: (r) => results.push(r),
    ...(steps ? { checkpointSteps: steps } : {}),
  });
  open.push(vault);
  vault.transaction((db) => db.exec('CREATE TABLE rows (batch INTEGER, n INTEGER, text TEXT)'));
  return { vault, results };
}

describe('WAL checkpoints on the checkpoint thread', () => {
  test('the thread copies the WAL into the vault file, and once writes pause the WAL is cut back', async () => {
    const { vault, results } = await openWatched();
    expect(vault.checkpointsOffThread).toBe(true);
    // The thread starts with the first checkpoint: until then only this connection holds the vault file.
    expect(openHandles(fx.file)).toBe(1);
    const fileBefore = size(fx.file);
    let walPeak = 0;
    // ~16 MB of pages in batches of ~80 KB, the event loop turning between them (as the app's writers do).
    for (let batch = 0; batch < 200; batch++) {
      writeBatch(vault, batch);
      walPeak = Math.max(walPeak, size(`${fx.file}-wal`));
      await turn();
    }
    await until('a checkpoint', () => results.length > 0);
    // Now two connections hold the vault file: this one and the thread's.
    expect(openHandles(fx.file)).toBe(2);
    expect(results.every((r) => r.mode === 'PASSIVE')).toBe(true);
    // The writer's connection does not checkpoint automatically any more: only the thread moved pages.
    expect(results.some((r) => r.checkpointed > 0)).toBe(true);
    // Writes pause: one more passive copy (CATCH_UP_MS later) takes everything, so the next commit starts the
    // WAL anew and cuts it back. A copy's counts are those of the WAL when it began: wait until they stop coming.
    let count = -1;
    let since = Date.now();
    await until('a last, complete copy after the writes', () => {
      if (results.length !== count) [count, since] = [results.length, Date.now()];
      const last = results.at(-1);
      return Date.now() - since > 1500 && last !== undefined && last.log === last.checkpointed;
    });
    expect(size(fx.file)).toBeGreaterThan(fileBefore + 8_000_000);
    writeBatch(vault, 1000, 1);
    expect(walPeak).toBeGreaterThan(4 * 1024 * 1024);
    expect(size(`${fx.file}-wal`)).toBeLessThan(walPeak);
    expect(vault.guard((db) => db.pluck('SELECT count(*) FROM rows').get())).toBe(200 * 20 + 1);
  }, 120_000);

  test('a writer that never lets a passive copy finish is bounded by a RESTART checkpoint', async () => {
    const steps = { passiveBytes: 256 * 1024, restartBytes: 2 * 1024 * 1024 };
    const { vault, results } = await openWatched(steps);
    let walPeak = 0;
    for (let batch = 0; batch < 300; batch++) {
      writeBatch(vault, batch);
      walPeak = Math.max(walPeak, size(`${fx.file}-wal`));
      await turn();
    }
    await until('a RESTART checkpoint', () => results.some((r) => r.mode === 'RESTART'));
    // ~25 MB written; the WAL never held more than the RESTART step and one batch: the writer waited for it.
    expect(walPeak).toBeLessThan(steps.restartBytes + 256 * 1024);
    expect(vault.integrityCheck()).toBe('ok');
  }, 120_000);

  test('close ends the thread and its connection, then copies the rest: no WAL left, every row in the file', async () => {
    const { vault, results } = await openWatched();
    for (let batch = 0; batch < 80; batch++) {
      writeBatch(vault, batch);
      await turn();
    }
    await until('the thread to have copied', () => results.length > 0);
    expect(openHandles(fx.file)).toBe(2);
    const threadsWithIt = threads();
    vault.close();
    // The thread ended (a worker thread is invisible to process.getActiveResourcesInfo, hence the leak check).
    await until('the thread to end', () => threads() < threadsWithIt);
    expect(vault.checkpointsOffThread).toBe(false);
    // No connection of this process (the thread's included) holds the vault file any more.
    expect(openHandles(fx.file)).toBe(0);
    expect(existsSync(`${fx.file}-wal`)).toBe(false);
    const again = await openVault({ file: fx.file, keychain: fx.keychain });
    open.push(again);
    expect(again.guard((db) => db.pluck('SELECT count(*) FROM rows').get())).toBe(80 * 20);
    expect(again.integrityCheck()).toBe('ok');
  }, 60_000);
});

describe('SIGKILL while the thread copies', () => {
  test('every committed batch survives, the vault opens with integrity_check ok', async () => {
    fx = makeVaultFixture();
    for (let round = 0; round < 5; round++) {
      const committed = await new Promise<number>((resolve, reject) => {
        const proc = child.spawn('row-loop', fx.file, fx.keychain.serviceName);
        let last = -1;
        let checkpoints = 0;
        let armed = false;
        // Killed 0–100 ms after the 1st–4th copy was reported: mid-write and often mid-checkpoint.
        const killAfter = randomInt(1, 5);
        const output = childLines(proc, (line) => {
          if (line.startsWith('commit ')) last = Number(line.slice(7));
          else if (line === 'checkpoint' && ++checkpoints >= killAfter && !armed) {
            armed = true;
            setTimeout(() => proc.kill('SIGKILL'), randomInt(0, 100));
          } else if (line.startsWith('error')) reject(new Error(line));
        });
        proc.once('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolve(last);
          else reject(new Error(`writer exited with ${code}: ${output.stderr()}`));
        });
      });
      expect(committed, `round ${round}`).toBeGreaterThanOrEqual(0);
      const vault = await openVault({ file: fx.file, keychain: fx.keychain });
      try {
        expect(vault.integrityCheck(), `round ${round}`).toBe('ok');
        // Every batch the writer reported committed is there, and no batch is there in part.
        const rows = vault.guard((db) =>
          db
            .prepare<[], { batch: number; n: number }>('SELECT batch, count(*) AS n FROM kill_rows GROUP BY batch')
            .all(),
        );
        const byBatch = new Map(rows.map((r) => [r.batch, r.n]));
        for (let b = 0; b <= committed; b++) expect(byBatch.get(b), `round ${round} batch ${b}`).toBe(20);
        for (const [b, n] of byBatch) expect(n, `round ${round} batch ${b}`).toBe(20);
      } finally {
        vault.close();
      }
    }
  }, 300_000);
});
