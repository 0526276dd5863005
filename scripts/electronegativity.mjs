// Runs Doyensec's Electronegativity over the Electron code and the renderer's HTML, and fails on any
// finding that is not in the reviewed allow-list (scripts/electronegativity-allowlist.json).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const mod = require('@doyensec/electronegativity');
const run = mod.default ?? mod;
const electronVersion = require('electron/package.json').version;
const { allowed } = JSON.parse(readFileSync(new URL('./electronegativity-allowlist.json', import.meta.url), 'utf8'));

// Scan a copy holding exactly what ships: the Electron code and the renderer's HTML entry.
const input = mkdtempSync(join(tmpdir(), 'ratsdesk-eneg-'));
cpSync('electron', join(input, 'electron'), { recursive: true });
cpSync('renderer/index.html', join(input, 'renderer/index.html'));
cpSync('package.json', join(input, 'package.json'));

const silence = console.log;
console.log = () => undefined; // the scanner prints progress and a connectivity notice; keep the output to findings
let result;
try {
  result = await run({ input, isRelative: true, electronVersion });
} finally {
  console.log = silence;
  rmSync(input, { recursive: true, force: true });
}

const findings = result.issues ?? [];
const used = new Set();
const unexpected = findings.filter((f) => {
  const file = String(f.file ?? '');
  const sample = String(f.sample ?? '');
  const match = allowed.findIndex((a) => a.id === f.id && file.endsWith(a.file) && sample.includes(a.sample));
  if (match >= 0) used.add(match);
  return match < 0;
});
if (result.errors?.length) {
  for (const e of result.errors) console.error(`electronegativity could not parse ${e.file}: ${e.message ?? e}`);
  process.exitCode = 1;
}
for (const f of unexpected) {
  console.error(
    `electronegativity: ${f.id} (${f.severity?.name}/${f.confidence?.name}) in ${f.file}:${f.location?.line ?? '?'}: ${f.description}`,
  );
}
const stale = allowed.filter((_, i) => !used.has(i));
for (const a of stale)
  console.error(`electronegativity allow-list entry no longer matches anything (remove it): ${a.id} ${a.file}`);
if (unexpected.length || stale.length) process.exitCode = 1;
else console.log(`electronegativity: ${findings.length} finding(s), all in the reviewed allow-list`);
