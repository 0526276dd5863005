import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentSource } from './document-cache';

/**
 * The download mark of a file saved with "Speichern unter" (issue #10 item 8). A document from mail or the
 * council system is as untrusted as a browser download, and the operating system's protections — Office's
 * macro block and Protected View, SmartScreen, Gatekeeper — apply only to files that carry the mark:
 * - Windows: Mark-of-the-Web, the `Zone.Identifier` alternate data stream with ZoneId=3 (Internet) and the
 *   source URL where one is known (HostUrl; `about:internet` for mail attachments, as mail clients write);
 * - macOS: the `com.apple.quarantine` attribute, written with the system's own /usr/bin/xattr;
 * - Linux: `user.xdg.origin.url` (freedesktop.org's convention, shown by file managers) where a URL is known,
 *   written with /usr/bin/setfattr from the `attr` package.
 * Node has no extended-attribute API. The platform tools are used instead of a native module: they ship with
 * the system (macOS) or in a standard package (Debian's `attr`, priority "important"), need no build per
 * Electron ABI, and run by absolute path without a shell. Marking is best effort — a file system without
 * streams or extended attributes (FAT, some network shares, a missing tool) keeps the file unmarked — and
 * never fails the save.
 */

export type DownloadMark =
  | { kind: 'zone-identifier'; stream: string; content: string }
  | { kind: 'quarantine'; value: string }
  | { kind: 'xdg'; attributes: ReadonlyArray<readonly [name: string, value: string]> }
  | { kind: 'none' };

export type MarkOutcome = 'marked' | 'not-marked';

/** The boundary to the operating system, replaceable in tests of the other platforms. */
export interface MarkIo {
  writeFile(path: string, data: string): Promise<void>;
  run(file: string, args: readonly string[]): Promise<void>;
}

const MAX_URL = 2000;

/** An http(s) URL without credentials or fragment, safe for a one-line field; null for anything else. */
function markUrl(ref: string): string | null {
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  // URL serialization percent-encodes control characters: no line break can reach the stream or attribute.
  const href = url.href;
  return href.length <= MAX_URL ? href : null;
}

/** What to write for a file saved from this source on this platform. */
export function downloadMarkFor(platform: NodeJS.Platform, source: DocumentSource, now: Date): DownloadMark {
  const url = source.kind === 'url' ? markUrl(source.ref) : null;
  if (platform === 'win32') {
    const lines = ['[ZoneTransfer]', 'ZoneId=3', `HostUrl=${url ?? 'about:internet'}`];
    return { kind: 'zone-identifier', stream: 'Zone.Identifier', content: `${lines.join('\r\n')}\r\n` };
  }
  if (platform === 'darwin') {
    // flags;seconds since 1970 in hex;agent;event id. 0081: downloaded (0x80) and "quarantined" (0x01).
    const seconds = Math.floor(now.getTime() / 1000).toString(16);
    return { kind: 'quarantine', value: `0081;${seconds};Ratsdesk;` };
  }
  if (platform === 'linux' || platform === 'freebsd') {
    return url ? { kind: 'xdg', attributes: [['user.xdg.origin.url', url]] } : { kind: 'none' };
  }
  return { kind: 'none' };
}

const systemIo: MarkIo = {
  writeFile: (path, data) => writeFile(path, data, { encoding: 'utf8' }),
  run: (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, [...args], { timeout: 10_000, windowsHide: true }, (err) => (err ? reject(err) : resolve()));
    }),
};

/**
 * Why a save failed, as a code the person reads a sentence for (issue #19 item 6): a name longer than the file
 * system allows (255 bytes on most, however few characters), a full disk, a folder they may not write to.
 * Before, the raw error crossed as INTERNAL and the person learnt only that something went wrong.
 */
function saveError(err: unknown): RatsdeskError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const detail = code.slice(0, 40) || 'write failed';
  switch (code) {
    case 'ENAMETOOLONG':
      return new RatsdeskError('SAVE_NAME_TOO_LONG', detail);
    case 'ENOSPC':
    case 'EDQUOT':
      return new RatsdeskError('SAVE_DISK_FULL', detail);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new RatsdeskError('SAVE_NOT_PERMITTED', detail);
    default:
      return new RatsdeskError('SAVE_FAILED', detail);
  }
}

/**
 * "Speichern unter": writes the bytes to the path the person chose, then its download mark. A failed write
 * says why (a stable code); the mark is best effort (see above).
 */
export async function saveDownloadedFile(
  path: string,
  bytes: Uint8Array,
  source: DocumentSource,
  options: { platform?: NodeJS.Platform; now?: Date; io?: MarkIo } = {},
): Promise<MarkOutcome> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw saveError(err);
  }
  return markDownloadedFile(path, source, options);
}

/** Writes the mark for `source` onto the saved file at `path`; never throws. */
export async function markDownloadedFile(
  path: string,
  source: DocumentSource,
  options: { platform?: NodeJS.Platform; now?: Date; io?: MarkIo } = {},
): Promise<MarkOutcome> {
  const mark = downloadMarkFor(options.platform ?? process.platform, source, options.now ?? new Date());
  const io = options.io ?? systemIo;
  try {
    switch (mark.kind) {
      case 'zone-identifier':
        await io.writeFile(`${path}:${mark.stream}`, mark.content);
        return 'marked';
      case 'quarantine':
        await io.run('/usr/bin/xattr', ['-w', 'com.apple.quarantine', mark.value, path]);
        return 'marked';
      case 'xdg':
        for (const [name, value] of mark.attributes)
          await io.run('/usr/bin/setfattr', ['-n', name, '-v', value, '--', path]);
        return 'marked';
      case 'none':
        return 'not-marked';
    }
  } catch {
    return 'not-marked';
  }
}
