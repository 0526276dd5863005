import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

// The architecture's boundaries are lint rules (eslint.config.js); this proves the rules bite.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  test('a service that imports electron is rejected', async () => {
    expect(
      await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'electron/services/mail/probe.ts'),
    ).toContain('no-restricted-imports');
  });
  test('a service that imports the renderer is rejected', async () => {
    expect(
      await ruleIds(
        "import { App } from '../../../renderer/src/app/App';\nexport const a = App;\n",
        'electron/services/mail/probe.ts',
      ),
    ).toContain('no-restricted-imports');
  });
  test('only the vault opens SQLite: a domain that imports the driver is rejected, the vault may', async () => {
    const code = "import Database from 'better-sqlite3-multiple-ciphers';\nexport const a = Database;\n";
    expect(await ruleIds(code, 'electron/services/mail/probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'electron/services/vault/probe.ts')).toEqual([]);
  });
  test('the renderer may not import Node built-ins, services or electron', async () => {
    for (const spec of ['node:fs', 'fs', 'child_process', 'electron', '../../electron/services/app-services']) {
      expect(await ruleIds(`import x from '${spec}';\nexport const a = x;\n`, 'renderer/src/probe.ts'), spec).toContain(
        'no-restricted-imports',
      );
    }
  });
  test('the renderer may import the contract', async () => {
    expect(
      await ruleIds(
        "import { contract } from '../../electron/contract';\nexport const a = contract;\n",
        'renderer/src/probe.ts',
      ),
    ).toEqual([]);
  });
  test('the contract may not import Node built-ins', async () => {
    expect(
      await ruleIds("import { join } from 'node:path';\nexport const a = join;\n", 'electron/contract/probe.ts'),
    ).toContain('no-restricted-imports');
  });
});
