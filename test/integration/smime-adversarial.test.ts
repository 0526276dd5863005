import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berDepthWithin } from '../../electron/services/mail/smime/cms-content-info';
import { readSmime } from '../../electron/services/mail/smime/smime-reader';
import { SMIME_LIMITS } from '../../electron/services/mail/smime/smime-reading';
import { smimeStatus } from '../../electron/services/mail/smime/smime-status';
import { encryptEntity } from '../../electron/services/mail/smime/smime-encrypter';
import { signEntity } from '../../electron/services/mail/smime/smime-signer';
import { makeSmimeCa, type SmimeCa, type SmimePerson } from '../servers/smime-ca';

// Hostile input gives a status, never an exception, and is bounded (layers, sizes, BER depth).
// Speed is proven in bench/smime-read.bench.ts, not here.

function p7m(der: Buffer, smimeType = 'signed-data'): Buffer {
  return Buffer.from(
    `From: a@stadt.example\r\nContent-Type: application/pkcs7-mime; smime-type=${smimeType}; name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n${der.toString('base64')}\r\n`,
  );
}

describe('S/MIME reading of hostile input', () => {
  let ca: SmimeCa;
  let alice: SmimePerson;
  const ctx = () => ({
    trustAnchorsPem: [ca.caPem],
    identities: [{ certificatePem: alice.certPem, privateKeyPem: alice.keyPem }],
  });

  beforeAll(() => {
    ca = makeSmimeCa();
    alice = ca.person('Alice Muster', 'alice@stadt.example');
  });
  afterAll(() => ca?.remove());

  it('more nested layers than the limit: the first ones are read, then "refused"', async () => {
    let entity: Buffer = Buffer.from('Content-Type: text/plain\r\n\r\ninnen\r\n');
    for (let i = 0; i < SMIME_LIMITS.maxLayers + 4; i++) {
      entity =
        i % 2 === 0
          ? await signEntity(entity, { certificatePem: alice.certPem, privateKeyPem: alice.keyPem })
          : await encryptEntity(entity, { recipients: [], self: { certificatePem: alice.certPem } });
    }
    const reading = await readSmime(Buffer.concat([Buffer.from('From: alice@stadt.example\r\n'), entity]), ctx());
    expect(reading.layers).toHaveLength(SMIME_LIMITS.maxLayers + 1);
    expect(reading.layers.at(-1)?.problem).toBe('too-deep');
    expect(reading.inner).toBeUndefined();
    expect(smimeStatus(reading)?.code).toBe('refused');
  });

  it('BER nested a hundred thousand levels deep: malformed, without recursing into it', async () => {
    const depth = 100_000;
    const der = Buffer.alloc(depth * 2 + 2);
    for (let i = 0; i < depth; i++) der.set([0x30, 0x80], i * 2); // indefinite-length SEQUENCEs
    expect(berDepthWithin(der)).toBe(false);
    const reading = await readSmime(p7m(der), ctx());
    expect(smimeStatus(reading)?.code).toBe('malformed');
  });

  it('a message over the size limit is refused before it is decoded', async () => {
    const huge = Buffer.concat([p7m(Buffer.from('x')), Buffer.alloc(SMIME_LIMITS.maxMessageBytes, 0x41)]);
    const reading = await readSmime(huge, ctx());
    expect(reading.layers[0]?.problem).toBe('too-large');
    expect(smimeStatus(reading)?.code).toBe('refused');
  });

  it('garbage, empty bodies, wrong lengths, a signature part that is no CMS: statuses, no exceptions', async () => {
    const inputs: Buffer[] = [
      p7m(Buffer.alloc(0)),
      p7m(Buffer.from('30ffffffff', 'hex')),
      p7m(Buffer.from('3084ffffffff0609', 'hex')),
      p7m(Buffer.from('300d06092a864886f70d010702a000', 'hex')), // signedData OID, empty content
      p7m(Buffer.from('300d06092a864886f70d010703a000', 'hex'), 'enveloped-data'),
      p7m(Buffer.from('300f060b2a864886f70d0109100117a000', 'hex'), 'authEnveloped-data'),
      p7m(Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
      Buffer.from(
        'From: a@stadt.example\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\nnichts\r\n--b--\r\n',
      ),
      Buffer.from(
        'From: a@stadt.example\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"\r\n\r\nkein boundary',
      ),
      Buffer.from('Content-Type: application/pkcs7-mime'),
    ];
    for (const input of inputs) {
      const reading = await readSmime(input, ctx());
      expect(reading.signature === 'good').toBe(false);
      expect(reading.decryption === 'ok').toBe(false);
      expect(smimeStatus(reading)?.code).toMatch(/malformed|signature-bad|encrypted-failed|signature-unsupported/);
    }
  });

  it('a message that is not S/MIME is passed through untouched', async () => {
    const plain = Buffer.from('From: a@stadt.example\r\nContent-Type: text/plain\r\n\r\nHallo\r\n');
    const reading = await readSmime(plain, ctx());
    expect(reading).toMatchObject({ signature: 'none', encrypted: false, decryption: 'n/a', layers: [] });
    expect(reading.inner).toBe(plain);
    expect(smimeStatus(reading)).toBeNull();
  });
});
