import { beforeEach, describe, expect, it, vi } from 'vitest';

// Issue #10 item 13: the Windows policy reader must run Windows' own reg.exe by its absolute path, never
// `reg` looked up in the current folder and PATH. The process boundary (node:child_process) is stubbed: only
// the program and arguments it is asked to run are recorded.
const calls: Array<{ file: string; args: readonly string[] }> = [];
vi.mock('node:child_process', () => ({
  execFile: (
    file: string,
    args: readonly string[],
    _options: unknown,
    done: (err: Error | null, stdout: string, stderr: string) => void,
  ) => {
    calls.push({ file, args });
    done(null, '', '');
  },
}));

const { regExecutable, runRegQuery, WINDOWS_POLICY_KEY } =
  await import('../../electron/services/policy/windows-registry-policy');

describe('Windows policy: reg.exe', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('runs %SystemRoot%\\System32\\reg.exe by its absolute path', async () => {
    const saved = process.env.SystemRoot;
    process.env.SystemRoot = 'D:\\Windows';
    try {
      await runRegQuery(WINDOWS_POLICY_KEY);
    } finally {
      if (saved === undefined) delete process.env.SystemRoot;
      else process.env.SystemRoot = saved;
    }
    expect(calls).toEqual([{ file: 'D:\\Windows\\System32\\reg.exe', args: ['query', WINDOWS_POLICY_KEY] }]);
  });

  it('falls back to C:\\Windows when SystemRoot is missing or not an absolute drive path', () => {
    expect(regExecutable({})).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExecutable({ SystemRoot: 'Windows' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExecutable({ SystemRoot: '\\\\evil\\share' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExecutable({ SystemRoot: 'C:\\WINDOWS\\' })).toBe('C:\\WINDOWS\\System32\\reg.exe');
    expect(regExecutable({ SYSTEMROOT: 'E:\\Win' })).toBe('E:\\Win\\System32\\reg.exe');
  });
});
