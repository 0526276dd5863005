/**
 * Child process for vault tests that need a process of their own (bundled by vault-child-process.ts):
 *   open <file> <keychainService>        → opens the vault once, prints {"ok":true} or {"ok":false,"code":…}
 *   write-loop <file> <keychainService>  → prints "ready", then stores documents forever, printing
 *                                          "put <id>" after each commit, "rm-start <id>"/"rm <id>" around removals
 *   row-loop <file> <keychainService>    → writes batches of rows into the vault's WAL forever (small checkpoint
 *                                          steps, so the checkpoint thread copies all the time), printing
 *                                          "commit <n>" after batch n committed (numbered on from the last run's) and "checkpoint" after each copy
 */
import { randomBytes, randomInt } from 'node:crypto';
import { writeSync } from 'node:fs';
import { isRatsdeskError } from '../../../electron/contract/errors';
import { DocumentCache } from '../../../electron/services/documents/document-cache';
import { KeychainService } from '../../../electron/services/keychain/keychain-service';
import { openVault } from '../../../electron/services/vault/vault';

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

async function main(): Promise<void> {
  const [mode, file, service] = process.argv.slice(2);
  if (!mode || !file || !service) throw new Error('usage: vault-child <mode> <file> <keychainService>');
  const keychain = new KeychainService(service);
  if (mode === 'open') {
    try {
      const vault = await openVault({ file, keychain });
      vault.close();
      say(JSON.stringify({ ok: true }));
    } catch (err) {
      say(JSON.stringify({ ok: false, code: isRatsdeskError(err) ? err.code : String(err) }));
    }
    return;
  }
  if (mode === 'write-loop') {
    const vault = await openVault({ file, keychain });
    const cache = new DocumentCache(vault);
    say('ready');
    for (let n = 0; ; n++) {
      // 1 KiB … 1.5 MiB: about a third of the documents span two 1 MiB chunks.
      const bytes = randomBytes(randomInt(1024, 1.5 * 1024 * 1024));
      const meta = cache.put({
        bytes,
        name: `dokument-${n}.pdf`,
        mimeType: 'application/pdf',
        source: { kind: 'url', ref: `https://ris.example.org/files/${process.pid}/${n}` },
      });
      say(`put ${meta.id}`);
      const all = cache.list();
      if (all.length > 5) {
        const oldest = all[all.length - 1];
        if (oldest) {
          say(`rm-start ${oldest.id}`);
          cache.remove(oldest.id);
          say(`rm ${oldest.id}`);
        }
      }
    }
  }
  if (mode === 'row-loop') {
    const vault = await openVault({
      file,
      keychain,
      checkpointSteps: { passiveBytes: 256 * 1024, restartBytes: 2 * 1024 * 1024 },
      onCheckpoint: () => say('checkpoint'),
    });
    vault.transaction((db) => db.exec('CREATE TABLE IF NOT EXISTS kill_rows (batch INTEGER, n INTEGER, text TEXT)'));
    // Batches are numbered on from the last run's, so each number is written by one run only.
    const first = vault.guard((db) => db.pluck<[], number>('SELECT coalesce(max(batch), -1) + 1 FROM kill_rows').get());
    say('ready');
    for (let batch = first ?? 0; ; batch++) {
      vault.transaction((db) => {
        const insert = db.prepare('INSERT INTO kill_rows (batch, n, text) VALUES (?, ?, ?)');
        for (let n = 0; n < 20; n++) insert.run(batch, n, randomBytes(2048).toString('hex'));
      });
      say(`commit ${batch}`);
      // The event loop turns, as the app's writers' do between batches: the thread's answers arrive.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((err: unknown) => {
  say(`error ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
