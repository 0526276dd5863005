/** What a cached document is, for the readers that understand it (text index, previews, the PDF viewer). */
export type DocumentKind = 'pdf' | 'docx' | 'xlsx' | 'csv' | 'text' | 'other';

const BY_MIME: Record<string, DocumentKind> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'text/plain': 'text',
};

const BY_EXTENSION: Record<string, DocumentKind> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  csv: 'csv',
  txt: 'text',
};

/**
 * The kind by MIME type, else (mail attachments often come as application/octet-stream) by the name's
 * extension. The readers check the bytes themselves: a name is only a hint.
 */
export function documentKindOf(name: string, mimeType: string): DocumentKind {
  const mime = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const byMime = BY_MIME[mime];
  if (byMime) return byMime;
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return BY_EXTENSION[extension] ?? 'other';
}
