import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAccountName } from '../../electron/services/account/account-service';
import { doctorCli } from '../../electron/services/diagnostics/doctor-cli';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { DEFAULT_VAULT_KEY_ACCOUNT } from '../../electron/services/vault/vault-key';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { makeTestCa, type ServerCert } from '../servers/tls-ca';

// Issue #10 item 1: `ratsdesk --doctor --password-from-keychain` must not hand out keychain secrets. The real
// Secret Service (gnome-keyring, test/servers/global-keyring.ts) holds the vault key and the account password;
// an attacker's IMAP listener with its own CA stands on loopback and records every connection and byte. The
// doctor may read only the stored account's password and send it only to that account's own server.
const SERVICE = `ratsdesk-doctor-secrets-${process.pid}`;
const VAULT_KEY = 'c0ffee'.repeat(10);
const PASSWORD = 'Konto-Passwort-7!';
let dovecot: DovecotServer;
let evilCa: ServerCert;
let listener: Server;
let listenerPort: number;
const received: string[] = [];
let connections = 0;
let tmp: string;
let dataDir: string;
let account: { host: string; port: number; security: 'tls'; username: string };

/** Runs the doctor as `ratsdesk --doctor …` would, with the app's data folder; answers exit code and output. */
async function doctor(args: string[], machinePolicy: object = {}): Promise<{ code: number; out: string }> {
  const policyFile = join(tmp, `policy-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(policyFile, JSON.stringify(machinePolicy));
  let out = '';
  const code = await doctorCli(
    ['--doctor', ...args, '--keychain-service', SERVICE],
    { out: (t) => (out += t), err: (t) => (out += t), env: {} },
    { dataDir, machinePolicyFile: policyFile },
  );
  return { code, out };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ratsdesk-doctor-secrets-'));
  dataDir = join(tmp, 'data');
  dovecot = await startDovecot({ users: [{ user: 'anna', pass: PASSWORD }] });
  account = { host: 'localhost', port: dovecot.imapsPort, security: 'tls', username: 'anna' };
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'account.json'), JSON.stringify(account));
  const keychain = new KeychainService(SERVICE);
  await keychain.set(DEFAULT_VAULT_KEY_ACCOUNT, VAULT_KEY);
  await keychain.set(keychainAccountName(account), PASSWORD);
  // The attacker: a TLS "IMAP server" on loopback whose certificate comes from the attacker's own CA.
  evilCa = makeTestCa();
  writeFileSync(join(tmp, 'evil-ca.pem'), evilCa.caPem);
  listener = createServer({ cert: evilCa.certPem, key: evilCa.keyPem }, (socket) => {
    connections++;
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    socket.on('data', (d: Buffer) => {
      const text = d.toString('latin1');
      received.push(text);
      const tag = text.split(' ')[0] ?? '*';
      socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} NO go on\r\n`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  listenerPort = (listener.address() as AddressInfo).port;
});

afterAll(async () => {
  const keychain = new KeychainService(SERVICE);
  await keychain.delete(DEFAULT_VAULT_KEY_ACCOUNT).catch(() => false);
  await keychain.delete(keychainAccountName(account)).catch(() => false);
  await new Promise<void>((r) => (listener ? listener.close(() => r()) : r()));
  if (dovecot) await stopAndRemove(dovecot);
  if (evilCa) rmSync(evilCa.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** Every byte the attacker's listener received, also base64-decoded (AUTHENTICATE PLAIN). */
function leaked(): string {
  const raw = received.join('');
  const decoded = raw
    .split(/\s+/)
    .map((token) => Buffer.from(token, 'base64').toString('latin1'))
    .join(' ');
  return `${raw}\n${decoded}`;
}

describe('the doctor and the keychain', () => {
  it('refuses to read the vault key (or any entry) toward a host and CA named on the command line', async () => {
    const attacks = [
      ['--user', DEFAULT_VAULT_KEY_ACCOUNT, '--imap', `127.0.0.1:${listenerPort}`, '--ca', join(tmp, 'evil-ca.pem')],
      ['--user', keychainAccountName(account), '--imap', `localhost:${listenerPort}`, '--ca', join(tmp, 'evil-ca.pem')],
      ['--user', 'anna', '--imap', `localhost:${listenerPort}`],
      ['--smtp', `localhost:${listenerPort}`],
      ['--ca', join(tmp, 'evil-ca.pem')],
      ['--policy', join(tmp, 'evil-policy.json')],
    ];
    writeFileSync(
      join(tmp, 'evil-policy.json'),
      JSON.stringify({ imapHost: '127.0.0.1', imapPort: listenerPort, extraCaCertificates: [evilCa.caPem] }),
    );
    for (const attack of attacks) {
      const { code, out } = await doctor([...attack, '--password-from-keychain']);
      expect(leaked(), attack.join(' ')).not.toContain(VAULT_KEY);
      expect(leaked(), attack.join(' ')).not.toContain(PASSWORD);
      expect(code, attack.join(' ')).toBe(2);
      expect(out).toContain('--password-from-keychain');
    }
    expect(connections).toBe(0);
    expect(leaked()).not.toContain(VAULT_KEY);
    expect(leaked()).not.toContain(PASSWORD);
  });

  it('refuses a --user other than the stored account, and never reads another entry', async () => {
    const { code, out } = await doctor(['--user', DEFAULT_VAULT_KEY_ACCOUNT, '--password-from-keychain']);
    expect(code).toBe(2);
    expect(out).toContain("the stored account's user name");
    expect(out).not.toContain(VAULT_KEY);
  });

  it("sends the stored password only to the account's own server, even when the machine policy names another", async () => {
    const { code, out } = await doctor(['--password-from-keychain', '--no-keychain'], {
      imapHost: '127.0.0.1',
      imapPort: listenerPort,
      extraCaCertificates: [dovecot.cert.caPem, evilCa.caPem],
    });
    expect(out).toContain('[OK  ] login');
    expect(code).not.toBe(2);
    expect(connections).toBe(0);
    expect(leaked()).not.toContain(PASSWORD);
    expect(out).not.toContain(PASSWORD);
  });
});
