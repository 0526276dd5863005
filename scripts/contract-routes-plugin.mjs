// esbuild plugin for the preload and the e2e page bridge: electron/contract/api-routes.ts is replaced by its
// value, computed here at build time from the contract itself. The window then learns the names of the
// contract's calls and events without building its zod schemas before the page's first script (#15 target 4).
import { build } from 'esbuild';

const ROUTES_FILE = /electron[\\/]contract[\\/]api-routes\.ts$/;

/** The routes of one api-routes.ts file, computed once per process. */
const computed = new Map();

async function routesOf(path) {
  if (!computed.has(path)) {
    computed.set(
      path,
      (async () => {
        // The module itself (it imports only the contract and zod), bundled for Node and run once.
        const out = await build({
          entryPoints: [path],
          bundle: true,
          platform: 'node',
          format: 'esm',
          write: false,
          logLevel: 'warning',
        });
        const code = out.outputFiles[0]?.text ?? '';
        const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
        return mod.apiRoutes;
      })(),
    );
  }
  return computed.get(path);
}

/** @returns {import('esbuild').Plugin} */
export function contractRoutes() {
  return {
    name: 'contract-routes',
    setup(b) {
      b.onLoad({ filter: ROUTES_FILE }, async (args) => ({
        contents: `export const apiRoutes = ${JSON.stringify(await routesOf(args.path))};\n`,
        loader: 'js',
      }));
    },
  };
}
