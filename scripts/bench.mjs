// `npm run bench -- <name>`: runs bench/<name>.ts, whose `run()` starts the servers it needs, measures its
// baseline in the same run and returns its figures; prints them as one JSON line (also kept in bench/results/).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleBench } from './bench-bundle.mjs';

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const available = readdirSync('bench')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const outDir = resolve('bench/results/.build');
mkdirSync(outDir, { recursive: true });
for (const name of names) {
  const outfile = join(outDir, `${name}.mjs`);
  await bundleBench(`bench/${name}.ts`, outfile);
  const mod = await import(pathToFileURL(outfile).href);
  const figures = await mod.run();
  const line = JSON.stringify(figures);
  writeFileSync(join('bench/results', `${name}.json`), `${line}\n`);
  console.log(line);
}
process.exit(0);
