import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AccountSettingsSchema, type AccountSettings } from '../../contract/account';
import type { TlsMode } from '../../contract/policy';
import { keychainAccountName } from '../account/account-service';
import { KeychainService } from '../keychain/keychain-service';
import { logFileIn, readLogTail } from '../log/log-service';
import { readMachinePolicy } from '../policy/machine-policy-source';
import { resolvePolicy } from '../policy/policy-resolver';
import { JsonSettingsFile } from '../files/json-settings-file';
import {
  doctorInputForAccount,
  doctorInputFromPolicy,
  runDoctor,
  type DoctorEndpoint,
  type DoctorInput,
} from './doctor';
import { renderDoctorText } from './doctor-text-report';

export const DOCTOR_USAGE = `ratsdesk --doctor [options]
  Checks DNS, TCP, TLS, IMAP, SMTP, the council system and the keychain, and prints a report
  for the helpdesk (no password in it). Servers come from the machine policy unless given here.
  --imap HOST:PORT[:tls|starttls]   IMAP server (default mode tls)
  --smtp HOST:PORT[:tls|starttls]   SMTP submission server
  --council URL                     OParl system URL or RIS base URL (https)
  --user NAME                       IMAP login name (for a login with RATSDESK_DOCTOR_PASSWORD)
  --password-from-keychain          log in as the account set up in the app, with its stored password, to its
                                    own server only; not together with --imap, --smtp, --ca or --policy
                                    (or set RATSDESK_DOCTOR_PASSWORD; never pass a password as argument)
  --ca FILE                         extra trusted CA (PEM), repeatable; adds to the policy's CAs
  --policy FILE                     read machine policy from FILE instead of the default place
  --keychain-service NAME           keychain service name (default Ratsdesk)
  --no-keychain                     skip the keychain checks
  --json                            print the structured report as JSON
Exit code: 0 when nothing failed, 1 when a check failed, 2 on wrong usage.`;

function endpoint(spec: string): DoctorEndpoint {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})(?::(tls|starttls))?$/.exec(spec);
  if (!m) throw new Error(`cannot read "${spec}": use HOST:PORT or HOST:PORT:starttls`);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(m[2]), tls: (m[3] ?? 'tls') as TlsMode };
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** Where the app keeps account.json: Electron's userData folder for "Ratsdesk" (main passes its own). */
export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Ratsdesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Ratsdesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Ratsdesk');
}

/** Not reachable from the command line: main passes its data folder, tests their temporary folders. */
export interface DoctorCliOptions {
  dataDir?: string;
  /** The machine policy file in place of the platform's (tests); `--policy` cannot go with the keychain. */
  machinePolicyFile?: string;
}

// Issue #10 item 1: the keychain holds the vault key and other secrets beside the account password. The doctor
// reads only the password of the account the app has stored, from that account's own keychain entry, and sends
// it only to that account's own server, trusting only the system roots and the machine policy's CAs. Every
// option that would aim it elsewhere is refused together with --password-from-keychain.
const NOT_WITH_KEYCHAIN = ['imap', 'smtp', 'ca', 'policy'] as const;

async function storedAccount(dataDir: string): Promise<AccountSettings | null> {
  return (await new JsonSettingsFile(join(dataDir, 'account.json'), AccountSettingsSchema).read()) ?? null;
}

/** `ratsdesk --doctor`: runs under Electron's main (before any window) and under plain Node. */
export async function doctorCli(
  argv: readonly string[],
  io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env },
  options: DoctorCliOptions = {},
): Promise<number> {
  let args: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv.filter((a) => a !== '--doctor'),
      options: {
        imap: { type: 'string' },
        smtp: { type: 'string' },
        council: { type: 'string' },
        user: { type: 'string' },
        'password-from-keychain': { type: 'boolean', default: false },
        ca: { type: 'string', multiple: true },
        policy: { type: 'string' },
        'keychain-service': { type: 'string' },
        'no-keychain': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  }
  let input: DoctorInput;
  try {
    args = parse();
    if (args.values.help) {
      io.out(`${DOCTOR_USAGE}\n`);
      return 0;
    }
    const v = args.values;
    const fromKeychain = v['password-from-keychain'] && !io.env.RATSDESK_DOCTOR_PASSWORD;
    const overrides = NOT_WITH_KEYCHAIN.filter((name) => v[name] !== undefined);
    if (fromKeychain && overrides.length > 0) {
      throw new Error(
        `--password-from-keychain sends the stored password only to the account's own server: it cannot be combined with ${overrides.map((o) => `--${o}`).join(', ')}`,
      );
    }
    const policyFile = v.policy ?? options.machinePolicyFile;
    const policy = resolvePolicy(await readMachinePolicy(policyFile ? { file: policyFile } : {}));
    const service = v['keychain-service'] ?? 'Ratsdesk';
    if (fromKeychain) {
      const account = await storedAccount(options.dataDir ?? defaultDataDir(io.env));
      if (!account) throw new Error('--password-from-keychain: no account is set up in Ratsdesk on this computer');
      if (v.user !== undefined && v.user !== account.username) {
        throw new Error(
          `--password-from-keychain: --user must be the stored account's user name (${account.username})`,
        );
      }
      const password =
        (await new KeychainService(service).get(keychainAccountName(account)).catch(() => null)) ?? undefined;
      input = doctorInputForAccount(policy, account, password);
    } else {
      input = doctorInputFromPolicy(policy);
      if (v.imap) input.imap = endpoint(v.imap);
      if (v.smtp) input.smtp = endpoint(v.smtp);
      if (v.user) input.username = v.user;
      input.extraCaPem = [...(input.extraCaPem ?? []), ...(v.ca ?? []).map((f) => readFileSync(f, 'utf8'))];
      const fromEnv = io.env.RATSDESK_DOCTOR_PASSWORD;
      if (fromEnv) input.password = fromEnv;
    }
    if (v.council) input.councilUrl = v.council;
    input.keychainService = v['no-keychain'] ? false : service;
    input.logTail = readLogTail(logFileIn(options.dataDir ?? defaultDataDir(io.env)));
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${DOCTOR_USAGE}\n`);
    return 2;
  }
  const report = await runDoctor(input);
  io.out(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(report));
  return report.overall === 'fail' ? 1 : 0;
}
