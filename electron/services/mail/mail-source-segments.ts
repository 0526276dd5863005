import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, readdirSync, readSync, rmSync, writeSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { RatsdeskError } from '../../contract/errors';
import { ensurePrivateDir } from '../files/private-files';
import type { ReadableDB, VaultDoor, WritableDB } from '../vault/vault-db';

/**
 * Message sources outside SQLite, in append-only segment files next to the vault
 * (`<vault dir>/mail-sources/<segment>`). Storing 150 MB of sources as SQLCipher pages cost more than the
 * download itself: each page is encrypted into the WAL and decrypted and encrypted again when the WAL is
 * checkpointed, each time with an HMAC. Here a source is encrypted once, with AES-256-GCM, and appended; one
 * batch of sources (one vault transaction) costs one fdatasync, not one per message.
 *
 *   file      'RMSG' · version 1 · 3 zero bytes                                                = 8 bytes
 *   record    nonce (12 random bytes) · ciphertext (the source's length) · tag (16)
 *
 * Each segment has its own key (256 random bits), kept with its size and live bytes in the vault row
 * (`mail_source_segments`); where a message's record lies is its `mail_source_refs` row. The files alone are
 * ciphertext. A record's additional authenticated data binds the segment, its offset and its length, so a
 * record moved, cut or swapped fails to decrypt. A segment whose records have mostly gone (expunged, moved,
 * left with the offline period) is compacted: its live records move to the newest segment and the file and
 * its key are deleted — what was deleted then cannot be decrypted by anyone, the vault key included.
 *
 * Writes happen inside the vault transaction that stores the ref, at the offset the segment row names, and
 * are synced before that transaction commits: a crash leaves at worst bytes past the row's size (written
 * over by the next batch) or a file without a row (removed by the next compaction), never a ref without its
 * bytes.
 */
const MAGIC = Buffer.from('RMSG', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const MAIL_SOURCE_RECORD_OVERHEAD = NONCE_BYTES + TAG_BYTES;
const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
/** A new segment is begun past this size: compaction then moves at most this much. */
export const MAIL_SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
/** Encrypted records held before they are written (one writev): bounds memory when compaction moves a segment. */
const PENDING_MAX_BYTES = 8 * 1024 * 1024;
/** Nonces drawn from the random source at once (one call instead of one per record). */
const NONCES_PER_DRAW = 256;

const SQL = {
  newest: 'SELECT segment, key, size FROM mail_source_segments ORDER BY segment DESC LIMIT 1',
  insertSegment: 'INSERT INTO mail_source_segments (segment, key, size, live) VALUES (?, ?, ?, 0)',
  grow: 'UPDATE mail_source_segments SET size = ?, live = live + ? WHERE segment = ?',
  anyLegacy: 'SELECT EXISTS (SELECT 1 FROM mail_sources)',
  refOf: 'SELECT segment, length FROM mail_source_refs WHERE message = ?',
  deleteRef: 'DELETE FROM mail_source_refs WHERE message = ?',
  dead: 'UPDATE mail_source_segments SET live = live - ? WHERE segment = ?',
  deadInFolder: `UPDATE mail_source_segments SET live = live - (
      SELECT coalesce(sum(r.length + ${MAIL_SOURCE_RECORD_OVERHEAD}), 0) FROM mail_source_refs r
      JOIN mail_messages m ON m.id = r.message WHERE m.folder = ? AND r.segment = mail_source_segments.segment)`,
  insertRef: 'INSERT INTO mail_source_refs (message, segment, offset, length) VALUES (?, ?, ?, ?)',
  ref: `SELECT r.segment, r.offset, r.length, s.key FROM mail_source_refs r
    JOIN mail_source_segments s ON s.segment = r.segment WHERE r.message = ?`,
  segments: 'SELECT segment, size, live FROM mail_source_segments ORDER BY segment',
  refsOf: 'SELECT message FROM mail_source_refs WHERE segment = ? ORDER BY offset',
  deleteSegment: 'DELETE FROM mail_source_segments WHERE segment = ?',
} as const;

interface SegmentRow {
  segment: number;
  key: Buffer;
  size: number;
}

interface RefRow {
  segment: number;
  offset: number;
  length: number;
  key: Buffer;
}

function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** File-system faults as the person's error codes (a full disk pauses the sync, as the vault's does). */
function fileFault(err: unknown): RatsdeskError {
  if (err instanceof RatsdeskError) return err;
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new RatsdeskError('VAULT_DISK_FULL', code, { cause: err });
  return new RatsdeskError('VAULT_UNREADABLE', `mail source file: ${code ?? 'fault'}`, { cause: err });
}

function segmentPath(dir: string, segment: number): string {
  return join(dir, String(segment));
}

function aad(segment: number, offset: number, length: number): Buffer {
  const a = Buffer.alloc(HEADER_BYTES + 4 + 8 + 4);
  MAGIC.copy(a, 0);
  a.writeUInt8(VERSION, 4);
  a.writeUInt32BE(segment, HEADER_BYTES);
  a.writeBigUInt64BE(BigInt(offset), HEADER_BYTES + 4);
  a.writeUInt32BE(length, HEADER_BYTES + 12);
  return a;
}

function fileHeader(): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt8(VERSION, 4);
  return h;
}

let noncePool = Buffer.alloc(0);
let nonceAt = 0;

/**
 * A fresh random nonce. They are drawn NONCES_PER_DRAW at a time and each handed out once; a drawn pool is
 * never written to again, so a nonce still waiting to be written keeps its bytes.
 */
function nextNonce(): Buffer {
  if (nonceAt + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_BYTES * NONCES_PER_DRAW);
    nonceAt = 0;
  }
  const nonce = noncePool.subarray(nonceAt, nonceAt + NONCE_BYTES);
  nonceAt += NONCE_BYTES;
  return nonce;
}

/**
 * Writes the sources of one vault transaction: `put` for each, then `finish` (the one fdatasync) as the
 * transaction's last step. `close` in a finally releases the file on every path.
 */
export class MailSourceWriter {
  private segment: SegmentRow | null = null;
  private fd: number | null = null;
  private written = 0;
  /** Encrypted records of the current segment not written yet, in file order (nonce, ciphertext, tag each). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes appended to the current segment whose row does not count them yet. */
  private grown = 0;
  /** Does the table of sources stored before the segment files hold any row? (read once per transaction) */
  private legacySources: boolean | undefined;

  constructor(
    private readonly db: WritableDB,
    private readonly dir: string,
    /** A new segment is begun past this size (tests make small ones). */
    private readonly segmentBytes = MAIL_SEGMENT_MAX_BYTES,
  ) {}

  /**
   * Stores a message's source (replacing one stored before). The record is encrypted now and written with the
   * batch's others in one writev (at `finish`, or when PENDING_MAX_BYTES wait), so it cannot be read back
   * before then.
   */
  put(message: number, source: Buffer): void {
    this.forget(message);
    const seg = this.writable(source.length);
    const offset = seg.size;
    const nonce = nextNonce();
    const cipher = createCipheriv(CIPHER, seg.key, nonce);
    cipher.setAAD(aad(seg.segment, offset, source.length));
    const body = cipher.update(source);
    const rest = cipher.final();
    const tag = cipher.getAuthTag();
    this.pending.push(nonce, body, rest, tag);
    const length = source.length + MAIL_SOURCE_RECORD_OVERHEAD;
    this.pendingBytes += length;
    seg.size += length;
    this.grown += length;
    this.written++;
    this.db.prepare(SQL.insertRef).run(message, seg.segment, offset, source.length);
    if (this.pendingBytes >= PENDING_MAX_BYTES) this.flushPending();
  }

  /** Makes the written records durable before the transaction that names them commits. */
  finish(): void {
    this.flushPending();
    if (this.fd === null || this.written === 0) return;
    try {
      fdatasyncSync(this.fd);
    } catch (err) {
      throw fileFault(err);
    }
  }

  /**
   * deleteMailSource, without the delete from the table of sources stored before the segment files once that
   * table is found empty (it only ever shrinks).
   */
  private forget(message: number): void {
    this.legacySources ??= this.db.pluck<[], number>(SQL.anyLegacy).get() === 1;
    forgetSegmentRecord(this.db, message);
    if (this.legacySources) deleteLegacySource(this.db, message);
  }

  /**
   * Writes the waiting records in one writev at the segment offset where the first of them begins, and
   * records the segment's new size and live bytes (one statement per batch, not per record).
   */
  private flushPending(): void {
    const seg = this.segment;
    if (!seg || this.grown === 0) return;
    let position = seg.size - this.pendingBytes;
    let buffers = this.pending;
    try {
      // A nearly full disk may take part of a write before it refuses the rest.
      while (buffers.length > 0) {
        let done = writevSync(this.fd!, buffers, position);
        if (done === 0) throw new Error('writev wrote nothing');
        position += done;
        let i = 0;
        while (i < buffers.length && done >= buffers[i]!.length) done -= buffers[i++]!.length;
        buffers = buffers.slice(i);
        if (done > 0) buffers[0] = buffers[0]!.subarray(done);
      }
    } catch (err) {
      throw fileFault(err);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.db.prepare(SQL.grow).run(seg.size, this.grown, seg.segment);
    this.grown = 0;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The segment the next record goes to, its file open: the newest, or a new one when it is full. */
  private writable(length: number): SegmentRow {
    if (this.segment && this.segment.size + length + MAIL_SOURCE_RECORD_OVERHEAD <= this.segmentBytes)
      return this.segment;
    const newest = this.segment ?? this.db.prepare<[], SegmentRow>(SQL.newest).get() ?? null;
    this.finish();
    this.close();
    try {
      ensurePrivateDir(this.dir);
      if (newest && newest.size + length + MAIL_SOURCE_RECORD_OVERHEAD <= this.segmentBytes) {
        this.fd = openSync(segmentPath(this.dir, newest.segment), 'r+');
        this.segment = newest;
      } else {
        const segment = (newest?.segment ?? 0) + 1;
        // 'w': a file left by a transaction that rolled back has no row and no live record.
        this.fd = openSync(segmentPath(this.dir, segment), 'w', 0o600);
        writeSync(this.fd, fileHeader(), 0, HEADER_BYTES, 0);
        this.segment = { segment, key: randomBytes(KEY_BYTES), size: HEADER_BYTES };
        this.db.prepare(SQL.insertSegment).run(segment, this.segment.key, HEADER_BYTES);
      }
    } catch (err) {
      this.close();
      throw fileFault(err);
    }
    this.written = 0;
    return this.segment;
  }
}

/** Runs `fn` with a writer for the sources of one transaction: synced at its end, closed on every path. */
export function withMailSources<T>(
  db: WritableDB,
  dir: string,
  fn: (writer: MailSourceWriter) => T,
  segmentBytes?: number,
): T {
  const writer = new MailSourceWriter(db, dir, segmentBytes);
  try {
    const result = fn(writer);
    writer.finish();
    return result;
  } finally {
    writer.close();
  }
}

/** Forgets a message's source (its record becomes dead bytes, reclaimed by compaction). */
export function deleteMailSource(db: WritableDB, message: number): void {
  forgetSegmentRecord(db, message);
  deleteLegacySource(db, message);
}

function forgetSegmentRecord(db: WritableDB, message: number): void {
  // Counted here rather than by a trigger: an AFTER DELETE trigger made every delete, also of no row, cost
  // 0.2 ms (a whole second for 5,000 new sources).
  const ref = db.prepare<[number], { segment: number; length: number }>(SQL.refOf).get(message);
  if (ref) {
    db.prepare(SQL.deleteRef).run(message);
    db.prepare(SQL.dead).run(ref.length + MAIL_SOURCE_RECORD_OVERHEAD, ref.segment);
  }
}

/** Sources stored by versions before the segment files. */
function deleteLegacySource(db: WritableDB, message: number): void {
  db.prepare('DELETE FROM mail_sources WHERE message = ?').run(message);
}

/** Forgets the sources of every message of a folder. */
export function deleteFolderSources(db: WritableDB, folder: string): void {
  db.prepare(SQL.deadInFolder).run(folder);
  db.prepare('DELETE FROM mail_source_refs WHERE message IN (SELECT id FROM mail_messages WHERE folder = ?)').run(
    folder,
  );
  db.prepare('DELETE FROM mail_sources WHERE message IN (SELECT id FROM mail_messages WHERE folder = ?)').run(folder);
}

/**
 * A stored message's source; null when only its headers are stored. A record that does not decrypt (the
 * file damaged or altered) is `VAULT_UNREADABLE`, never other bytes.
 */
export function readMailSource(db: ReadableDB, dir: string, message: number): Buffer | null {
  const ref = db.prepare<[number], RefRow>(SQL.ref).get(message);
  if (!ref) return db.pluck<[number], Buffer>('SELECT raw FROM mail_sources WHERE message = ?').get(message) ?? null;
  return readRecord(dir, ref);
}

function readRecord(dir: string, ref: RefRow): Buffer {
  const record = Buffer.alloc(ref.length + MAIL_SOURCE_RECORD_OVERHEAD);
  let fd: number | null = null;
  try {
    fd = openSync(segmentPath(dir, ref.segment), 'r');
    const got = readSync(fd, record, 0, record.length, ref.offset);
    if (got !== record.length) throw new RatsdeskError('VAULT_UNREADABLE', 'mail source record cut short');
  } catch (err) {
    throw fileFault(err);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  try {
    const decipher = createDecipheriv(CIPHER, ref.key, record.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad(ref.segment, ref.offset, ref.length));
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    return Buffer.concat([decipher.update(record.subarray(NONCE_BYTES, record.length - TAG_BYTES)), decipher.final()]);
  } catch (err) {
    throw new RatsdeskError('VAULT_UNREADABLE', 'mail source record does not decrypt', { cause: err });
  }
}

export interface MailSourceCompaction {
  /** Segments whose live records moved and whose file and key were deleted. */
  segments: number;
  /** Records moved to the newest segment. */
  moved: number;
  /** Files without a row (a crash between creating a segment and committing it) that were removed. */
  orphans: number;
}

/**
 * Reclaims the space of deleted sources: every segment but the newest whose live bytes are under half its
 * size has its live records re-written to the newest segment (one transaction per segment), then its row, key
 * and file go. Files no row names are removed. Runs on the vault's thread between syncs.
 */
export function compactMailSources(vault: VaultDoor, dir: string): MailSourceCompaction {
  const result: MailSourceCompaction = { segments: 0, moved: 0, orphans: 0 };
  const rows = vault.guard((db) => db.prepare<[], { segment: number; size: number; live: number }>(SQL.segments).all());
  const newest = rows.at(-1)?.segment;
  for (const row of rows) {
    if (row.segment === newest || row.live * 2 >= row.size - HEADER_BYTES) continue;
    result.moved += vault.transaction((db) => {
      const messages = db.pluck<[number], number>(SQL.refsOf).all(row.segment);
      let moved = 0;
      withMailSources(db, dir, (writer) => {
        for (const m of messages) {
          let source: Buffer | null;
          try {
            source = readMailSource(db, dir, m);
          } catch {
            source = null; // damaged on disk: the body is fetched from the server again
          }
          if (source) {
            writer.put(m, source);
            moved++;
          } else {
            deleteMailSource(db, m);
            db.prepare('UPDATE mail_messages SET has_body = 0 WHERE id = ?').run(m);
          }
        }
      });
      db.prepare(SQL.deleteSegment).run(row.segment);
      return moved;
    });
    rmSync(segmentPath(dir, row.segment), { force: true });
    result.segments++;
  }
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return result; // no folder yet: nothing stored
  }
  const known = new Set(
    vault.guard((db) => db.pluck<[], number>('SELECT segment FROM mail_source_segments').all()).map(String),
  );
  for (const name of names) {
    if (known.has(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    result.orphans++;
  }
  return result;
}
