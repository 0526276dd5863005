export const repoRoot: string;
export const DOCUMENT_WORKER_ENTRY: string;
export function buildDocumentWorker(outfile: string): Promise<string>;
