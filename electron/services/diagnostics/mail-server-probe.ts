import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsMode } from '../../contract/policy';
import { classifyConnectError, createImapClient } from '../mail/imap-connection';
import { dnsStep, openTcp, runStep, skipped } from './check-step';
import type { CheckArea, DoctorCheck } from './doctor-report';
import { LineSession } from './line-session';
import { upgradeToTls, type TlsFacts } from './tls-upgrade';

export interface ProbeEndpoint {
  host: string;
  port: number;
  tls: TlsMode;
}

export interface ProbeOptions {
  extraCaPem: readonly string[];
  timeoutMs: number;
}

const CERT_WARN_DAYS = 14;

/** Connects (TCP, STARTTLS if asked, TLS) and adds the dns/tcp/tls checks; answers the trusted TLS socket or nothing. */
async function connectTls(
  area: CheckArea,
  endpoint: ProbeEndpoint,
  options: ProbeOptions,
  checks: DoctorCheck[],
  starttls: (session: LineSession) => Promise<void>,
): Promise<TLSSocket | undefined> {
  const dns = await dnsStep(area, endpoint.host);
  checks.push(dns);
  if (dns.status === 'fail') {
    checks.push(skipped(area, 'tcp', 'host name not found'), skipped(area, 'tls', 'host name not found'));
    return undefined;
  }
  let socket: Socket | undefined;
  const tcp = await runStep(area, 'tcp', async () => {
    socket = await openTcp(endpoint.host, endpoint.port, options.timeoutMs);
    return { detail: `connected to ${endpoint.host}:${endpoint.port}` };
  });
  checks.push(tcp);
  if (!socket) {
    checks.push(skipped(area, 'tls', 'no TCP connection'));
    return undefined;
  }
  const plain: Socket = socket;
  let facts: TlsFacts | undefined;
  const tls = await runStep(area, 'tls', async () => {
    if (endpoint.tls === 'starttls') {
      const session = new LineSession(plain, options.timeoutMs);
      try {
        await starttls(session);
      } finally {
        session.detach();
      }
    }
    facts = await upgradeToTls(plain, endpoint.host, options.extraCaPem, options.timeoutMs);
    const f = facts;
    const cert = {
      subject: f.subject,
      issuer: f.issuer,
      validTo: f.validTo,
      fingerprint256: f.fingerprint256,
      protocol: f.protocol,
    };
    const mode = endpoint.tls === 'starttls' ? 'STARTTLS' : 'implicit TLS';
    if (!f.trusted) {
      return {
        status: 'fail',
        code: 'TLS_CERT_UNTRUSTED',
        detail: `${mode}: certificate not trusted by the system or policy CAs (${f.reason}); issued to ${f.subject} by ${f.issuer}`,
        facts: { ...cert, reason: f.reason ?? '' },
      };
    }
    const by = f.trustedBy === 'policy-ca' ? 'a CA from the policy' : 'the system roots';
    if (f.daysLeft < CERT_WARN_DAYS) {
      return {
        status: 'warn',
        detail: `${mode} ${f.protocol}; trusted via ${by}, but expires in ${f.daysLeft} days (${f.validTo})`,
        facts: { ...cert, trustedBy: f.trustedBy ?? '' },
      };
    }
    return {
      detail: `${mode} ${f.protocol}; certificate for ${f.subject} trusted via ${by}, valid until ${f.validTo}`,
      facts: { ...cert, trustedBy: f.trustedBy ?? '' },
    };
  });
  checks.push(tls);
  if (tls.status === 'fail' || !facts?.trusted) {
    facts?.socket.destroy();
    plain.destroy();
    return undefined;
  }
  return facts.socket;
}

function tagged(tag: string) {
  return (line: string) => line.startsWith(`${tag} `);
}

/** DNS, TCP, TLS (chain against system + policy CAs), IMAP capabilities and, with a password, login. */
export async function probeImap(
  endpoint: ProbeEndpoint,
  login: { username: string; password: string } | undefined,
  options: ProbeOptions,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const tls = await connectTls('imap', endpoint, options, checks, async (s) => {
    await s.readLine(); // greeting
    s.write('D1 STARTTLS\r\n');
    const lines = await s.readUntil(tagged('D1'));
    if (!/^D1 OK/i.test(lines[lines.length - 1] ?? ''))
      throw Object.assign(new Error('server refused STARTTLS'), { code: 'ERR_STARTTLS', tlsFailed: true });
  });
  if (!tls) {
    checks.push(
      skipped('imap', 'capabilities', 'no trusted TLS connection'),
      skipped('imap', 'login', 'no trusted TLS connection'),
    );
    return checks;
  }
  const caps = await runStep('imap', 'capabilities', async () => {
    const s = new LineSession(tls, options.timeoutMs);
    try {
      if (endpoint.tls === 'tls') await s.readLine();
      s.write('D2 CAPABILITY\r\n');
      const lines = await s.readUntil(tagged('D2'));
      const capability = (lines.find((l) => /^\* CAPABILITY /i.test(l)) ?? '')
        .replace(/^\* CAPABILITY /i, '')
        .split(' ')
        .filter(Boolean);
      s.write('D3 LOGOUT\r\n');
      const list = capability.map((c) => c.toUpperCase());
      if (!list.includes('IMAP4REV1') && !list.includes('IMAP4REV2'))
        return {
          status: 'fail',
          code: 'SERVER_ERROR',
          detail: 'not an IMAP4rev1 server',
          facts: { capabilities: capability },
        };
      if (list.includes('LOGINDISABLED'))
        return {
          status: 'fail',
          code: 'SERVER_ERROR',
          detail: 'server refuses login (LOGINDISABLED) even over TLS',
          facts: { capabilities: capability },
        };
      const auth = capability.filter((c) => /^AUTH=/i.test(c)).map((c) => c.slice(5));
      return {
        detail: `IMAP4rev1 before login; login methods: ${auth.length > 0 ? auth.join(', ') : 'LOGIN command'}`,
        facts: { capabilities: capability },
      };
    } finally {
      s.detach();
      tls.destroy();
    }
  });
  checks.push(caps);
  if (!login) {
    checks.push(
      skipped('imap', 'login', 'no password given (the doctor never asks the keychain for it unless told to)'),
    );
    return checks;
  }
  checks.push(
    await runStep('imap', 'login', async () => {
      const client = createImapClient(
        { host: endpoint.host, port: endpoint.port, security: endpoint.tls, username: login.username },
        login.password,
        { extraCaPem: options.extraCaPem },
      );
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (err) {
        const e = classifyConnectError(err);
        return {
          status: 'fail',
          code: e.code,
          detail: e.code === 'AUTH_FAILED' ? `login as ${login.username} refused` : `login failed (${e.code})`,
        };
      }
      const after =
        client.capabilities instanceof Map ? [...client.capabilities.keys()].map((c) => String(c).toUpperCase()) : [];
      await client.logout().catch(() => undefined);
      const wanted = ['IDLE', 'UIDPLUS', 'MOVE', 'CONDSTORE', 'SPECIAL-USE'];
      const missing = wanted.filter((w) => !after.includes(w));
      return {
        status: missing.length > 0 ? 'warn' : 'ok',
        detail:
          missing.length > 0
            ? `logged in as ${login.username}; the server lacks ${missing.join(', ')} (works, but slower)`
            : `logged in as ${login.username}; ${wanted.join(', ')} supported`,
        facts: { capabilities: after },
      };
    }),
  );
  return checks;
}

async function ehlo(s: LineSession): Promise<string[]> {
  s.write('EHLO ratsdesk-doctor\r\n');
  const lines = await s.readUntil((l) => /^\d{3} /.test(l));
  if (!/^250/.test(lines[lines.length - 1] ?? ''))
    throw Object.assign(new Error(`EHLO refused: ${lines.join(' ').slice(0, 100)}`), { code: 'SMTP_EHLO' });
  return lines.map((l) => l.slice(4).trim());
}

/** DNS, TCP, TLS (STARTTLS or implicit), EHLO and whether AUTH is offered over TLS. */
export async function probeSmtp(endpoint: ProbeEndpoint, options: ProbeOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const tls = await connectTls('smtp', endpoint, options, checks, async (s) => {
    await s.readUntil((l) => /^\d{3} /.test(l));
    const ext = await ehlo(s);
    if (!ext.some((e) => /^STARTTLS\b/i.test(e)))
      throw Object.assign(new Error('server does not offer STARTTLS'), { code: 'ERR_STARTTLS', tlsFailed: true });
    s.write('STARTTLS\r\n');
    const answer = await s.readLine();
    if (!/^220/.test(answer))
      throw Object.assign(new Error(`STARTTLS refused: ${answer.slice(0, 80)}`), {
        code: 'ERR_STARTTLS',
        tlsFailed: true,
      });
  });
  if (!tls) {
    checks.push(
      skipped('smtp', 'ehlo', 'no trusted TLS connection'),
      skipped('smtp', 'auth', 'no trusted TLS connection'),
    );
    return checks;
  }
  let extensions: string[] = [];
  const s = new LineSession(tls, options.timeoutMs);
  try {
    checks.push(
      await runStep('smtp', 'ehlo', async () => {
        if (endpoint.tls === 'tls') await s.readUntil((l) => /^\d{3} /.test(l));
        extensions = await ehlo(s);
        const size = extensions.find((e) => /^SIZE\b/i.test(e));
        return {
          detail: `${extensions[0] ?? ''}${size ? `; ${size}` : ''}`,
          facts: { extensions: extensions.slice(1) },
        };
      }),
    );
    const auth = extensions.find((e) => /^AUTH[ =]/i.test(e));
    checks.push(
      auth
        ? {
            area: 'smtp',
            step: 'auth',
            status: 'ok',
            detail: `AUTH offered over TLS: ${auth.slice(5)}`,
            facts: { mechanisms: auth.slice(5).split(/\s+/) },
            durationMs: 0,
          }
        : {
            area: 'smtp',
            step: 'auth',
            status: 'fail',
            code: 'SERVER_ERROR',
            detail: 'server offers no AUTH over TLS; sending needs a login',
            durationMs: 0,
          },
    );
    s.write('QUIT\r\n');
  } finally {
    s.detach();
    tls.destroy();
  }
  return checks;
}
