import { type ChildProcess, spawn } from 'node:child_process';
import {
  chownSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildMimeMessage } from '../support/mime-message';
import { freePort, waitForPort } from './free-port';
import { makeTestCa, type ServerCert } from './tls-ca';

export interface TestUser {
  user: string;
  pass: string;
}

export interface DovecotOptions {
  users?: TestUser[];
  /** 'required': TLS everywhere (implicit TLS on imaps, STARTTLS on imap); 'none': no TLS at all. */
  tls?: 'required' | 'none';
  cert?: ServerCert;
  /** Also open an auth listener (Postfix SASL) and LMTP listener on loopback. */
  withLmtpAndAuth?: boolean;
  /** Appended to the generated config (benchmarks raise the process limits for hundreds of clients). */
  extraConfig?: string;
}

export interface SeedMessage {
  from?: string;
  to?: string;
  subject: string;
  body?: string;
  date?: Date;
  seen?: boolean;
  /** A complete raw RFC 5322 message; overrides the fields above. */
  raw?: string;
}

export interface DovecotServer {
  dir: string;
  host: '127.0.0.1';
  /** Implicit TLS port (absent when tls is 'none'). */
  imapsPort: number;
  /** Plain IMAP port: STARTTLS required when tls is 'required', cleartext when 'none'. */
  imapPort: number;
  lmtpPort: number;
  authPort: number;
  cert: ServerCert;
  users: TestUser[];
  maildir(user: string): string;
  /**
   * Adds a user to the running server. Resolves once Dovecot is sure to see it: its auth process stats the
   * passwd-file at most once per second (db-passwd-file.c, `last_sync_time == ioloop_time`), so a login in
   * the same second as the write may be checked against the old copy and refused.
   */
  addUser(user: TestUser): Promise<void>;
  seed(user: string, messages: SeedMessage[], folder?: string): void;
  start(): Promise<void>;
  /**
   * Stops the master. Its session processes outlive it for a while (as with `kill` of the master alone);
   * `{ sessions: 'end' }` ends them too, as `systemctl restart dovecot` does (it signals the whole cgroup).
   */
  stop(options?: { sessions?: 'end' }): Promise<void>;
}

/** Every process below `pid` (from /proc; Linux). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …" - comm may hold spaces and parentheses: read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const DOVECOT = '/usr/sbin/dovecot';

function uidOf(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
  return { uid, gid };
}

/** The raw message a seed stands for: its own `raw`, or a plain-text mail built from its fields. */
export function buildMessage(m: SeedMessage, i: number): string {
  if (m.raw) return m.raw;
  return buildMimeMessage({
    from: m.from ?? 'Stadtverwaltung <info@stadt.example>',
    to: m.to ?? 'ratsmitglied@stadt.example',
    subject: m.subject,
    date: m.date ?? new Date(Date.UTC(2026, 2, 1, 8, 0, i % 60)),
    messageId: `seed-${i}-${Math.random().toString(36).slice(2)}@stadt.example`,
    text: m.body ?? `Nachricht ${i}`,
  });
}

/**
 * A real Dovecot (Debian's dovecot-imapd) on 127.0.0.1 from a private config, with a throwaway CA.
 * Runs as root with its login and mail processes as the unprivileged dovenull/dovecot users.
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  if (!existsSync(DOVECOT)) throw new Error('dovecot is not installed (Debian package dovecot-imapd)');
  if (userInfo().uid !== 0)
    throw new Error('the Dovecot test server runs as root (its login processes drop privileges)');
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-dovecot-'));
  chmodSync(dir, 0o755);
  const users = [...(options.users ?? [{ user: 'anna', pass: 'geheim-123' }])];
  const tlsOn = (options.tls ?? 'required') === 'required';
  const cert = options.cert ?? makeTestCa();
  const [imapsPort, imapPort, lmtpPort, authPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dovecotUser = uidOf('dovecot');
  const mailRoot = join(dir, 'mail');
  mkdirSync(mailRoot);
  chownSync(mailRoot, dovecotUser.uid, dovecotUser.gid);
  // Written whole and renamed into place: the auth process never reads a half-written file.
  const writeUsers = () => {
    const tmp = join(dir, 'passwd.new');
    writeFileSync(tmp, users.map((u) => `${u.user}:{PLAIN}${u.pass}::::::`).join('\n') + '\n', { mode: 0o644 });
    chmodSync(tmp, 0o644);
    renameSync(tmp, join(dir, 'passwd'));
  };
  writeUsers();

  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = ${Math.min(dovecotUser.uid, 100)}
mail_uid = dovecot
mail_gid = dovecot
mail_location = maildir:${mailRoot}/%n/Maildir
auth_mechanisms = plain login
${tlsOn ? `ssl = required\nssl_cert = <${cert.certFile}\nssl_key = <${cert.keyFile}\ndisable_plaintext_auth = yes` : 'ssl = no\ndisable_plaintext_auth = no'}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${mailRoot}/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsOn ? imapsPort : 0}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${options.withLmtpAndAuth ? lmtpPort : 0}
  }
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = ${options.withLmtpAndAuth ? authPort : 0}
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
${options.extraConfig ?? ''}`;
  writeFileSync(join(dir, 'dovecot.conf'), conf);

  let proc: ChildProcess | undefined;
  const server: DovecotServer = {
    dir,
    host: '127.0.0.1',
    imapsPort,
    imapPort,
    lmtpPort,
    authPort,
    cert,
    users,
    maildir(user: string) {
      return join(mailRoot, user, 'Maildir');
    },
    async addUser(user) {
      users.push(user);
      writeUsers();
      // Past the second of the write (and a little more for Dovecot's cached loop time): the next lookup stats.
      const nextSecond = (Math.floor(Date.now() / 1000) + 1) * 1000 + 50;
      await new Promise((resolve) => setTimeout(resolve, nextSecond - Date.now()));
    },
    seed(user, messages, folder) {
      const base = folder && folder !== 'INBOX' ? join(server.maildir(user), `.${folder}`) : server.maildir(user);
      for (const sub of ['', 'cur', 'new', 'tmp']) {
        const p = join(base, sub);
        mkdirSync(p, { recursive: true });
      }
      execFileSync('chown', ['-R', `${dovecotUser.uid}:${dovecotUser.gid}`, join(mailRoot, user)]);
      const stamp = Date.now();
      messages.forEach((m, i) => {
        const name = `${stamp}.M${i}P${process.pid}.ratsdesk`;
        const file = m.seen ? join(base, 'cur', `${name}:2,S`) : join(base, 'new', name);
        writeFileSync(file, buildMessage(m, i));
        chownSync(file, dovecotUser.uid, dovecotUser.gid);
      });
    },
    async start() {
      if (proc) return;
      const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      proc = child;
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => {
          const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
          reject(new Error(`dovecot exited (${code}): ${stderr}\n${log.slice(-2000)}`));
        }),
      );
      exited.catch(() => undefined);
      await Promise.race([waitForPort(tlsOn ? imapsPort : imapPort), exited]);
    },
    async stop(stopOptions) {
      const child = proc;
      proc = undefined;
      if (!child || child.exitCode !== null) return;
      const sessions = stopOptions?.sessions === 'end' && child.pid ? descendants(child.pid) : [];
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      for (const pid of sessions) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone with the master.
        }
      }
    },
  };
  await server.start();
  return server;
}

export async function stopAndRemove(server: DovecotServer | undefined): Promise<void> {
  if (!server) return;
  await server.stop();
  rmSync(server.dir, { recursive: true, force: true });
  rmSync(server.cert.dir, { recursive: true, force: true });
}
