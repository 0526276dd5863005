// One bench file bundled to run under plain Node (`npm run bench`, and bench/mail.ts's MAIL_COMPARE build of
// another worktree's bench): packages stay external, resolved from next to the output file.
import { build } from 'esbuild';

/** One file bundled for plain Node as ESM; packages stay external (also the test helpers' child scripts). */
export const NODE_ESM_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
};

export async function bundleBench(entry, outfile) {
  await build({
    entryPoints: [entry],
    ...NODE_ESM_BUNDLE,
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
