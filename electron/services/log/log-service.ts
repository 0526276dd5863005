import { appendFileSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RatsdeskError } from '../../contract/errors';
import { ensurePrivateDir } from '../files/private-files';

/** Where the app's log lives in the per-user data folder. */
export function logFileIn(dataDir: string): string {
  return join(dataDir, 'logs', 'ratsdesk.log');
}

/**
 * What services log: a stable code ("mail.sync-failed") and a short detail. Never a secret, never mail
 * content: callers pass error codes, counts and host names, and `describeError` keeps only the stable
 * parts of an error.
 */
export interface Log {
  info(code: string, detail?: string): void;
  warn(code: string, detail?: string): void;
  error(code: string, detail?: string): void;
}

/** A log that drops everything (tests, the doctor without a data folder). */
export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

const CODE = /^[a-z][a-z0-9.-]{0,63}$/;
const MAX_DETAIL = 200;

/**
 * The part of an error that is safe to log: a RatsdeskError's code and detail (written for the helpdesk),
 * else only the error's class and system code — never its message, which may quote a server's answer.
 */
export function describeError(err: unknown): string {
  if (err instanceof RatsdeskError) return err.detail ? `${err.code}: ${err.detail}` : err.code;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.name} ${code}` : err.name;
  }
  return typeof err;
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, MAX_DETAIL);
}

export interface LogServiceOptions {
  /** The log file (logFileIn(dataDir)); its previous generation is kept as `<file>.1`. */
  file: string;
  /** Size at which the file is rotated; default 256 KiB, so the log never takes more than twice that. */
  maxBytes?: number;
  now?: () => Date;
}

/**
 * The app's log: one line per event (`time level code detail`), in the data folder, readable by the
 * person only (0600, folder 0700), bounded in size by rotation to one previous file. Writing is
 * synchronous: events are rare and short, and a line written right before a crash is the one that matters.
 */
export class LogService implements Log {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private size: number | undefined;

  constructor(options: LogServiceOptions) {
    this.file = options.file;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.now = options.now ?? (() => new Date());
  }

  info(code: string, detail?: string): void {
    this.write('INFO', code, detail);
  }
  warn(code: string, detail?: string): void {
    this.write('WARN', code, detail);
  }
  error(code: string, detail?: string): void {
    this.write('ERROR', code, detail);
  }

  private write(level: string, code: string, detail: string | undefined): void {
    const safeCode = CODE.test(code) ? code : 'log.bad-code';
    const line = `${this.now().toISOString()} ${level} ${safeCode}${detail ? ` ${oneLine(detail)}` : ''}\n`;
    try {
      if (this.size === undefined) {
        ensurePrivateDir(dirname(this.file));
        this.size = sizeOf(this.file);
      }
      if (this.size + line.length > this.maxBytes && this.size > 0) {
        renameSync(this.file, `${this.file}.1`);
        this.size = 0;
      }
      appendFileSync(this.file, line, { mode: 0o600 });
      this.size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written (full disk, removed folder) must never break what it describes;
      // there is nowhere left to report it.
      this.size = undefined;
    }
  }

  /** The newest `lines` lines (the previous generation too when the current file is short). */
  tail(lines = 40): string[] {
    return readLogTail(this.file, lines);
  }
}

/** The newest lines of a log file and its previous generation; [] when there is none. */
export function readLogTail(file: string, lines = 40): string[] {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8').split('\n').filter(Boolean);
    } catch {
      return []; // no log yet (or not readable): the report says "no entries"
    }
  };
  const current = read(file);
  const all = current.length >= lines ? current : [...read(`${file}.1`), ...current];
  return all.slice(-lines);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // not there yet: it starts empty
  }
}
