import { readFile } from 'node:fs/promises';
import {
  readRegistryPolicy,
  WINDOWS_POLICY_KEY,
  WINDOWS_USER_POLICY_KEY,
  type RegQueryRunner,
} from './windows-registry-policy';

/** Where the machine-wide policy file lives on macOS and Linux. */
export function defaultMachinePolicyFile(platform: NodeJS.Platform): string | undefined {
  if (platform === 'darwin') return '/Library/Application Support/Ratsdesk/policy.json';
  if (platform === 'win32') return undefined;
  return '/etc/ratsdesk/policy.json';
}

export interface MachinePolicyOptions {
  platform?: NodeJS.Platform;
  /** Overrides the policy file path (macOS/Linux), e.g. a temp file in tests. */
  file?: string;
  /** Overrides how `reg query` runs (Windows), e.g. recorded output in tests. */
  regQuery?: RegQueryRunner;
}

/** What was found at the machine-wide policy location, before validation. */
export type MachinePolicyRead =
  | { source: string; kind: 'absent' }
  | { source: string; kind: 'read'; raw: unknown }
  | { source: string; kind: 'unreadable'; message: string }
  | { source: string; kind: 'bad-json'; message: string };

export async function readMachinePolicy(options: MachinePolicyOptions = {}): Promise<MachinePolicyRead> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32' && !options.file) {
    // Machine policy (HKLM) and user-GPO policy (HKCU): both are the administration's; a key in both takes
    // the machine's value. A policy that cannot be read makes the whole policy unreadable (safe values).
    const machine = await readRegistryPolicy(options.regQuery, WINDOWS_POLICY_KEY);
    const user = await readRegistryPolicy(options.regQuery, WINDOWS_USER_POLICY_KEY);
    if (machine.kind === 'unreadable')
      return { source: WINDOWS_POLICY_KEY, kind: 'unreadable', message: machine.message };
    if (user.kind === 'unreadable')
      return { source: WINDOWS_USER_POLICY_KEY, kind: 'unreadable', message: user.message };
    if (machine.kind === 'absent' && user.kind === 'absent') return { source: WINDOWS_POLICY_KEY, kind: 'absent' };
    if (user.kind === 'absent')
      return { source: WINDOWS_POLICY_KEY, kind: 'read', raw: (machine as { raw: unknown }).raw };
    const userRaw = user.raw as Record<string, unknown>;
    if (machine.kind === 'absent') return { source: WINDOWS_USER_POLICY_KEY, kind: 'read', raw: userRaw };
    return {
      source: `${WINDOWS_POLICY_KEY}; ${WINDOWS_USER_POLICY_KEY}`,
      kind: 'read',
      raw: { ...userRaw, ...(machine.raw as Record<string, unknown>) },
    };
  }
  const file = options.file ?? defaultMachinePolicyFile(platform) ?? '/etc/ratsdesk/policy.json';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { source: file, kind: 'absent' };
    return { source: file, kind: 'unreadable', message: `${code ?? 'error'} reading the file` };
  }
  try {
    return { source: file, kind: 'read', raw: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (err) {
    return { source: file, kind: 'bad-json', message: err instanceof Error ? err.message : String(err) };
  }
}
