/**
 * The authenticated data that stands for the document id in the chunks of a document's page-tree update file
 * (document-file-format.ts binds it into every chunk). The update shares the document's key, so its own id
 * keeps the two files apart: the update's file put in the document file's place, or the other way round,
 * fails to decrypt.
 */
export function pageTreeFileAad(documentId: string): string {
  return `${documentId}#page-tree`;
}
