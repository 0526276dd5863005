import type { BuildOptions } from 'esbuild';

export const NODE_ESM_BUNDLE: BuildOptions;
export function bundleBench(entry: string, outfile: string): Promise<string>;
