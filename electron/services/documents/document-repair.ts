import { RatsdeskError } from '../../contract/errors';
import type { ReadableDB, VaultDoor } from '../vault/vault-db';
import { DOCUMENT_FILE_CHUNK_BYTES, newDocumentFileId, newDocumentKey } from './document-file-format';
import type { DocumentFiles } from './document-files';
import {
  attachDocumentFile,
  deleteDocument,
  documentById,
  documentFiles,
  type DocumentRow,
  dropPageTree,
  legacyChunks,
  legacyDocumentIds,
} from './document-repository';

/** What opening the cache found and repaired in the documents folder (after a crash or outside damage). */
export interface DocumentStoreRepair {
  /** Files without a vault row (a write or removal interrupted by a crash), deleted. */
  orphanFilesRemoved: number;
  /** Documents whose file was missing or not whole: their rows were removed (ids). */
  brokenDocumentsRemoved: string[];
  /** Documents moved from the vault's document_chunks (an older vault) into files. */
  movedToFiles: number;
}

/**
 * At open: makes the documents folder, deletes files without a row (a crash between writing a file and
 * committing its row, or between deleting a row and its file), removes rows whose file is missing or not
 * whole, and moves documents of an older vault out of document_chunks into files.
 */
export function repairDocumentStore(vault: VaultDoor, files: DocumentFiles): DocumentStoreRepair {
  const repair: DocumentStoreRepair = { orphanFilesRemoved: 0, brokenDocumentsRemoved: [], movedToFiles: 0 };
  files.ensureDir();
  const rows = vault.guard((db) => documentFiles(db));
  const known = new Set(
    rows.flatMap((r) => (r.page_tree_file_id === null ? [r.file_id] : [r.file_id, r.page_tree_file_id])),
  );
  for (const name of files.names()) {
    if (known.has(name)) continue;
    files.removeEntry(name);
    repair.orphanFilesRemoved++;
  }
  const broken = rows.filter((r) => {
    const state = files.state(r.file_id, r.size);
    return state === 'missing' || state === 'damaged';
  });
  if (broken.length > 0) {
    try {
      vault.transaction((db) => {
        for (const r of broken) deleteDocument(db, r.id);
      });
      files.discard(broken.map((r) => r.file_id));
      repair.brokenDocumentsRemoved = broken.map((r) => r.id);
    } catch (err) {
      // On a full disk they stay listed; opening one answers VAULT_UNREADABLE.
      if (!(err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
    }
  }
  // A page-tree update (pdf-page-tree.ts) whose file is missing or not whole is forgotten: the document is read as
  // stored, only its first page is slower to open.
  const brokenTrees = rows.filter((r) => {
    if (r.page_tree_file_id === null || r.page_tree_size === null) return false;
    const state = files.state(r.page_tree_file_id, r.page_tree_size);
    return state === 'missing' || state === 'damaged';
  });
  if (brokenTrees.length > 0) {
    try {
      vault.transaction((db) => {
        for (const r of brokenTrees) dropPageTree(db, r.id);
      });
      files.discard(brokenTrees.map((r) => r.page_tree_file_id));
    } catch (err) {
      if (!(err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL')) throw err;
    }
  }
  repair.movedToFiles = moveLegacyDocuments(vault, files);
  return repair;
}

/**
 * Documents stored by an older version in document_chunks get a key and a file: file written first, then
 * one transaction attaches it and drops the chunks. A crash in between leaves an orphan file and the
 * document still in the vault, moved at the next open. On a full disk the rest stay in the vault,
 * readable as before.
 */
function moveLegacyDocuments(vault: VaultDoor, files: DocumentFiles): number {
  let moved = 0;
  for (const id of vault.guard((db) => legacyDocumentIds(db))) {
    const row = vault.guard((db) => documentById(db, id));
    if (!row) continue;
    let bytes: Buffer;
    try {
      bytes = vault.guard((db) => readLegacyDocument(db, row));
    } catch (err) {
      if (err instanceof RatsdeskError && err.code === 'VAULT_UNREADABLE') continue; // open() reports it
      throw err;
    }
    const fileId = newDocumentFileId();
    const key = newDocumentKey();
    try {
      files.write(fileId, id, key, bytes);
      vault.transaction((db) => {
        const chunks = Math.max(1, Math.ceil(row.size / DOCUMENT_FILE_CHUNK_BYTES));
        if (!attachDocumentFile(db, id, fileId, key, chunks))
          throw new RatsdeskError('INTERNAL', 'document changed while it was moved');
      });
      moved++;
    } catch (err) {
      files.discard([fileId]);
      if (err instanceof RatsdeskError && err.code === 'VAULT_DISK_FULL') break;
      throw err;
    }
  }
  return moved;
}

/** The bytes of a document an older version kept in document_chunks; VAULT_UNREADABLE when they do not add up. */
export function readLegacyDocument(db: ReadableDB, row: DocumentRow): Buffer {
  // A dedicated buffer (not Node's shared pool), so handing it over IPC copies this document only.
  const out = Buffer.allocUnsafeSlow(row.size);
  let offset = 0;
  for (const chunk of legacyChunks(db, row.id)) {
    if (offset + chunk.byteLength > row.size)
      throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} is longer than recorded`);
    chunk.copy(out, offset);
    offset += chunk.byteLength;
  }
  if (offset !== row.size) throw new RatsdeskError('VAULT_UNREADABLE', `document ${row.id} is shorter than recorded`);
  return out;
}
