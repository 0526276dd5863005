export function bundleBench(entry: string, outfile: string): Promise<string>;
