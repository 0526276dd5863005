export interface ElectronSqliteTarget {
  electron: string;
  abi: string | undefined;
  platform: string;
  arch: string;
  module: string;
}
export type PrepareResult =
  | { status: 'current' | 'prebuilt' | 'compiled' }
  | { status: 'failed'; reason: 'unknown-abi' | 'cannot-fetch' | 'compile'; message: string };

export const repoRoot: string;
export const MODULE: string;
export const ELECTRON_SQLITE_DIR: string;
export const BINDING_FILE: string;
export const STAMP_FILE: string;
export function electronSqliteTarget(options?: {
  electronVersion?: string;
  platform?: string;
  arch?: string;
  moduleVersion?: string;
  getAbi?: (target: string, runtime: string) => string;
}): ElectronSqliteTarget;
export function readStamp(dir: string): (ElectronSqliteTarget & { source: string }) | undefined;
export function isCurrent(dir: string, target: ElectronSqliteTarget): boolean;
export function failureSentence(
  reason: 'unknown-abi' | 'cannot-fetch' | 'compile',
  target: ElectronSqliteTarget,
): string;
export function prepareElectronSqlite(options?: {
  outDir?: string;
  target?: ElectronSqliteTarget;
  env?: Record<string, string | undefined>;
  quiet?: boolean;
  log?: (line: string) => void;
}): Promise<PrepareResult>;
