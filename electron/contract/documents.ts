import { z } from 'zod';
import { shownNameSchema } from './file-name';
import { call } from './define';

/**
 * The `documents` domain: the encrypted document cache (electron/services/documents). Bytes cross the
 * boundary only in memory (Uint8Array); "save as" asks the user for the target in the main process, so
 * a renderer never names a path.
 */

export const DocumentIdSchema = z.uuid();

export const DocumentSourceSchema = z.object({
  kind: z.enum(['url', 'message', 'upload']),
  /** A URL, or 'account/folder/uid/partId' for a mail attachment. */
  ref: z.string().min(1).max(8000),
});
export type DocumentSourceInfo = z.infer<typeof DocumentSourceSchema>;

export const DocumentTextInfoSchema = z.object({
  state: z.enum(['indexed', 'scanned', 'failed', 'unsupported']),
  pages: z.number().int().nonnegative(),
});
export type DocumentTextInfo = z.infer<typeof DocumentTextInfoSchema>;

export const DocumentMetaSchema = z.object({
  id: DocumentIdSchema,
  name: shownNameSchema(1000),
  mimeType: z.string().max(1000),
  size: z.number().int().nonnegative(),
  sha512: z.string().regex(/^[0-9a-f]{128}$/),
  source: DocumentSourceSchema,
  /** ISO 8601 */
  fetchedAt: z.string(),
  lastOpenedAt: z.string().nullable(),
  pinned: z.boolean(),
  pinnedUntil: z.string().nullable(),
  /**
   * What reading its text found (the list shows "kein Text (gescannt)"): absent while not read yet or where
   * no text index runs.
   */
  text: DocumentTextInfoSchema.optional(),
});
export type DocumentMetaInfo = z.infer<typeof DocumentMetaSchema>;

export const DocumentRefInputSchema = z.object({ id: DocumentIdSchema });

/** Bytes in memory only (Electron IPC carries Uint8Array by structured clone). */
export const DocumentBytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes');

export const OpenedDocumentSchema = z.object({
  meta: DocumentMetaSchema,
  /** The document's bytes, in memory only (Electron IPC carries Uint8Array by structured clone). */
  bytes: DocumentBytesSchema,
});
export type OpenedDocument = z.infer<typeof OpenedDocumentSchema>;

/**
 * A document opened to be read by ranges: its first bytes and, when those are not all of it, its last chunk
 * (`tail`, from byte `begin` to `viewSize`). A PDF's cross-reference table and trailer are at its end, and pdf.js
 * asks for them right after the head: sent together, that second round trip is saved.
 */
export const OpenedHeadSchema = OpenedDocumentSchema.extend({
  /**
   * The length the viewer reads (`readRange` serves up to it): `meta.size`, plus the PDF's page-tree update when
   * the document has one — a few KB that give pdf.js a balanced page tree (#15), appended only as the viewer
   * reads it; the stored file, "Speichern unter" and the checksum stay the original's.
   */
  viewSize: z.number().int().nonnegative(),
  tail: z.object({ begin: z.number().int().nonnegative(), bytes: DocumentBytesSchema }).optional(),
});
export type OpenedHead = z.infer<typeof OpenedHeadSchema>;

/** Bytes read per `readRange` call at most (a viewer asks for 1 MiB chunks; a few together at most). */
export const DOCUMENT_RANGE_MAX_BYTES = 16 * 1024 * 1024;

export const DocumentRangeInputSchema = z
  .object({
    id: DocumentIdSchema,
    /** First byte (inclusive) and end (exclusive) within the document. */
    begin: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  })
  .refine((r) => r.begin <= r.end && r.end - r.begin <= DOCUMENT_RANGE_MAX_BYTES, 'range');

export const PinInputSchema = z.object({
  id: DocumentIdSchema,
  /** ISO 8601; absent = pinned until unpinned. */
  until: z.iso.datetime().optional(),
});

export const StorageUsageSchema = z.object({
  usedBytes: z.number().int().nonnegative(),
  quotaBytes: z.number().int().positive(),
  count: z.number().int().nonnegative(),
});
export type StorageUsage = z.infer<typeof StorageUsageSchema>;

export const SaveAsResultSchema = z.object({
  /** false when the user cancelled the dialog. */
  saved: z.boolean(),
});
export type SaveAsResult = z.infer<typeof SaveAsResultSchema>;

/** One sheet of a spreadsheet preview: cells as shown text, bounded (the flags say what was left out). */
export const PreviewSheetSchema = z.object({
  name: z.string().max(200),
  rows: z.array(z.array(z.string().max(2000)).max(100)).max(2000),
  moreRows: z.boolean(),
  moreColumns: z.boolean(),
});
export type PreviewSheet = z.infer<typeof PreviewSheetSchema>;

/**
 * A read-only preview of an office or text file, made in the document worker thread: Word (.docx) as HTML
 * (the renderer sanitizes it like mail and shows it in a sandboxed frame), spreadsheets (.xlsx, .csv) as
 * bounded tables, plain text. `none`: no preview for this type (PDFs and images have their own viewers).
 */
export const DocumentPreviewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('html'), html: z.string().max(8_000_000) }),
  z.object({ kind: z.literal('sheets'), sheets: z.array(PreviewSheetSchema).max(50), moreSheets: z.boolean() }),
  z.object({ kind: z.literal('text'), text: z.string().max(2_000_000), more: z.boolean() }),
  z.object({ kind: z.literal('none') }),
]);
export type DocumentPreview = z.infer<typeof DocumentPreviewSchema>;

export const documents = {
  list: call(z.void(), z.array(DocumentMetaSchema)),
  open: call(DocumentRefInputSchema, OpenedDocumentSchema),
  pin: call(PinInputSchema, z.void()),
  /**
   * Opens a document to be read by ranges: its metadata and its first bytes (the whole document when it is
   * small, so `bytes.length === meta.size`), with its last chunk when that is not the head; records the time it
   * was opened. The PDF viewer asks for the rest with `readRange` as pdf.js needs it, so a 100 MB file shows its
   * first page after a few MiB.
   */
  openHead: call(DocumentRefInputSchema, OpenedHeadSchema),
  /**
   * Bytes `begin`..`end` (exclusive) of a document as the viewer reads it: its own bytes, then its page-tree
   * update when it has one (INVALID_INPUT beyond `viewSize` of `openHead`).
   */
  readRange: call(DocumentRangeInputSchema, DocumentBytesSchema),
  unpin: call(DocumentRefInputSchema, z.void()),
  remove: call(DocumentRefInputSchema, z.void()),
  usage: call(z.void(), StorageUsageSchema),
  /**
   * A read-only preview of an office or text file (DOCUMENT_PREVIEW_REFUSED for a file that is too large or
   * built to exhaust the reader, such as a zip bomb; DOCUMENT_UNREADABLE for a damaged one).
   */
  preview: call(DocumentRefInputSchema, DocumentPreviewSchema),
  /** Whether "Save as…" is allowed (a policy may forbid export); the host checks again on every save. */
  exportAllowed: call(z.void(), z.boolean()),
  /**
   * Deletes the vault, its WAL/SHM, the vault key and the account (settings and password): the app
   * returns to its first-run state.
   */
  removeAllLocalData: call(z.void(), z.void()),
  // "Save as…" is a host call (it shows a dialog): app.saveDocumentAs in ./app.ts.
};
