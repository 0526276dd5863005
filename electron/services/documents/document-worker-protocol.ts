import type { ErrorCode } from '../../contract/errors';
import type { PdfText } from './pdf-text-extraction';

/**
 * Messages between the services and the document worker thread (document-worker.ts). Bytes cross as
 * transferred ArrayBuffers: nothing is copied, nothing is written anywhere.
 */
export type DocumentJob = { kind: 'pdf-text'; bytes: Uint8Array };

export interface DocumentJobResults {
  'pdf-text': PdfText;
}

export type DocumentJobResult<K extends DocumentJob['kind']> = DocumentJobResults[K];

export interface WorkerRequest {
  id: number;
  job: DocumentJob;
}

export type WorkerReply =
  | { id: number; ok: true; value: DocumentJobResults[DocumentJob['kind']] }
  | { id: number; ok: false; code: ErrorCode; detail: string };
