// What the test suite needs on the machine, checked before any test runs. On Debian/Ubuntu as root,
// missing packages are installed; elsewhere the exact missing pieces are named and the run stops.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const REQUIREMENTS = [
  { path: '/usr/sbin/dovecot', pkg: 'dovecot-imapd', why: 'the IMAP server of the integration tests' },
  { path: '/usr/lib/dovecot/lmtp', pkg: 'dovecot-lmtpd', why: 'local delivery from Postfix into Dovecot' },
  { path: '/usr/sbin/postfix', pkg: 'postfix', why: 'the SMTP submission server of the integration tests' },
  { path: '/usr/bin/gnome-keyring-daemon', pkg: 'gnome-keyring', why: 'a real Secret Service for keytar' },
  { path: '/usr/bin/dbus-daemon', pkg: 'dbus', why: 'the private D-Bus session bus for the keyring' },
  { path: '/usr/include/libsecret-1/libsecret/secret.h', pkg: 'libsecret-1-dev', why: 'building keytar' },
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'the end-to-end tests' },
  { path: '/usr/bin/mbsync', pkg: 'isync', why: 'the mail benchmark baseline' },
  { path: '/usr/bin/openssl', pkg: 'openssl', why: 'throwaway test certificate authorities and the S/MIME peer' },
  { path: '/usr/sbin/slapd', pkg: 'slapd', why: 'the LDAP directory that serves S/MIME certificates' },
  { path: '/usr/bin/ldapsearch', pkg: 'ldap-utils', why: 'the OpenLDAP tools that come with the test directory' },
  { path: '/usr/bin/getfattr', pkg: 'attr', why: 'the download marks (extended attributes) of saved files' },
];

export function debianPackages() {
  return readFileSync(new URL('../test/servers/debian-packages.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function missingRequirements() {
  return REQUIREMENTS.filter((r) => !existsSync(r.path));
}

function isDebianLike() {
  return existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

/** Returns a list of problems (empty when the machine is ready). */
export function ensurePrerequisites({ log = console.log } = {}) {
  const problems = [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let missing = missingRequirements();
  if (missing.length && isRoot && isDebianLike()) {
    log(`Installing test servers: ${missing.map((m) => m.pkg).join(', ')} (apt-get, as root)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...debianPackages()], {
      stdio: 'inherit',
      env,
    });
    missing = missingRequirements();
  }
  for (const m of missing) problems.push(`missing ${m.path} — install the Debian/Ubuntu package "${m.pkg}" (${m.why})`);
  if (!isRoot) {
    problems.push(
      'the integration tests start Dovecot and Postfix from private configurations; they must run as root (their worker processes drop to the unprivileged dovecot, dovenull and postfix users)',
    );
  }
  if (problems.length && !isDebianLike()) {
    problems.push(`on Debian/Ubuntu, as root: apt-get install ${debianPackages().join(' ')}`);
  }
  return problems;
}
