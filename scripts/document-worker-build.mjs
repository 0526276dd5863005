// Bundles the document worker thread (electron/services/documents/document-worker.ts) as one self-contained
// ES module (pdf.js for Node is an ES module): the readers it uses (pdf.js, mammoth, exceljs, yauzl) are in
// the bundle, so the packaged app runs it from outside the asar archive (electron-builder.config.cjs,
// asarUnpack) without node_modules next to it. `npm run build` writes dist-electron/document-worker.mjs;
// tests and benchmarks build the same bundle into node_modules/.cache.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// This file's folder is scripts/; bundled into a benchmark elsewhere, the repository is the working directory.
const besideScripts = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = existsSync(join(besideScripts, 'package.json')) ? besideScripts : process.cwd();
export const DOCUMENT_WORKER_ENTRY = join(repoRoot, 'electron/services/documents/document-worker.ts');

/** Builds the worker into `outfile` (written under a temporary name and renamed: parallel builds never see half a file). */
export async function buildDocumentWorker(outfile) {
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp.mjs`;
  await build({
    entryPoints: [DOCUMENT_WORKER_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    logLevel: 'warning',
    outfile: tmp,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  renameSync(tmp, outfile);
  return outfile;
}
