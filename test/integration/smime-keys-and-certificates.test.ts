import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, pemToDer } from '../../electron/services/mail/smime/certificate-facts';
import {
  candidatesFromFile,
  candidatesFromReading,
  newestValidPerAddress,
} from '../../electron/services/mail/smime/correspondent-certificates';
import { importPkcs12 } from '../../electron/services/mail/smime/pkcs12-import';
import { readSmime } from '../../electron/services/mail/smime/smime-reader';
import { encryptEntity } from '../../electron/services/mail/smime/smime-encrypter';
import { makeSmimeCa, opensslDate, type SmimeCa, type SmimePerson } from '../servers/smime-ca';

const DAY = 86_400_000;
const BODY = 'Content-Type: text/plain\r\n\r\nHallo\r\n';

describe('S/MIME keys: PKCS#12 import', () => {
  let ca: SmimeCa;
  let alice: SmimePerson;
  let carol: SmimePerson;

  beforeAll(() => {
    ca = makeSmimeCa();
    alice = ca.person('Alice Muster', 'alice@stadt.example');
    carol = ca.person('Carol Kurve', 'carol@stadt.example', { key: 'ec' });
  });
  afterAll(() => ca?.remove());

  const exportP12 = (p: SmimePerson, password: string, extra: string[] = []) => {
    const out = ca.file(`${p.email}-${extra.join('')}.p12`, '');
    ca.openssl([
      'pkcs12',
      '-export',
      '-in',
      p.certFile,
      '-inkey',
      p.keyFile,
      '-certfile',
      ca.caFile,
      '-name',
      p.name,
      '-passout',
      `pass:${password}`,
      '-out',
      out,
      ...extra,
    ]);
    return new Uint8Array(readFileSync(out));
  };

  it.each([
    ['OpenSSL 3 default (PBES2, AES-256)', []],
    [
      'the older 3DES form Windows and old exports write',
      ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
    ],
  ])('%s: certificate, chain, expiry and a key that decrypts', async (_name, extra) => {
    const imported = importPkcs12(exportP12(alice, 'Geheim-123', extra), 'Geheim-123');
    expect(imported.facts.email).toEqual(['alice@stadt.example']);
    expect(imported.facts.subject).toContain('Alice Muster');
    expect(imported.facts.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(imported.chainPem).toHaveLength(1);
    expect(parseCertificate(imported.chainPem[0]!).subject.isEqual(parseCertificate(ca.caPem).subject)).toBe(true);
    expect(imported.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    // the imported key opens mail encrypted to the certificate
    const smime = await encryptEntity(Buffer.from(BODY), {
      recipients: [],
      self: { certificatePem: imported.certificatePem },
    });
    const reading = await readSmime(smime, { trustAnchorsPem: [ca.caPem], identities: [imported] });
    expect(reading.decryption).toBe('ok');
  });

  it('an EC identity', () => {
    const imported = importPkcs12(exportP12(carol, 'pw'), 'pw');
    expect(imported.facts.keyAlgorithm).toBe('ec');
    expect(imported.facts.email).toEqual(['carol@stadt.example']);
  });

  it('a wrong password: SMIME_PKCS12_PASSWORD', () => {
    expect(() => importPkcs12(exportP12(alice, 'richtig'), 'falsch')).toThrow(
      expect.objectContaining({ code: 'SMIME_PKCS12_PASSWORD' }),
    );
  });

  it('a file that is no PKCS#12, or a truncated one: SMIME_PKCS12_INVALID, never a crash', () => {
    expect(() => importPkcs12(new Uint8Array(Buffer.from('kein pfx')), 'x')).toThrow(
      expect.objectContaining({ code: 'SMIME_PKCS12_INVALID' }),
    );
    const p12 = exportP12(alice, 'pw');
    expect(() => importPkcs12(p12.subarray(0, p12.length >> 1), 'pw')).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^SMIME_PKCS12_/) }),
    );
  });

  it('a file with certificates but no key: SMIME_PKCS12_NO_KEY', () => {
    const out = ca.file('nokey.p12', '');
    ca.openssl(['pkcs12', '-export', '-nokeys', '-in', alice.certFile, '-passout', 'pass:pw', '-out', out]);
    expect(() => importPkcs12(new Uint8Array(readFileSync(out)), 'pw')).toThrow(
      expect.objectContaining({ code: 'SMIME_PKCS12_NO_KEY' }),
    );
  });
});

describe('S/MIME correspondents’ certificates', () => {
  let ca: SmimeCa;
  let other: SmimeCa;
  let bobOld: SmimePerson;
  let bobNew: SmimePerson;
  let bobExpired: SmimePerson;
  let bobForeign: SmimePerson;

  beforeAll(() => {
    ca = makeSmimeCa();
    other = makeSmimeCa('Fremde Stelle');
    bobOld = ca.person('Bob Beispiel', 'bob@stadt.example', {
      startDate: opensslDate(new Date(Date.now() - 30 * DAY)),
    });
    bobNew = ca.person('Bob Beispiel', 'bob@stadt.example', { startDate: opensslDate(new Date(Date.now() - DAY)) });
    bobExpired = ca.person('Bob Beispiel', 'bob@stadt.example', {
      startDate: opensslDate(new Date(Date.now() - 2 * DAY)),
      endDate: opensslDate(new Date(Date.now() - 3600_000)),
    });
    bobForeign = other.person('Bob Beispiel', 'bob@stadt.example');
  });
  afterAll(() => {
    ca?.remove();
    other?.remove();
  });

  it('collects the signer certificate of a signed mail, with the ciphers it announced', async () => {
    const body = ca.file('b.eml', BODY);
    const signed = ca.openssl(['cms', '-sign', '-in', body, '-signer', bobOld.certFile, '-inkey', bobOld.keyFile]);
    const reading = await readSmime(Buffer.concat([Buffer.from('From: bob@stadt.example\r\n'), signed]), {
      trustAnchorsPem: [ca.caPem],
      identities: [],
    });
    const candidates = candidatesFromReading(reading.layers);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]!.capabilities).toContain('2.16.840.1.101.3.4.1.42'); // OpenSSL announces AES-256-CBC
    expect(Buffer.from(candidates[0]!.der).equals(Buffer.from(pemToDer(bobOld.certPem, 'CERTIFICATE')))).toBe(true);
  });

  it('keeps the newest valid certificate per address: not the expired one, not one from an unknown CA', async () => {
    const all = [bobOld, bobExpired, bobNew, bobForeign].map((p) => ({
      der: pemToDer(p.certPem, 'CERTIFICATE'),
      source: 'mail' as const,
      capabilities: [],
    }));
    const best = await newestValidPerAddress(all, [parseCertificate(ca.caPem)]);
    expect(
      Buffer.from(best.get('bob@stadt.example')!.der).equals(Buffer.from(pemToDer(bobNew.certPem, 'CERTIFICATE'))),
    ).toBe(true);
    const onlyOld = await newestValidPerAddress(all.slice(0, 2), [parseCertificate(ca.caPem)]);
    expect(
      Buffer.from(onlyOld.get('bob@stadt.example')!.der).equals(Buffer.from(pemToDer(bobOld.certPem, 'CERTIFICATE'))),
    ).toBe(true);
  });

  it('imports certificates from a file: PEM, DER and a certs-only PKCS#7 bundle', () => {
    expect(candidatesFromFile(new Uint8Array(Buffer.from(bobNew.certPem + bobOld.certPem)))).toHaveLength(2);
    expect(candidatesFromFile(pemToDer(bobNew.certPem, 'CERTIFICATE'))).toHaveLength(1);
    const p7 = ca.openssl([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      bobNew.certFile,
      '-certfile',
      bobOld.certFile,
      '-outform',
      'DER',
    ]);
    expect(candidatesFromFile(new Uint8Array(p7))).toHaveLength(2);
    expect(() => candidatesFromFile(new Uint8Array(Buffer.from('no certificate')))).toThrow(
      expect.objectContaining({ code: 'SMIME_CERTIFICATE_INVALID' }),
    );
  });
});
