import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runDoctor, type DoctorInput } from '../../electron/services/diagnostics/doctor';
import { doctorCli } from '../../electron/services/diagnostics/doctor-cli';
import type { DoctorCheck, DoctorReport } from '../../electron/services/diagnostics/doctor-report';
import { renderDoctorText } from '../../electron/services/diagnostics/doctor-text-report';
import { keychainAccountName } from '../../electron/services/account/account-service';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';

// SMTP is checked against a real Postfix (test/servers/postfix.ts): submission with STARTTLS on one
// port and implicit TLS on another, SASL through Dovecot.
const PASSWORD = 'Sehr-Geheim-Passwort-42!';
const KEYCHAIN_SERVICE = `ratsdesk-doctor-test-${process.pid}`;
let dovecot: DovecotServer;
let postfix: PostfixServer;
let wrongCa: ServerCert;
let council: Server;
let councilPort: number;
let tmp: string;

function check(report: DoctorReport, area: DoctorCheck['area'], step: DoctorCheck['step']): DoctorCheck {
  const c = report.checks.find((x) => x.area === area && x.step === step);
  if (!c) throw new Error(`no ${area}/${step} check in ${JSON.stringify(report.checks)}`);
  return c;
}

function goodInput(overrides: Partial<DoctorInput> = {}): DoctorInput {
  return {
    imap: { host: 'localhost', port: dovecot.imapsPort, tls: 'tls' },
    smtp: { host: 'localhost', port: postfix.submissionPort, tls: 'starttls' },
    councilUrl: `https://localhost:${councilPort}/oparl/v1.1/system`,
    username: 'anna',
    password: PASSWORD,
    extraCaPem: [dovecot.cert.caPem],
    keychainService: KEYCHAIN_SERVICE,
    timeoutMs: 5000,
    ...overrides,
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ratsdesk-doctor-'));
  dovecot = await startDovecot({ users: [{ user: 'anna', pass: PASSWORD }], withLmtpAndAuth: true });
  postfix = await startPostfix({ dovecot });
  wrongCa = makeTestCa();
  council = createServer({ cert: dovecot.cert.certPem, key: dovecot.cert.keyPem }, (req, res) => {
    if (req.url === '/oparl/v1.1/system') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'https://ris.stadt.example/oparl/v1.1/system',
          type: 'https://schema.oparl.org/1.1/System',
          name: 'Testrat',
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => council.listen(0, '127.0.0.1', r));
  councilPort = (council.address() as AddressInfo).port;
  await new KeychainService(KEYCHAIN_SERVICE).set('anna', PASSWORD);
});

afterAll(async () => {
  await new KeychainService(KEYCHAIN_SERVICE).delete('anna').catch(() => false);
  await new Promise<void>((r) => (council ? council.close(() => r()) : r()));
  await stopAndRemovePostfix(postfix);
  await stopAndRemove(dovecot);
  if (wrongCa) rmSync(wrongCa.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('doctor against real servers', () => {
  it('reports every check OK for a good setup (policy CA), and the text report holds no password', async () => {
    const report = await runDoctor(goodInput());
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(check(report, 'imap', 'dns').facts?.addresses).toContain('127.0.0.1');
    expect(check(report, 'imap', 'tcp').status).toBe('ok');
    // The test CA's certificates live two days: trusted, with a warning about the coming expiry.
    expect(check(report, 'imap', 'tls')).toMatchObject({ status: 'warn', facts: { trustedBy: 'policy-ca' } });
    expect(check(report, 'imap', 'tls').detail).toContain('expires in');
    expect(check(report, 'imap', 'capabilities').facts?.capabilities).toEqual(
      expect.arrayContaining(['IMAP4rev1', 'IDLE']),
    );
    expect(check(report, 'imap', 'login')).toMatchObject({ status: 'ok' });
    expect(check(report, 'smtp', 'tls')).toMatchObject({ status: 'warn', facts: { trustedBy: 'policy-ca' } });
    expect(check(report, 'smtp', 'tls').detail).toContain('STARTTLS');
    expect(check(report, 'smtp', 'auth').facts?.mechanisms).toEqual(expect.arrayContaining(['PLAIN']));
    expect(check(report, 'council', 'https')).toMatchObject({
      status: 'ok',
      facts: { oparlType: 'https://schema.oparl.org/1.1/System' },
    });
    expect(check(report, 'keychain', 'roundtrip').status).toBe('ok');
    expect(check(report, 'keychain', 'account').status).toBe('ok');
    expect(report.overall).not.toBe('fail');

    const text = renderDoctorText(report);
    expect(text).toContain('IMAP:');
    expect(text).toContain('[OK  ] login');
    expect(text).not.toContain(PASSWORD);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it('checks SMTP with implicit TLS too', async () => {
    const report = await runDoctor(
      goodInput({
        imap: undefined,
        councilUrl: null,
        keychainService: false,
        smtp: { host: '127.0.0.1', port: postfix.smtpsPort, tls: 'tls' },
      }),
    );
    expect(check(report, 'smtp', 'dns').status).toBe('skipped');
    expect(check(report, 'smtp', 'tls').detail).toContain('implicit TLS');
    expect(check(report, 'smtp', 'auth').status).toBe('ok');
  });

  it('checks IMAP over STARTTLS', async () => {
    const report = await runDoctor(
      goodInput({
        imap: { host: 'localhost', port: dovecot.imapPort, tls: 'starttls' },
        smtp: undefined,
        councilUrl: null,
        keychainService: false,
      }),
    );
    // The test CA's certificates live two days: the doctor warns about the coming expiry.
    expect(check(report, 'imap', 'tls')).toMatchObject({ status: 'warn', facts: { trustedBy: 'policy-ca' } });
    expect(check(report, 'imap', 'tls').detail).toMatch(/^STARTTLS .*expires in [01] days/);
    expect(check(report, 'imap', 'login').status).toBe('ok');
  });

  it('fails the TLS check for a certificate from an untrusted CA and never sends the password', async () => {
    const report = await runDoctor(goodInput({ extraCaPem: [wrongCa.caPem], keychainService: false }));
    expect(check(report, 'imap', 'tls')).toMatchObject({ status: 'fail', code: 'TLS_CERT_UNTRUSTED' });
    expect(check(report, 'imap', 'tls').facts?.issuer).toContain('Ratsdesk Test CA');
    expect(check(report, 'imap', 'login').status).toBe('skipped');
    expect(check(report, 'smtp', 'tls')).toMatchObject({ status: 'fail', code: 'TLS_CERT_UNTRUSTED' });
    expect(check(report, 'smtp', 'auth').status).toBe('skipped');
    expect(check(report, 'council', 'https')).toMatchObject({ status: 'fail', code: 'TLS_CERT_UNTRUSTED' });
    expect(report.overall).toBe('fail');
    expect(renderDoctorText(report)).not.toContain(PASSWORD);
  });

  it('fails the TLS check when the certificate does not name the host', async () => {
    // The certificate is for localhost / 127.0.0.1 / ::1 only.
    const report = await runDoctor(
      goodInput({
        imap: { host: '127.0.0.2', port: dovecot.imapsPort, tls: 'tls' },
        smtp: undefined,
        councilUrl: null,
        keychainService: false,
      }),
    );
    if (check(report, 'imap', 'tcp').status === 'ok') {
      expect(check(report, 'imap', 'tls')).toMatchObject({ status: 'fail', code: 'TLS_CERT_UNTRUSTED' });
      expect(check(report, 'imap', 'tls').detail).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    } else {
      // Dovecot listens on 127.0.0.1 only; then the refusal is the finding.
      expect(check(report, 'imap', 'tcp').code).toBe('CONNECTION_REFUSED');
    }
  });

  it('reports a closed port as CONNECTION_REFUSED and skips the rest', async () => {
    const closed = await freePort();
    const report = await runDoctor(
      goodInput({
        imap: { host: 'localhost', port: closed, tls: 'tls' },
        smtp: { host: 'localhost', port: closed, tls: 'starttls' },
        councilUrl: `https://localhost:${closed}/`,
        keychainService: false,
      }),
    );
    expect(check(report, 'imap', 'tcp')).toMatchObject({ status: 'fail', code: 'CONNECTION_REFUSED' });
    expect(check(report, 'imap', 'tls').status).toBe('skipped');
    expect(check(report, 'smtp', 'tcp')).toMatchObject({ status: 'fail', code: 'CONNECTION_REFUSED' });
    expect(check(report, 'council', 'https')).toMatchObject({ status: 'fail', code: 'CONNECTION_REFUSED' });
  });

  it('reports a wrong password as AUTH_FAILED without echoing it', async () => {
    const wrong = 'Falsches-Passwort-99';
    const report = await runDoctor(
      goodInput({ password: wrong, smtp: undefined, councilUrl: null, keychainService: false }),
    );
    expect(check(report, 'imap', 'login')).toMatchObject({ status: 'fail', code: 'AUTH_FAILED' });
    expect(renderDoctorText(report)).not.toContain(wrong);
  });

  it('reports an unknown host as HOST_NOT_FOUND', async () => {
    const report = await runDoctor(
      goodInput({
        imap: { host: 'imap.ratsdesk-test.invalid', port: 993, tls: 'tls' },
        smtp: undefined,
        councilUrl: null,
        keychainService: false,
      }),
    );
    expect(check(report, 'imap', 'dns')).toMatchObject({ status: 'fail', code: 'HOST_NOT_FOUND' });
  });

  it('the CLI reads the machine policy, logs in as the stored account with its keychain password and prints a password-free report', async () => {
    const policyFile = join(tmp, 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        smtpHost: 'localhost',
        smtpPort: postfix.submissionPort,
        smtpTls: 'starttls',
        oparlSystemUrl: `https://localhost:${councilPort}/oparl/v1.1/system`,
        extraCaCertificates: [dovecot.cert.caPem],
      }),
    );
    const dataDir = mkdtempSync(join(tmp, 'data-'));
    const account = { host: 'localhost', port: dovecot.imapsPort, security: 'tls' as const, username: 'anna' };
    writeFileSync(join(dataDir, 'account.json'), JSON.stringify(account));
    await new KeychainService(KEYCHAIN_SERVICE).set(keychainAccountName(account), PASSWORD);
    onTestFinished(() =>
      new KeychainService(KEYCHAIN_SERVICE).delete(keychainAccountName(account)).then(() => undefined),
    );
    let out = '';
    const code = await doctorCli(
      ['--doctor', '--password-from-keychain', '--keychain-service', KEYCHAIN_SERVICE],
      {
        out: (t) => (out += t),
        err: (t) => (out += t),
        env: {},
      },
      { dataDir, machinePolicyFile: policyFile },
    );
    expect(out).toContain('[OK  ] login');
    expect(out).toContain('AUTH offered over TLS');
    expect(out).toContain(`a password is stored for ${keychainAccountName(account)}`);
    expect(out).not.toContain(PASSWORD);
    expect(code).toBe(0);
  });

  it('the CLI names a broken machine policy in the report and fails', async () => {
    const policyFile = join(tmp, 'broken-policy.json');
    writeFileSync(policyFile, '{ "imapHost": ');
    let out = '';
    const code = await doctorCli(['--doctor', '--policy', policyFile, '--no-keychain'], {
      out: (t) => (out += t),
      err: (t) => (out += t),
      env: {},
    });
    expect(code).toBe(1);
    expect(out).toContain('Policy:');
    expect(out).toContain(`[FAIL] load         Policy ${policyFile} is not valid JSON`);
  });

  it('the CLI answers wrong usage with exit code 2 and the usage text', async () => {
    let out = '';
    const code = await doctorCli(['--doctor', '--imap', 'no-port-here'], {
      out: (t) => (out += t),
      err: (t) => (out += t),
      env: {},
    });
    expect(code).toBe(2);
    expect(out).toContain('ratsdesk --doctor [options]');
  });

  it('the CLI runs under plain Node (bundled like main bundles it) and exits 1 on a failure', async () => {
    // Inside the repository so the bundle resolves its external packages (zod, imapflow, keytar) from node_modules.
    const outDir = mkdtempSync(join(process.cwd(), 'node_modules', '.ratsdesk-doctor-cli-'));
    const outfile = join(outDir, 'doctor-cli.mjs');
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    await build({
      entryPoints: ['electron/services/diagnostics/doctor-cli-main.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    const caFile = join(tmp, 'wrong-ca.pem');
    writeFileSync(caFile, wrongCa.caPem);
    const policyFile = join(tmp, 'empty-policy.json');
    writeFileSync(policyFile, '{}');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          outfile,
          '--doctor',
          '--policy',
          policyFile,
          '--imap',
          `localhost:${dovecot.imapsPort}`,
          '--ca',
          caFile,
          '--no-keychain',
          '--json',
        ],
        { cwd: process.cwd(), env: { ...process.env, RATSDESK_DOCTOR_PASSWORD: PASSWORD } },
        (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout) }),
      );
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(check(report, 'imap', 'tls').code).toBe('TLS_CERT_UNTRUSTED');
    expect(result.stdout).not.toContain(PASSWORD);
  });
});
