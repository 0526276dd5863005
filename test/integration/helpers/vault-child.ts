/**
 * Child process for vault tests that need a process of their own (bundled by vault-child-process.ts):
 *   open <file> <keychainService>        → opens the vault once, prints {"ok":true} or {"ok":false,"code":…}
 *   write-loop <file> <keychainService>  → prints "ready", then stores documents forever, printing
 *                                          "put <id>" after each commit, "rm-start <id>"/"rm <id>" around removals
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
  throw new Error(`unknown mode ${mode}`);
}

main().catch((err: unknown) => {
  say(`error ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
