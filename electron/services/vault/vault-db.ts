import type Database from 'better-sqlite3-multiple-ciphers';
import { RatsdeskError } from '../../contract/errors';

type Params = unknown[] | object;

const MAX_CACHED = 1000;

/**
 * A prepared statement as repositories use it: run, get, all and iterate. Its mode (rows or plucked
 * first column) is fixed when it is prepared, because the statement is cached and shared.
 */
export type Query<P extends Params = unknown[], R = unknown> = Pick<
  Database.Statement<P, R>,
  'run' | 'get' | 'all' | 'iterate'
>;

declare const canRead: unique symbol;
declare const canWrite: unique symbol;

/**
 * The handle `vault.guard` lends for reading (Signal's ReadableDB). Statements that would write are
 * refused when prepared (SQLite knows which are read-only), so a read path cannot write by accident.
 */
export interface ReadableDB {
  readonly [canRead]: true;
  /** A cached statement answering rows. */
  prepare<P extends Params = unknown[], R = unknown>(sql: string): Query<P, R>;
  /** A cached statement answering the first column's value of each row. */
  pluck<P extends Params = unknown[], R = unknown>(sql: string): Query<P, R>;
}

/**
 * The handle `vault.transaction` lends inside one transaction (Signal's WritableDB). A function that
 * writes declares it; the compiler then refuses to hand it a ReadableDB.
 */
export interface WritableDB extends ReadableDB {
  readonly [canWrite]: true;
  /** Runs SQL without results (schema steps of migrations). */
  exec(sql: string): void;
}

/** A value a transaction may return: never a promise (the transaction would commit before it settles). */
export type Settled<T> = T extends PromiseLike<unknown> ? never : T;

/** The vault's one door, as repositories see it (vault.ts implements it). */
export interface VaultDoor {
  /** Reads with the read handle; SQLite faults become the person's error codes. */
  guard<T>(fn: (db: ReadableDB) => Settled<T>): T;
  /** Writes in one transaction (nested calls become savepoints); SQLite faults become error codes. */
  transaction<T>(fn: (db: WritableDB) => Settled<T>): T;
  /** The folder of the vault's encrypted message-source segments (mail-source-segments.ts; keys in the vault). */
  readonly mailSourcesDir: string;
}

/**
 * Both handles over one connection, sharing one statement cache (a statement is prepared once per
 * connection, keyed by its SQL and mode).
 */
export function vaultHandles(db: Database.Database): { reader: ReadableDB; writer: WritableDB } {
  // One map per mode, keyed by the SQL text itself: a repository's SQL is a constant string whose hash V8
  // keeps, so a lookup per row costs no string building or hashing (the RIS import looks up ~40,000 times).
  const rows = new Map<string, Database.Statement<unknown[], unknown>>();
  const plucked = new Map<string, Database.Statement<unknown[], unknown>>();
  const statement = (sql: string, pluck: boolean, write: boolean) => {
    const cache = pluck ? plucked : rows;
    let s = cache.get(sql);
    if (!s) {
      // Statements with a variable number of parameters (IN lists) make new SQL texts: keep the cache bounded.
      if (cache.size >= MAX_CACHED) cache.clear();
      s = db.prepare(sql);
      if (pluck) s.pluck();
      cache.set(sql, s);
    }
    if (!write && !s.readonly) throw new RatsdeskError('INTERNAL', 'a write statement on a read handle');
    return s;
  };
  const reader = {
    prepare: (sql: string) => statement(sql, false, false),
    pluck: (sql: string) => statement(sql, true, false),
  } as unknown as ReadableDB;
  const writer = {
    prepare: (sql: string) => statement(sql, false, true),
    pluck: (sql: string) => statement(sql, true, true),
    exec: (sql: string) => void db.exec(sql),
  } as unknown as WritableDB;
  return { reader, writer };
}
