import { randomInt } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { openVault } from '../../electron/services/vault/vault';
import { buildVaultChild, childLines, type VaultChild } from './helpers/vault-child-process';
import { makeVaultFixture, sha512Hex, type VaultFixture } from './helpers/vault-fixture';

const KILLS = 20;

interface Journal {
  put: Set<string>;
  removing: Set<string>;
}

/**
 * Starts the writer and kills it with SIGKILL at a random moment: after 0–2 committed documents (so the
 * moment does not depend on the machine's speed), plus 0–150 ms into whatever it is writing then.
 */
function writeThenKill(child: VaultChild, fx: VaultFixture): Promise<Journal> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = child.spawn('write-loop', fx.file, fx.keychain.serviceName);
    const journal: Journal = { put: new Set(), removing: new Set() };
    const waitForPuts = randomInt(0, 3);
    let armed = false;
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(() => proc.kill('SIGKILL'), randomInt(0, 150));
    };
    const output = childLines(proc, (line) => {
      const [what, id] = line.split(' ');
      if (what === 'ready' && waitForPuts === 0) arm();
      else if (what === 'put' && id) {
        journal.put.add(id);
        if (journal.put.size >= waitForPuts) arm();
      } else if (what === 'rm-start' && id) journal.removing.add(id);
      else if (what === 'error') reject(new Error(line));
    });
    proc.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(journal);
      else reject(new Error(`writer exited with ${code}: ${output.stderr()}`));
    });
  });
}

let fx: VaultFixture;
let child: VaultChild;

beforeAll(async () => {
  child = await buildVaultChild();
  fx = makeVaultFixture();
});
afterAll(async () => {
  child.cleanup();
  await fx.cleanup();
});

describe('vault survives SIGKILL during writes', () => {
  test(`killed at ${KILLS} random moments: opens, integrity_check ok, only whole documents`, async () => {
    let totalPut = 0;
    for (let round = 0; round < KILLS; round++) {
      const journal = await writeThenKill(child, fx);
      totalPut += journal.put.size;
      const vault = await openVault({ file: fx.file, keychain: fx.keychain });
      try {
        expect(vault.integrityCheck(), `round ${round}`).toBe('ok');
        const cache = new DocumentCache(vault);
        const visible = cache.list();
        // Leftovers of the interrupted write (a temporary or uncommitted file) were swept: one file per document.
        expect(readdirSync(vault.documentsDir).length, `round ${round}`).toBe(visible.length);
        for (const meta of visible) {
          const { bytes } = cache.open(meta.id);
          expect(bytes.byteLength, `round ${round} ${meta.name}`).toBe(meta.size);
          expect(sha512Hex(bytes), `round ${round} ${meta.name}`).toBe(meta.sha512);
        }
        // Every commit the writer reported is durable (unless it was being removed).
        const ids = new Set(visible.map((m) => m.id));
        for (const id of journal.put)
          if (!journal.removing.has(id)) expect(ids.has(id), `round ${round}: ${id} lost`).toBe(true);
      } finally {
        vault.close();
      }
    }
    // The writer got going: documents were committed between the kills.
    expect(totalPut).toBeGreaterThan(0);
  }, 300_000); // 20 child processes: generous for a loaded CI machine; a quiet one needs ~15 s
});
