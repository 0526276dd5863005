import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One person's S/MIME identity made by OpenSSL: files for `openssl cms`, PEM text for Ratsdesk. */
export interface SmimePerson {
  name: string;
  email: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

export interface PersonOptions {
  /** 'rsa' (2048 bit) or 'ec' (P-256). */
  key?: 'rsa' | 'ec';
  /** openssl ca -startdate/-enddate, YYYYMMDDHHMMSSZ. */
  startDate?: string;
  endDate?: string;
  keyUsage?: string;
  /** Announce AES-GCM in an SMIMECapabilities extension (RFC 4262). */
  announcesGcm?: boolean;
}

export interface SmimeCa {
  dir: string;
  caFile: string;
  caPem: string;
  person(name: string, email: string, options?: PersonOptions): SmimePerson;
  /** Runs openssl with these arguments in the CA's folder; stdin optional; returns stdout. */
  openssl(args: string[], input?: Buffer | string): Buffer;
  file(name: string, content: Buffer | string): string;
  remove(): void;
}

function run(args: string[], cwd: string, input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/**
 * A throwaway certificate authority made by OpenSSL at test start (`openssl ca` with its own index),
 * issuing S/MIME certificates: subjectAltName e-mail, key usage, extended key usage emailProtection.
 */
export function makeSmimeCa(commonName = 'Ratsdesk SMIME Test CA'): SmimeCa {
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-smime-ca-'));
  mkdirSync(join(dir, 'issued'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]
default_ca = test_ca
[test_ca]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/issued
serial = ${dir}/serial
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
emailAddress = optional
organizationName = optional
[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`,
  );
  run(['genrsa', '-out', 'ca.key', '2048'], dir);
  // The CA has been around for a year, as real ones have: a leaf that expired last week still
  // chains to it (the check for "expired" is then about the leaf, not about the CA).
  run(
    [
      'req',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      `/O=Ratsdesk Test/CN=${commonName}`,
      '-config',
      'ca.cnf',
      '-out',
      'ca.csr',
    ],
    dir,
  );
  run(
    [
      'ca',
      '-selfsign',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-keyfile',
      'ca.key',
      '-in',
      'ca.csr',
      '-extensions',
      'ca_ext',
      '-startdate',
      stamp(new Date(Date.now() - 365 * 86_400_000)),
      '-enddate',
      stamp(new Date(Date.now() + 30 * 86_400_000)),
      '-out',
      'ca.pem',
    ],
    dir,
  );
  let issued = 0;
  const ca: SmimeCa = {
    dir,
    caFile: join(dir, 'ca.pem'),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    openssl: (args, input) => run(args, dir, input),
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    person(name, email, options = {}) {
      // one set of files per certificate, also for several certificates of the same address
      const base = `${email.replace(/[^a-z0-9]/gi, '_')}-${++issued}`;
      const keyFile = join(dir, `${base}.key`);
      if (options.key === 'ec')
        run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], dir);
      else run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile], dir);
      run(
        [
          'req',
          '-new',
          '-key',
          keyFile,
          '-subj',
          `/O=Stadt Beispiel/CN=${name}`,
          '-config',
          'ca.cnf',
          '-out',
          `${base}.csr`,
        ],
        dir,
      );
      const usage =
        options.keyUsage ??
        (options.key === 'ec'
          ? 'critical,digitalSignature,nonRepudiation,keyAgreement'
          : 'critical,digitalSignature,nonRepudiation,keyEncipherment');
      const caps = options.announcesGcm
        ? '1.2.840.113549.1.9.15 = ASN1:SEQUENCE:smime_caps\n[smime_caps]\ngcm = SEQUENCE:cap_gcm\ncbc = SEQUENCE:cap_cbc\n[cap_gcm]\noid = OID:2.16.840.1.101.3.4.1.46\n[cap_cbc]\noid = OID:2.16.840.1.101.3.4.1.42\n'
        : '';
      writeFileSync(
        join(dir, `${base}.ext`),
        `basicConstraints = CA:FALSE\nkeyUsage = ${usage}\nextendedKeyUsage = emailProtection\nsubjectAltName = email:${email}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n${caps}`,
      );
      const dates = [
        ...(options.startDate ? ['-startdate', options.startDate] : []),
        // an explicit end: with -startdate, openssl ca counts -days from the start
        '-enddate',
        options.endDate ?? stamp(new Date(Date.now() + 20 * 86_400_000)),
      ];
      const certFile = join(dir, `${base}.pem`);
      run(
        [
          'ca',
          '-batch',
          '-notext',
          '-config',
          'ca.cnf',
          '-in',
          `${base}.csr`,
          '-out',
          certFile,
          '-extfile',
          `${base}.ext`,
          ...dates,
        ],
        dir,
      );
      return {
        name,
        email,
        certFile,
        keyFile,
        certPem: readFileSync(certFile, 'utf8'),
        keyPem: readFileSync(keyFile, 'utf8'),
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ca;
}

export const opensslDate = stamp;
