import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * pdf.js's data for the 14 standard PDF fonts (Helvetica, Times, …), which many generated PDFs use without
 * embedding them: shipped with the app under pdfjs/standard_fonts/ and fetched from 'self', so such PDFs
 * render with the same glyphs on every laptop instead of whatever system font happens to be installed.
 */
function pdfjsStandardFonts(): Plugin {
  const dir = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts');
  return {
    name: 'ratsdesk-pdfjs-standard-fonts',
    generateBundle() {
      for (const name of readdirSync(dir)) {
        this.emitFile({
          type: 'asset',
          fileName: `pdfjs/standard_fonts/${name}`,
          source: readFileSync(join(dir, name)),
        });
      }
    },
  };
}

// The renderer is a static bundle loaded from app://ratsdesk/ (Electron) or a loopback server (e2e).
export default defineConfig({
  // the folder of this file (Vite provides import.meta.dirname to its configuration)
  root: import.meta.dirname,
  base: './',
  plugins: [react(), pdfjsStandardFonts()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // The CSP forbids inline scripts and styles: never inline modules or CSS.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
