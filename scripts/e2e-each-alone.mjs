// Runs every end-to-end test on its own, one vitest run per test (`npx vitest run --project e2e -t "<name>"`):
// proof that no test leans on what another test left behind. Builds the renderer once for all runs.
//
//   node scripts/e2e-each-alone.mjs            every e2e test
//   node scripts/e2e-each-alone.mjs lock       only tests whose file or name contains "lock"
//   node scripts/e2e-each-alone.mjs a b        … contains "a" or "b"
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const filters = process.argv.slice(2);
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024, ...options });
}

const listed = run('npx', ['vitest', 'list', '--project', 'e2e', '--json']);
if (listed.status !== 0) {
  console.error(listed.stderr);
  process.exit(1);
}
// A name that occurs more than once in its file (describe.each: one per language) is one run expecting that
// many passes: `-t` cannot tell them apart, and they share nothing but the name.
const counted = new Map();
for (const t of JSON.parse(listed.stdout)) {
  const file = relative(process.cwd(), t.file);
  const name = t.name.split(' > ').at(-1);
  const key = JSON.stringify([file, name]);
  const seen = counted.get(key);
  if (seen) seen.expected++;
  else counted.set(key, { file, name, expected: 1 });
}
const tests = [...counted.values()].filter(
  (t) => filters.length === 0 || filters.some((f) => t.file.includes(f) || t.name.includes(f)),
);
if (tests.length === 0) {
  console.error(`no e2e test matches ${filters.map((f) => `"${f}"`).join(' or ')}`);
  process.exit(1);
}

console.log('▶ build the renderer once');
if (run('npm', ['run', 'build:renderer'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const out = mkdtempSync(join(tmpdir(), 'ratsdesk-e2e-alone-'));
const failed = [];
for (const [i, t] of tests.entries()) {
  const report = join(out, `${i}.json`);
  const started = Date.now();
  // The test's own name, anchored at the end: the run may match it and nothing else in its file.
  const r = run(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'e2e',
      t.file,
      '-t',
      `${escapeRegExp(t.name)}$`,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { env: { ...env, RATSDESK_E2E_PREBUILT: '1' } },
  );
  let passed = 0;
  let failures = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failures = json.numFailedTests;
  } catch {
    failures = 1;
  }
  const ok = r.status === 0 && passed === t.expected && failures === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${ok ? '✓' : '✗'} [${i + 1}/${tests.length}] ${t.file} › ${t.name} (${seconds} s)`);
  if (!ok) {
    failed.push(t);
    console.log((r.stdout + r.stderr).split('\n').slice(-40).join('\n'));
  }
}
rmSync(out, { recursive: true, force: true });

console.log(`\n${tests.length - failed.length} of ${tests.length} e2e tests pass on their own.`);
for (const t of failed) console.log(`  ✗ ${t.file} › ${t.name}`);
process.exit(failed.length > 0 ? 1 : 0);
