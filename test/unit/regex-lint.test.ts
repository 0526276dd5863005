import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

// Issue #10 item 2: super-linear regular expressions over untrusted text are a lint error in electron/ and
// renderer/ (eslint.config.js). This proves the rule bites on the patterns that froze the app, and lets a
// linear rewrite through.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const QUADRATIC = [
  "export const f = (s: string) => s.replace(/[\\s.]+$/, '');", // sanitizeFilename at 224c2a6
  "export const f = (s: string) => s.replace(/[.,;:!?)\\]}*_]+$/, '');", // link recognizer at 224c2a6
  'export const f = (s: string) => s.match(/[^\\s<>,;"]+@[^\\s<>,;"]+/g);', // raw address fallback
  'export const f = (s: string) => /^\\s*re\\s*(?:\\[\\d+\\])?\\s*:/i.test(s);', // reply prefix
  'export const f = (s: string) => /^(a+)+$/.test(s);', // the textbook exponential case
];

describe('regular-expression lint rule', () => {
  for (const file of [
    'electron/services/mail/probe.ts',
    'electron/main/probe.ts',
    'electron/contract/probe.ts',
    'renderer/src/features/mail/probe.ts',
  ]) {
    test(`rejects super-linear backtracking in ${file.split('/').slice(0, 2).join('/')}`, async () => {
      for (const code of QUADRATIC) {
        const ids = await ruleIds(`${code}\n`, file);
        expect(
          ids.some((id) => id === 'regexp/no-super-linear-backtracking' || id === 'regexp/no-super-linear-move'),
          code,
        ).toBe(true);
      }
    });
  }

  test('lets linear patterns through', async () => {
    expect(
      await ruleIds("export const f = (s: string) => s.split(/[\\s,]+/).join(' ');\n", 'electron/services/x.ts'),
    ).toEqual([]);
  });
});
