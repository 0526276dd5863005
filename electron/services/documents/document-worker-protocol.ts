import type { DocumentPreview } from '../../contract/documents';
import type { ErrorCode } from '../../contract/errors';
import type { OfficeFormat } from './office-conversion';
import type { PageTreeUpdate } from './pdf-page-tree';
import type { PdfText } from './pdf-text-extraction';

/**
 * Messages between the services and the document worker thread (document-worker.ts). Bytes cross as
 * transferred ArrayBuffers: nothing is copied, nothing is written anywhere.
 */
export type DocumentJob =
  | { kind: 'pdf-text'; bytes: Uint8Array }
  | { kind: 'pdf-page-tree'; bytes: Uint8Array }
  | { kind: 'office-preview'; format: OfficeFormat; bytes: Uint8Array }
  | { kind: 'office-text'; format: OfficeFormat; bytes: Uint8Array };

export interface DocumentJobResults {
  'pdf-text': PdfText;
  'pdf-page-tree': PageTreeUpdate;
  'office-preview': DocumentPreview;
  /** One text per "page" (a sheet of a workbook; a Word document is one). */
  'office-text': string[];
}

export type DocumentJobResult<K extends DocumentJob['kind']> = DocumentJobResults[K];

export interface WorkerRequest {
  id: number;
  job: DocumentJob;
}

export type WorkerReply =
  | { id: number; ok: true; value: DocumentJobResults[DocumentJob['kind']] }
  | { id: number; ok: false; code: ErrorCode; detail: string };
