/** pdf.js's worker code for Node (loaded into the document worker thread, see pdf-text-extraction.ts). */
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
