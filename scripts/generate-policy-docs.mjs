#!/usr/bin/env node
// Writes the policy reference table into README.md (section "For IT departments") between
// <!-- policy-table:start --> and <!-- policy-table:end -->, and build/policy-template.json,
// all generated from the one policy schema in electron/contract/policy.ts.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'ratsdesk-policy-docs-'));
try {
  const out = join(tmp, 'policy-docs.mjs');
  await build({
    entryPoints: [join(root, 'electron/services/policy/policy-docs.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const docs = await import(pathToFileURL(out).href);
  const check = process.argv.includes('--check');
  let stale = false;
  const template = join(root, 'build/policy-template.json');
  const wantTemplate = docs.renderPolicyTemplate();
  const same = (a, b) => JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  if (!existsSync(template) || !same(readFileSync(template, 'utf8'), wantTemplate)) {
    stale = true;
    if (!check) writeFileSync(template, wantTemplate);
  }
  for (const file of ['README.md']) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const next = docs.replacePolicyTable(text);
    if (next === undefined) {
      console.warn(`${file}: no policy-table markers, skipped`);
      continue;
    }
    if (next !== text) {
      stale = true;
      if (!check) writeFileSync(path, next);
    }
  }
  if (check && stale) {
    console.error('policy docs are stale: run node scripts/generate-policy-docs.mjs');
    process.exitCode = 1;
  } else {
    console.log(check ? 'policy docs up to date' : 'policy docs written');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
