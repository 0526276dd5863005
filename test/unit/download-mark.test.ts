import { describe, expect, it } from 'vitest';
import { downloadMarkFor, markDownloadedFile, type MarkIo } from '../../electron/services/documents/download-mark';

// Issue #10 item 8 on Windows and macOS: the decision is pure, the operating system is reached through a thin
// recorded boundary (writing the alternate data stream, running /usr/bin/xattr). Linux is tested for real in
// test/integration/download-mark-save-as.test.ts.
const NOW = new Date('2026-03-03T10:00:00Z');
const RIS = { kind: 'url' as const, ref: 'https://user:pw@ris.stadt.example/file/1.pdf#p=2' };
const MAIL = { kind: 'message' as const, ref: 'acc/INBOX/17/2' };

function recordingIo(fail = false): MarkIo & { writes: Array<[string, string]>; runs: Array<[string, string[]]> } {
  const writes: Array<[string, string]> = [];
  const runs: Array<[string, string[]]> = [];
  return {
    writes,
    runs,
    async writeFile(path, data) {
      if (fail) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      writes.push([path, data]);
    },
    async run(file, args) {
      if (fail) throw new Error('exit 1');
      runs.push([file, [...args]]);
    },
  };
}

describe('download marks', () => {
  it('Windows: Zone.Identifier with ZoneId=3 and the source URL, about:internet for mail', async () => {
    const io = recordingIo();
    expect(await markDownloadedFile('C:\\Users\\a\\Vorlage.pdf', RIS, { platform: 'win32', now: NOW, io })).toBe(
      'marked',
    );
    expect(await markDownloadedFile('C:\\Users\\a\\Rechnung.docm', MAIL, { platform: 'win32', now: NOW, io })).toBe(
      'marked',
    );
    expect(io.writes).toEqual([
      [
        'C:\\Users\\a\\Vorlage.pdf:Zone.Identifier',
        '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://ris.stadt.example/file/1.pdf\r\n',
      ],
      ['C:\\Users\\a\\Rechnung.docm:Zone.Identifier', '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=about:internet\r\n'],
    ]);
  });

  it('macOS: com.apple.quarantine through /usr/bin/xattr, for every source', async () => {
    const io = recordingIo();
    await markDownloadedFile('/Users/a/Rechnung.docm', MAIL, { platform: 'darwin', now: NOW, io });
    const seconds = Math.floor(NOW.getTime() / 1000).toString(16);
    expect(io.runs).toEqual([
      ['/usr/bin/xattr', ['-w', 'com.apple.quarantine', `0081;${seconds};Ratsdesk;`, '/Users/a/Rechnung.docm']],
    ]);
  });

  it('no line break or non-http URL reaches a mark', () => {
    const mark = downloadMarkFor('win32', { kind: 'url', ref: 'https://x.example/a\r\nZoneId=0' }, NOW);
    expect(mark.kind === 'zone-identifier' && mark.content.split('\r\n').filter((l) => l.startsWith('ZoneId'))).toEqual(
      ['ZoneId=3'],
    );
    expect(downloadMarkFor('linux', { kind: 'url', ref: 'file:///etc/passwd' }, NOW)).toEqual({ kind: 'none' });
    expect(downloadMarkFor('linux', { kind: 'upload', ref: 'file/x/a.pdf' }, NOW)).toEqual({ kind: 'none' });
  });

  it('a file system without streams or attributes leaves the file unmarked and the save intact', async () => {
    expect(await markDownloadedFile('E:\\a.pdf', RIS, { platform: 'win32', io: recordingIo(true) })).toBe('not-marked');
    expect(await markDownloadedFile('/Volumes/FAT/a.pdf', RIS, { platform: 'darwin', io: recordingIo(true) })).toBe(
      'not-marked',
    );
  });
});
