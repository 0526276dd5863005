import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFacts, parseCertificate, pemToDer } from '../../electron/services/mail/smime/certificate-facts';
import { newestValidPerAddress } from '../../electron/services/mail/smime/correspondent-certificates';
import { lookupDirectoryCertificates } from '../../electron/services/mail/smime/ldap-certificate-directory';
import { startLdap, type LdapServer } from '../servers/ldap';
import { makeSmimeCa, opensslDate, type SmimeCa, type SmimePerson } from '../servers/smime-ca';

// A real slapd on loopback serves recipients' certificates over LDAPS (the smimeDirectoryUrl policy).
describe('S/MIME certificates from an LDAP directory', () => {
  let ca: SmimeCa;
  let ldap: LdapServer;
  let bob: SmimePerson;
  let bobOld: SmimePerson;

  beforeAll(async () => {
    ca = makeSmimeCa();
    const day = 86_400_000;
    bobOld = ca.person('Bob Beispiel', 'bob@stadt.example', {
      startDate: opensslDate(new Date(Date.now() - 10 * day)),
    });
    bob = ca.person('Bob Beispiel', 'bob@stadt.example', { startDate: opensslDate(new Date(Date.now() - day)) });
    ldap = await startLdap([
      {
        uid: 'bob',
        cn: 'Bob Beispiel',
        mail: 'bob@stadt.example',
        certificates: [pemToDer(bobOld.certPem, 'CERTIFICATE'), pemToDer(bob.certPem, 'CERTIFICATE')],
      },
      { uid: 'eve', cn: 'Eve Ohnezert', mail: 'eve@stadt.example' },
    ]);
  });
  afterAll(async () => {
    await ldap?.stop();
    ca?.remove();
  });

  it('finds a recipient’s certificates over ldaps and picks the newest valid one', async () => {
    const found = await lookupDirectoryCertificates('Bob@Stadt.Example', { url: ldap.url, caPem: [ldap.cert.caPem] });
    expect(found).toHaveLength(2);
    expect(found.every((c) => c.source === 'directory')).toBe(true);
    const best = await newestValidPerAddress(found, [parseCertificate(ca.caPem)]);
    const chosen = best.get('bob@stadt.example');
    expect(chosen).toBeDefined();
    expect(certificateFacts(parseCertificate(chosen!.der)).serialHex).toBe(
      certificateFacts(parseCertificate(bob.certPem)).serialHex,
    );
  });

  it('answers an address without certificate with an empty list', async () => {
    expect(await lookupDirectoryCertificates('eve@stadt.example', { url: ldap.url, caPem: [ldap.cert.caPem] })).toEqual(
      [],
    );
    expect(
      await lookupDirectoryCertificates('nobody@stadt.example', { url: ldap.url, caPem: [ldap.cert.caPem] }),
    ).toEqual([]);
  });

  it('escapes the address: a filter injection finds nothing', async () => {
    expect(await lookupDirectoryCertificates('*)(mail=*', { url: ldap.url, caPem: [ldap.cert.caPem] })).toEqual([]);
  });

  it('refuses ldap:// (no TLS) before connecting', async () => {
    await expect(lookupDirectoryCertificates('bob@stadt.example', { url: ldap.plainUrl })).rejects.toMatchObject({
      code: 'SMIME_DIRECTORY_NOT_LDAPS',
    });
  });

  it('refuses a directory whose TLS certificate it cannot trust', async () => {
    await expect(
      lookupDirectoryCertificates('bob@stadt.example', { url: ldap.url, timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'SMIME_DIRECTORY_UNREACHABLE',
    });
  });
});
