import { parentPort } from 'node:worker_threads';
import { isRatsdeskError } from '../../contract/errors';
import type { DocumentJob, DocumentJobResults, WorkerReply, WorkerRequest } from './document-worker-protocol';
import { officePreview, officeText } from './office-conversion';
import { pageTreeUpdate } from './pdf-page-tree';
import { extractPdfText } from './pdf-text-extraction';

/**
 * The document worker thread: reads documents that arrive as bytes (pdf.js text extraction, a PDF's balanced page tree, office previews
 * with mammoth and exceljs) and answers
 * with plain data. It never touches the vault, the disk or the network; the services' DocumentWorker
 * (document-worker-thread.ts) sends one job at a time and ends the thread when a job runs past its deadline.
 * Built as its own bundle (scripts/build-electron.mjs → dist-electron/document-worker.mjs).
 */
async function run(job: DocumentJob): Promise<DocumentJobResults[DocumentJob['kind']]> {
  switch (job.kind) {
    case 'pdf-text':
      return extractPdfText(job.bytes);
    case 'pdf-page-tree':
      return pageTreeUpdate(job.bytes);
    case 'office-preview':
      return officePreview(job.format, job.bytes);
    case 'office-text':
      return officeText(job.format, job.bytes);
  }
}

const port = parentPort;
if (!port) throw new Error('document-worker runs only as a worker thread');

// pdf.js inflates each FlateDecode stream through the web DecompressionStream when there is one: a zlib handle
// per stream. A thread ended (terminate) between such a handle's creation and its init aborts the whole process
// in Node's zlib cleanup ("close before init"; reproduced on Node 20 by ending threads that create them). This
// thread is ended on job deadlines and on dispose (lock, sign-out, quit), so pdf.js uses its own JavaScript
// inflate here: without DecompressionStream it falls back to it by itself.
delete (globalThis as { DecompressionStream?: unknown }).DecompressionStream;
port.on('message', (request: WorkerRequest) => {
  void run(request.job).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply),
    (err: unknown) => {
      const reply: WorkerReply = isRatsdeskError(err)
        ? { id: request.id, ok: false, code: err.code, detail: err.detail ?? '' }
        : {
            id: request.id,
            ok: false,
            code: 'DOCUMENT_UNREADABLE',
            detail: (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300),
          };
      port.postMessage(reply);
    },
  );
});
