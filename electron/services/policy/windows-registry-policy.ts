import { execFile } from 'node:child_process';
import { policyKeys, type PolicyKey, type RegistryType } from '../../contract/policy';

/** Where machine policy lives on Windows (GPO / Intune ADMX-backed settings write here). */
export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\Ratsdesk';
/** Per-user policy (user GPO); below the machine policy, above the person's own settings. */
export const WINDOWS_USER_POLICY_KEY = 'HKCU\\Software\\Policies\\Ratsdesk';

export interface RegistryValue {
  name: string;
  type: string;
  data: string;
}

/** Runs `reg query KEY` and answers its exit code and output; injectable so tests replay recorded output. */
export type RegQueryRunner = (key: string) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/**
 * The absolute path of Windows' own reg.exe. Never plain `reg`: Windows searches the current folder and PATH
 * for it, so a reg.exe or reg.bat dropped there (by anyone who can write to either) would answer the machine
 * policy — or run as the app. %SystemRoot% is used only when it is an absolute drive path.
 */
export function regExecutable(env: Record<string, string | undefined> = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? '';
  const systemRoot = /^[A-Za-z]:\\[^"%*<>?|]*$/.test(root) ? root : 'C:\\Windows';
  return `${systemRoot}${systemRoot.endsWith('\\') ? '' : '\\'}System32\\reg.exe`;
}

export const runRegQuery: RegQueryRunner = (key) =>
  new Promise((resolve) => {
    execFile(regExecutable(), ['query', key], { windowsHide: true, timeout: 10_000 }, (err, stdout, stderr) => {
      const code =
        err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*)|\s*)$/;

/** Parses the text `reg query` prints: one `    name    REG_TYPE    data` line per value. */
export function parseRegQueryOutput(stdout: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = VALUE_LINE.exec(line);
    if (!m) continue;
    values.push({ name: m[1] ?? '', type: m[2] ?? '', data: (m[3] ?? '').trimEnd() });
  }
  return values;
}

function splitPemLines(lines: string[]): string[] {
  const text = lines.join('\n');
  return (
    text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((c) => `${c}\n`) ??
    (text.trim() ? [text] : [])
  );
}

/**
 * Turns one registry value into the JSON value the policy schema expects, using the key's documented
 * registry type. Values of a different shape are passed through unchanged so that validation reports
 * them (wrong type) instead of guessing.
 */
export function registryValueToPolicyValue(key: PolicyKey | undefined, value: RegistryValue): unknown {
  const expected: RegistryType | undefined = key ? policyKeys[key].registry : undefined;
  const def = key ? policyKeys[key] : undefined;
  const sample = def?.default ?? def?.safe;
  const wantsBoolean = typeof sample === 'boolean';
  const wantsNumber = typeof sample === 'number';
  switch (value.type) {
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const n = Number.parseInt(value.data, value.data.startsWith('0x') ? 16 : 10);
      if (wantsBoolean && (n === 0 || n === 1)) return n === 1;
      return n;
    }
    case 'REG_MULTI_SZ': {
      const items = value.data === '' ? [] : value.data.split('\\0').filter((s) => s !== '');
      if (key === 'extraCaCertificates') return splitPemLines(items);
      return items;
    }
    case 'REG_SZ':
    case 'REG_EXPAND_SZ': {
      if (wantsNumber && /^\s*\d+\s*$/.test(value.data)) return Number(value.data);
      if (wantsBoolean && /^(true|false|0|1)$/i.test(value.data.trim())) return /^(true|1)$/i.test(value.data.trim());
      if (expected === 'REG_MULTI_SZ') {
        if (key === 'extraCaCertificates') return splitPemLines(value.data.split(/\\n|\n/));
        return value.data
          .split(/[;,]/)
          .map((s) => s.trim())
          .filter((s) => s !== '');
      }
      return value.data;
    }
    default:
      return value.data;
  }
}

export type RegistryPolicyRead =
  { kind: 'absent' } | { kind: 'read'; raw: Record<string, unknown> } | { kind: 'unreadable'; message: string };

/** Reads HKLM\Software\Policies\Ratsdesk through `reg query`. A missing key means: no machine policy. */
export async function readRegistryPolicy(
  run: RegQueryRunner = runRegQuery,
  key = WINDOWS_POLICY_KEY,
): Promise<RegistryPolicyRead> {
  let result: Awaited<ReturnType<RegQueryRunner>>;
  try {
    result = await run(key);
  } catch (err) {
    return { kind: 'unreadable', message: err instanceof Error ? err.message : String(err) };
  }
  if (result.exitCode !== 0) {
    // reg.exe answers exit code 1 and "unable to find the specified registry key" when no policy exists.
    if (/unable to find|nicht gefunden|konnte den angegebenen/i.test(result.stderr + result.stdout))
      return { kind: 'absent' };
    return {
      kind: 'unreadable',
      message: (result.stderr || result.stdout).trim().slice(0, 300) || `reg query exited ${result.exitCode}`,
    };
  }
  const raw: Record<string, unknown> = {};
  for (const value of parseRegQueryOutput(result.stdout)) {
    if (value.name === '(Default)' || value.name === '(Standard)') continue;
    const known = value.name in policyKeys ? (value.name as PolicyKey) : undefined;
    raw[value.name] = registryValueToPolicyValue(known, value);
  }
  return { kind: 'read', raw };
}
