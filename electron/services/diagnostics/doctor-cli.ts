import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TlsMode } from '../../contract/policy';
import { KeychainService } from '../keychain/keychain-service';
import { readMachinePolicy } from '../policy/machine-policy-source';
import { resolvePolicy } from '../policy/policy-resolver';
import { doctorInputFromPolicy, runDoctor, type DoctorEndpoint, type DoctorInput } from './doctor';
import { renderDoctorText } from './doctor-text-report';

export const DOCTOR_USAGE = `ratsdesk --doctor [options]
  Checks DNS, TCP, TLS, IMAP, SMTP, the council system and the keychain, and prints a report
  for the helpdesk (no password in it). Servers come from the machine policy unless given here.
  --imap HOST:PORT[:tls|starttls]   IMAP server (default mode tls)
  --smtp HOST:PORT[:tls|starttls]   SMTP submission server
  --council URL                     OParl system URL or RIS base URL (https)
  --user NAME                       account name (IMAP login, keychain entry)
  --password-from-keychain          log in with the password stored in the keychain for --user
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

/** `ratsdesk --doctor`: runs under Electron's main (before any window) and under plain Node. */
export async function doctorCli(
  argv: readonly string[],
  io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env },
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
    const policy = resolvePolicy(await readMachinePolicy(v.policy ? { file: v.policy } : {}));
    input = doctorInputFromPolicy(policy);
    if (v.imap) input.imap = endpoint(v.imap);
    if (v.smtp) input.smtp = endpoint(v.smtp);
    if (v.council) input.councilUrl = v.council;
    if (v.user) input.username = v.user;
    input.extraCaPem = [...(input.extraCaPem ?? []), ...(v.ca ?? []).map((f) => readFileSync(f, 'utf8'))];
    const service = v['keychain-service'] ?? 'Ratsdesk';
    input.keychainService = v['no-keychain'] ? false : service;
    const fromEnv = io.env.RATSDESK_DOCTOR_PASSWORD;
    if (fromEnv) input.password = fromEnv;
    else if (v['password-from-keychain'] && input.username) {
      input.password = (await new KeychainService(service).get(input.username).catch(() => null)) ?? undefined;
    }
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${DOCTOR_USAGE}\n`);
    return 2;
  }
  const report = await runDoctor(input);
  io.out(args.values.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(report));
  return report.overall === 'fail' ? 1 : 0;
}
