import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
  type PathLike,
} from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { RatsdeskError } from '../../contract/errors';

/**
 * The encrypted file of one document, `<vault dir>/documents/<file id>`. The key (256 random bits, one per
 * document) and the file id live in the document's vault row; the file alone is ciphertext.
 *
 *   header   'RDOC' · version 1 · 3 zero bytes · chunk size (uint32 BE)                     = 12 bytes
 *   chunk i  nonce (12 random bytes) · AES-256-GCM ciphertext (chunk size, the last shorter) · tag (16)
 *
 * A document of n bytes has max(1, ceil(n / chunk size)) chunks (an empty document one empty chunk), so
 * the file's length follows from the size in the row. Each chunk's additional authenticated data binds the
 * header, the document id, the chunk index and whether it is the last chunk: a chunk moved, dropped,
 * duplicated, a file cut short or extended, or a file swapped with another document's fails to decrypt.
 * Chunks are read and decrypted one at a time, so a reader can stream a document.
 */
export const DOCUMENT_FILE_CHUNK_BYTES = 1024 * 1024;
const MAGIC = Buffer.from('RDOC', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 12;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const CHUNK_OVERHEAD = NONCE_BYTES + TAG_BYTES;
const CIPHER = 'aes-256-gcm';
export const DOCUMENT_KEY_BYTES = 32;

export interface DocumentFileRef {
  /** Full path of the document's file. */
  path: string;
  /** The document's id (its vault row): bound into every chunk. */
  documentId: string;
  key: Buffer;
  /** Plaintext size from the vault row. */
  size: number;
}

function header(chunkBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt8(VERSION, 4);
  h.writeUInt32BE(chunkBytes, 8);
  return h;
}

function chunkAad(head: Buffer, documentId: string, index: number, last: boolean): Buffer {
  const id = Buffer.from(documentId, 'utf8');
  const aad = Buffer.alloc(head.length + 4 + id.length + 4 + 1);
  let o = head.copy(aad, 0);
  o = aad.writeUInt32BE(id.length, o);
  o += id.copy(aad, o);
  o = aad.writeUInt32BE(index, o);
  aad.writeUInt8(last ? 1 : 0, o);
  return aad;
}

function chunkCount(size: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(size / chunkBytes));
}

/** The length of the file holding a document of `size` bytes. */
export function documentFileLength(size: number, chunkBytes = DOCUMENT_FILE_CHUNK_BYTES): number {
  return HEADER_BYTES + chunkCount(size, chunkBytes) * CHUNK_OVERHEAD + size;
}

function writeAll(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done);
}

function readExactly(fd: number, into: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) throw new RatsdeskError('VAULT_UNREADABLE', 'a document file is shorter than recorded');
    done += n;
  }
}

/** Makes a rename (or unlink) in `dir` durable. */
export function syncDirectory(dir: PathLike): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Name of a document file while it is being written; never a valid file id (ids are hex). */
export function temporaryFileName(fileId: string): string {
  return `${fileId}.tmp`;
}

/** The sealed form of a document: the header, then each chunk's nonce, ciphertext and tag. */
function* sealedParts(documentId: string, key: Buffer, bytes: Buffer): Generator<Buffer> {
  const head = header(DOCUMENT_FILE_CHUNK_BYTES);
  const count = chunkCount(bytes.byteLength, DOCUMENT_FILE_CHUNK_BYTES);
  yield head;
  for (let i = 0; i < count; i++) {
    const start = i * DOCUMENT_FILE_CHUNK_BYTES;
    const plain = bytes.subarray(start, Math.min(bytes.byteLength, start + DOCUMENT_FILE_CHUNK_BYTES));
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(chunkAad(head, documentId, i, i === count - 1));
    const sealed = cipher.update(plain);
    cipher.final(); // GCM adds no bytes at the end
    yield nonce;
    yield sealed;
    yield cipher.getAuthTag();
  }
}

/**
 * Encrypts `bytes` into `<dir>/<fileId>`: written to a temporary file, fsynced, renamed, and the rename
 * made durable, so the final name holds a whole file or nothing. On failure nothing is left behind.
 */
export function writeDocumentFile(dir: string, fileId: string, documentId: string, key: Buffer, bytes: Buffer): void {
  const tmp = join(dir, temporaryFileName(fileId));
  let fd: number | undefined = openSync(tmp, 'wx', 0o600);
  try {
    for (const part of sealedParts(documentId, key, bytes)) writeAll(fd, part);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, join(dir, fileId));
    syncDirectory(dir);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** A document file written under its temporary name, still open and not yet durable (DocumentFileFlusher). */
export interface UnsyncedDocumentFile {
  /** The temporary name it was written under. */
  tmp: string;
  /** The name it gets once its bytes are durable. */
  final: string;
  handle: FileHandle;
}

/**
 * The first half of `writeDocumentFile`, in libuv's thread pool: encrypts `bytes` into a temporary file
 * in `dir` and leaves it open; DocumentFileFlusher makes it durable and renames it. On failure nothing is
 * left behind.
 */
export async function writeDocumentFileUnsynced(
  dir: string,
  fileId: string,
  documentId: string,
  key: Buffer,
  bytes: Buffer,
): Promise<UnsyncedDocumentFile> {
  const tmp = join(dir, temporaryFileName(fileId));
  const parts = [...sealedParts(documentId, key, bytes)];
  const handle = await open(tmp, 'wx', 0o600);
  try {
    // One writev for the whole file; a short write (rare for a regular file) goes on from where it stopped.
    const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
    let written = (await handle.writev(parts)).bytesWritten;
    if (written < total) {
      const rest = Buffer.concat(parts).subarray(written);
      for (let at = 0; at < rest.byteLength; at += written)
        written = (await handle.write(rest, at, rest.byteLength - at)).bytesWritten;
    }
    return { tmp, final: join(dir, fileId), handle };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Yields the decrypted chunks `first`..`last` (inclusive; default all) of a document file in order (each a
 * fresh buffer). Every chunk but the last has the full chunk size, so chunk i starts at a known offset and a
 * reader decrypts only the chunks it needs. Any damage — wrong length, header, order, a chunk from elsewhere,
 * a changed byte — is VAULT_UNREADABLE.
 */
export function* decryptDocumentChunks(
  ref: DocumentFileRef,
  first = 0,
  last = Number.MAX_SAFE_INTEGER,
): Generator<Buffer> {
  const fd = openSync(ref.path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    readExactly(fd, head, HEADER_BYTES, 0);
    const chunkBytes = head.readUInt32BE(8);
    if (!head.subarray(0, 4).equals(MAGIC) || head.readUInt8(4) !== VERSION || chunkBytes === 0)
      throw new RatsdeskError('VAULT_UNREADABLE', 'a document file has an unknown format');
    if (fstatSync(fd).size !== documentFileLength(ref.size, chunkBytes))
      throw new RatsdeskError('VAULT_UNREADABLE', 'a document file does not have its recorded length');
    const count = chunkCount(ref.size, chunkBytes);
    const end = Math.min(count - 1, last);
    const box = Buffer.allocUnsafeSlow(Math.min(chunkBytes, ref.size) + CHUNK_OVERHEAD);
    let position = HEADER_BYTES + first * (chunkBytes + CHUNK_OVERHEAD);
    for (let i = first; i <= end; i++) {
      const plainLength = i === count - 1 ? ref.size - i * chunkBytes : chunkBytes;
      const boxLength = plainLength + CHUNK_OVERHEAD;
      readExactly(fd, box, boxLength, position);
      position += boxLength;
      const decipher = createDecipheriv(CIPHER, ref.key, box.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(chunkAad(head, ref.documentId, i, i === count - 1));
      decipher.setAuthTag(box.subarray(boxLength - TAG_BYTES, boxLength));
      const plain = decipher.update(box.subarray(NONCE_BYTES, boxLength - TAG_BYTES));
      try {
        decipher.final();
      } catch {
        throw new RatsdeskError('VAULT_UNREADABLE', `chunk ${i} of a document file fails authentication`);
      }
      yield plain;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Bytes `begin` (inclusive) to `end` (exclusive) of a document, decrypting only the chunks that hold them
 * (pdf.js reads a large PDF by ranges: the first page of a 100 MB file needs a few MiB). `decrypted` is how
 * many plaintext bytes were decrypted for it (whole chunks). Files are written with DOCUMENT_FILE_CHUNK_BYTES;
 * a file with another chunk size fails closed here (the chunk index is bound into each chunk's tag).
 */
export function readDocumentRange(
  ref: DocumentFileRef,
  begin: number,
  end: number,
): { bytes: Buffer; decrypted: number } {
  const chunkBytes = DOCUMENT_FILE_CHUNK_BYTES;
  if (!(Number.isSafeInteger(begin) && Number.isSafeInteger(end) && begin >= 0 && begin <= end && end <= ref.size))
    throw new RatsdeskError('INVALID_INPUT', `range ${begin}-${end} of ${ref.size} bytes`);
  const out = Buffer.allocUnsafeSlow(end - begin);
  if (end === begin) return { bytes: out, decrypted: 0 };
  const first = Math.floor(begin / chunkBytes);
  const last = Math.floor((end - 1) / chunkBytes);
  let decrypted = 0;
  let chunkStart = first * chunkBytes;
  for (const plain of decryptDocumentChunks(ref, first, last)) {
    decrypted += plain.byteLength;
    const from = Math.max(begin, chunkStart);
    const to = Math.min(end, chunkStart + plain.byteLength);
    plain.copy(out, from - begin, from - chunkStart, to - chunkStart);
    chunkStart += plain.byteLength;
  }
  if (chunkStart < end) throw new RatsdeskError('VAULT_UNREADABLE', 'a document file is shorter than recorded');
  return { bytes: out, decrypted };
}

/** The whole document in one dedicated buffer (not Node's shared pool). */
export function readDocumentFile(ref: DocumentFileRef): Buffer {
  const out = Buffer.allocUnsafeSlow(ref.size);
  let offset = 0;
  for (const plain of decryptDocumentChunks(ref)) offset += plain.copy(out, offset);
  if (offset !== ref.size) throw new RatsdeskError('VAULT_UNREADABLE', 'a document file is shorter than recorded');
  return out;
}

/**
 * Whether a document's file is there with a known header and the length a document of `size` bytes needs
 * (cheap: no decryption). 'unknown' when the file system would not say (e.g. no permission): not proof of
 * damage. Used at open to find documents whose file was lost or cut short.
 */
export function documentFileState(path: string, size: number): 'whole' | 'missing' | 'damaged' | 'unknown' {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT' ? 'missing' : 'unknown';
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return 'damaged';
    const chunkBytes = head.readUInt32BE(8);
    if (!head.subarray(0, 4).equals(MAGIC) || head.readUInt8(4) !== VERSION || chunkBytes === 0) return 'damaged';
    return fstatSync(fd).size === documentFileLength(size, chunkBytes) ? 'whole' : 'damaged';
  } catch {
    return 'unknown';
  } finally {
    closeSync(fd);
  }
}

/** A new random document key. */
export function newDocumentKey(): Buffer {
  return randomBytes(DOCUMENT_KEY_BYTES);
}

/** A new random file id: 128 bits as hex, so it says nothing about the document. */
export function newDocumentFileId(): string {
  return randomBytes(16).toString('hex');
}

export const FILE_ID_PATTERN = /^[0-9a-f]{32}$/;
