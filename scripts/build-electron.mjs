// Bundles the Electron main process and the preload into dist-electron/ (CommonJS, as Electron's
// sandboxed preload requires). Native modules stay external and are rebuilt for Electron when packaging.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { contractRoutes } from './contract-routes-plugin.mjs';
import { buildDocumentWorker } from './document-worker-build.mjs';

// The Linux update-signing public key is built in (electron/main/update-signing-key.ts): replaced here at
// build time, always — empty when unset — so the running app never reads it from its environment.
const updatePublicKey = process.env.RATSDESK_UPDATE_PUBLIC_KEY ?? '';
if (process.env.RATSDESK_RELEASE === '1' && !updatePublicKey.includes('BEGIN PUBLIC KEY')) {
  console.error(
    'A release build needs RATSDESK_UPDATE_PUBLIC_KEY (the Ed25519 public key Linux updates are signed for).',
  );
  process.exit(1);
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'keytar', 'better-sqlite3-multiple-ciphers', 'imapflow', 'mailparser', 'nodemailer'],
  define: {
    'process.env.RATSDESK_UPDATE_PUBLIC_KEY': JSON.stringify(updatePublicKey),
    // CommonJS has no import.meta (esbuild would leave it empty and warn): code that also runs as an ES module
    // checks __filename first (vault-checkpointer.ts).
    'import.meta.url': 'undefined',
  },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist-electron/main.cjs' }),
  // The preload gets the contract's names computed at build time, not its schemas (contract-routes-plugin.mjs).
  build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'dist-electron/preload.cjs',
    plugins: [contractRoutes()],
  }),
  // The thread that reads documents (pdf.js text, office previews): an ES module of its own.
  buildDocumentWorker('dist-electron/document-worker.mjs'),
]);

// "Über Ratsdesk" lists what the app ships and under which licence: the runtime dependencies and Electron.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const licences = [...Object.keys(pkg.dependencies ?? {}), 'electron'].map((name) => {
  // Read from the folder: some packages do not export their package.json.
  const dep = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8'));
  return { name, version: String(dep.version), license: String(dep.license ?? 'see package') };
});
mkdirSync('dist-electron', { recursive: true });
writeFileSync('dist-electron/licenses.json', `${JSON.stringify(licences, null, 2)}\n`);
console.log(
  'built dist-electron/main.cjs, dist-electron/preload.cjs, dist-electron/document-worker.mjs and dist-electron/licenses.json',
);
