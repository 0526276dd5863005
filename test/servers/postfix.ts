import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DovecotServer } from './dovecot';
import { freePort, waitForPort } from './free-port';
import type { ServerCert } from './tls-ca';

const run = promisify(execFile);
const POSTFIX = '/usr/sbin/postfix';

export interface PostfixOptions {
  /** The Dovecot that authenticates (SASL, its auth inet listener) and receives (LMTP inet listener). */
  dovecot: DovecotServer;
  /** Server certificate; default: Dovecot's (same test CA). */
  cert?: ServerCert;
  /** Mail domain delivered to Dovecot; local parts are Dovecot's user names. */
  domain?: string;
  /** message_size_limit in bytes (default 30 MB). */
  messageSizeLimit?: number;
}

export interface PostfixServer {
  dir: string;
  host: '127.0.0.1';
  /** Submission port in 587 style: STARTTLS required, AUTH only after TLS. */
  submissionPort: number;
  /** Submission port in 465 style: implicit TLS (wrapper mode). */
  smtpsPort: number;
  domain: string;
  cert: ServerCert;
  /** Address of a Dovecot user at the test domain. */
  addressOf(user: string): string;
  maillog(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function idOf(flag: '-u' | '-g', name: string): number {
  const out = readFileSync(flag === '-u' ? '/etc/passwd' : '/etc/group', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === name);
  if (!out?.[2]) throw new Error(`no ${flag === '-u' ? 'user' : 'group'} ${name}`);
  return Number(out[2]);
}

/**
 * A real Postfix (Debian 12's postfix 3.7) from a private config directory on 127.0.0.1: submission with
 * STARTTLS required and implicit TLS, SASL through Dovecot's auth service, delivery over LMTP into Dovecot.
 * Each instance has its own queue and data directory, so several can run at once.
 */
export async function startPostfix(options: PostfixOptions): Promise<PostfixServer> {
  if (!existsSync(POSTFIX)) throw new Error('postfix is not installed (Debian package postfix)');
  if (userInfo().uid !== 0) throw new Error('the Postfix test server runs as root (postfix -c DIR start)');
  const { dovecot } = options;
  if (!dovecot.lmtpPort || !dovecot.authPort) throw new Error('start Dovecot with withLmtpAndAuth: true');
  const domain = options.domain ?? 'stadt.example';
  const cert = options.cert ?? dovecot.cert;
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-postfix-'));
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  const logDir = join(dir, 'log');
  for (const d of [conf, queue, data, logDir]) mkdirSync(d, { recursive: true });
  const postfixUid = idOf('-u', 'postfix');
  const postfixGid = idOf('-g', 'postfix');
  chownSync(data, postfixUid, postfixGid);
  chmodSync(data, 0o700);
  // Postfix reads the key as root before dropping privileges; keep copies inside the instance.
  writeFileSync(join(conf, 'server.pem'), readFileSync(cert.certFile));
  writeFileSync(join(conf, 'server.key'), readFileSync(cert.keyFile));
  chmodSync(join(conf, 'server.key'), 0o600);
  writeFileSync(join(conf, 'vmailbox'), dovecot.users.map((u) => `${u.user}@${domain} ok`).join('\n') + '\n');

  const [submissionPort, smtpsPort] = [await freePort(), await freePort()];
  const maillog = join(logDir, 'maillog');
  const mainCf = `
compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = localhost
mydomain = ${domain}
myorigin = ${domain}
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
maillog_file = ${maillog}
maillog_file_prefixes = ${logDir}
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = yes
message_size_limit = ${options.messageSizeLimit ?? 30 * 1024 * 1024}
virtual_mailbox_domains = ${domain}
virtual_mailbox_maps = texthash:${join(conf, 'vmailbox')}
virtual_transport = lmtp:inet:127.0.0.1:${dovecot.lmtpPort}
smtpd_tls_cert_file = ${join(conf, 'server.pem')}
smtpd_tls_key_file = ${join(conf, 'server.key')}
smtpd_tls_security_level = encrypt
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:${dovecot.authPort}
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_client_restrictions = permit_sasl_authenticated, permit_mynetworks
smtpd_reject_unlisted_recipient = yes
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 100
smtpd_client_connection_rate_limit = 0
anvil_rate_time_unit = 1s
smtpd_delay_reject = yes
lmtp_destination_concurrency_limit = 20
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
`;
  writeFileSync(join(conf, 'main.cf'), mainCf);
  // service type private unpriv chroot wakeup maxproc command; chroot off everywhere.
  const masterCf = `
127.0.0.1:${submissionPort} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_wrappermode=no
127.0.0.1:${smtpsPort} inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
  writeFileSync(join(conf, 'master.cf'), masterCf);

  const postfix = async (...args: string[]): Promise<void> => {
    try {
      await run(POSTFIX, ['-c', conf, ...args], { env: { ...process.env, MAIL_CONFIG: conf } });
    } catch (err) {
      const log = existsSync(maillog) ? readFileSync(maillog, 'utf8').slice(-3000) : '(no maillog)';
      const e = err as { stderr?: string; message?: string };
      throw new Error(`postfix ${args.join(' ')} failed: ${e.stderr ?? ''} ${e.message ?? ''}\n${log}`);
    }
  };

  // What `postfix set-permissions` / `post-install create-missing` would create (see /etc/postfix/postfix-files),
  // done directly: those scripts take seconds. With the layout in place every start uses quick-start.
  const postdropGid = idOf('-g', 'postdrop');
  chmodSync(queue, 0o755);
  for (const [name, gid, mode] of [
    ...[
      'active',
      'bounce',
      'corrupt',
      'defer',
      'deferred',
      'flush',
      'hold',
      'incoming',
      'private',
      'saved',
      'trace',
    ].map((n) => [n, postfixGid, 0o700] as const),
    ['maildrop', postdropGid, 0o730] as const,
    ['public', postdropGid, 0o710] as const,
  ]) {
    const d = join(queue, name);
    mkdirSync(d);
    chownSync(d, postfixUid, gid);
    chmodSync(d, mode);
  }
  mkdirSync(join(queue, 'pid'));
  chmodSync(join(queue, 'pid'), 0o755);
  let running = false;
  const server: PostfixServer = {
    dir,
    host: '127.0.0.1',
    submissionPort,
    smtpsPort,
    domain,
    cert,
    addressOf: (user) => `${user}@${domain}`,
    maillog: () => (existsSync(maillog) ? readFileSync(maillog, 'utf8') : ''),
    async start() {
      if (running) return;
      // Skips the slow integrity scan of postfix-script (the queue layout above is known good).
      writeFileSync(join(queue, 'quick-start'), '');
      await postfix('start');
      running = true;
      await waitForPort(submissionPort);
      await waitForPort(smtpsPort);
    },
    async stop() {
      if (!running) return;
      running = false;
      await postfix('stop');
      // master exits asynchronously; wait until the ports are closed so a restart can bind them again.
      const pidFile = join(queue, 'pid', 'master.pid');
      for (let i = 0; i < 200 && existsSync(pidFile); i++) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        if (!pid || !isAlive(pid)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  await server.start();
  return server;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopAndRemovePostfix(server: PostfixServer | undefined): Promise<void> {
  if (!server) return;
  await server.stop();
  rmSync(server.dir, { recursive: true, force: true });
}
