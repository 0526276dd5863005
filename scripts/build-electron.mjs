// Bundles the Electron main process and the preload into dist-electron/ (CommonJS, as Electron's
// sandboxed preload requires). Native modules stay external and are rebuilt for Electron when packaging.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'keytar', 'better-sqlite3-multiple-ciphers', 'imapflow', 'mailparser', 'nodemailer'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist-electron/main.cjs' }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist-electron/preload.cjs' }),
]);
console.log('built dist-electron/main.cjs and dist-electron/preload.cjs');
