// A Vite plugin for the renderer build (runs in Node, so it lives here and not under renderer/).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * pdf.js's data for the 14 standard PDF fonts (Helvetica, Times, …), which many generated PDFs use without
 * embedding them: shipped with the app under pdfjs/standard_fonts/ and fetched from 'self', so such PDFs
 * render with the same glyphs on every laptop instead of whatever system font happens to be installed.
 * @returns {import('vite').Plugin}
 */
export function pdfjsStandardFonts() {
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
