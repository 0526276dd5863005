import type { Plugin } from 'esbuild';

export function contractRoutes(): Plugin;
