import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port';
import { makeTestCa, type ServerCert } from './tls-ca';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMAS = '/etc/ldap/schema';
const MODULES = '/usr/lib/ldap';

export interface LdapPerson {
  uid: string;
  cn: string;
  mail: string;
  /** DER certificates stored as userCertificate;binary. */
  certificates?: Uint8Array[];
}

export interface LdapServer {
  dir: string;
  /** ldaps://127.0.0.1:PORT/ plus the suffix as base DN: what the smimeDirectoryUrl policy holds. */
  url: string;
  /** The same server without TLS, to prove that the client refuses ldap://. */
  plainUrl: string;
  suffix: string;
  cert: ServerCert;
  stop(): Promise<void>;
}

function ldifValue(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * A real OpenLDAP (Debian's slapd) on loopback from a private cn=config made with slapadd: back_mdb,
 * the core/cosine/inetorgperson schemas, a database in a temp folder, anonymous read, LDAPS with the
 * throwaway CA of tls-ca.ts (and a plain listener that tests use to show ldap:// is refused).
 */
export async function startLdap(people: LdapPerson[], suffix = 'dc=stadt,dc=example'): Promise<LdapServer> {
  if (!existsSync(SLAPD)) throw new Error('slapd is not installed (Debian packages slapd and ldap-utils)');
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-ldap-'));
  const configDir = join(dir, 'slapd.d');
  const dataDir = join(dir, 'data');
  mkdirSync(configDir);
  mkdirSync(dataDir);
  const cert = makeTestCa();
  const [tlsPort, plainPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'config.ldif'),
    `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcArgsFile: ${dir}/slapd.args
olcTLSCACertificateFile: ${cert.caCertFile}
olcTLSCertificateFile: ${cert.certFile}
olcTLSCertificateKeyFile: ${cert.keyFile}

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODULES}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://${SCHEMAS}/core.ldif
include: file://${SCHEMAS}/cosine.ldif
include: file://${SCHEMAS}/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcAccess: {0}to * by * read

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: ${dataDir}
olcSuffix: ${suffix}
olcRootDN: cn=admin,${suffix}
olcDbMaxSize: 16777216
olcAccess: {0}to * by * read
`,
  );
  execFileSync(SLAPADD, ['-n', '0', '-F', configDir, '-l', join(dir, 'config.ldif')], { stdio: 'pipe' });
  const dc = /^dc=([^,]+)/.exec(suffix)?.[1] ?? 'stadt';
  const entries = [
    `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: Stadt Beispiel`,
    `dn: ou=people,${suffix}\nobjectClass: organizationalUnit\nou: people`,
    ...people.map((p) =>
      [
        `dn: uid=${p.uid},ou=people,${suffix}`,
        'objectClass: inetOrgPerson',
        `uid: ${p.uid}`,
        `cn: ${p.cn}`,
        `sn: ${p.cn.split(' ').pop() ?? p.cn}`,
        `mail: ${p.mail}`,
        ...(p.certificates ?? []).map((c) => `userCertificate;binary:: ${ldifValue(c)}`),
      ].join('\n'),
    ),
  ];
  writeFileSync(join(dir, 'data.ldif'), entries.join('\n\n') + '\n');
  execFileSync(SLAPADD, ['-n', '1', '-F', configDir, '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });

  // -d 0: stay in the foreground (no fork), so the test owns the process.
  const child: ChildProcess = spawn(
    SLAPD,
    ['-d', '0', '-F', configDir, '-h', `ldaps://127.0.0.1:${tlsPort}/ ldap://127.0.0.1:${plainPort}/`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`slapd exited (${code}): ${stderr.slice(-2000)}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([Promise.all([waitForPort(tlsPort), waitForPort(plainPort)]), exited]);

  return {
    dir,
    url: `ldaps://127.0.0.1:${tlsPort}/${encodeURIComponent(suffix)}`,
    plainUrl: `ldap://127.0.0.1:${plainPort}/${encodeURIComponent(suffix)}`,
    suffix,
    cert,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(cert.dir, { recursive: true, force: true });
    },
  };
}
