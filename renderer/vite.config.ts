import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { pdfjsStandardFonts } from '../scripts/vite-pdfjs-standard-fonts.mjs';

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
