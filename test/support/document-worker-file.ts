import { join } from 'node:path';
import { buildDocumentWorker, repoRoot } from '../../scripts/document-worker-build.mjs';

let built: Promise<string> | undefined;

/**
 * The document worker thread's module, built from the sources the way `npm run build` builds it (once per
 * test process, into node_modules/.cache so its packages resolve from the repository's node_modules).
 */
export function documentWorkerFile(): Promise<string> {
  return (built ??= buildDocumentWorker(
    join(repoRoot, 'node_modules/.cache/ratsdesk-document-worker', `document-worker-${process.pid}.mjs`),
  ));
}
