import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a static bundle loaded from app://ratsdesk/ (Electron) or a loopback server (e2e).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
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
