/**
 * S/MIME reading benchmark (issue 17). Times readSmime on what arrives every day (a signed and
 * encrypted mail with a 200 KB body) and on hostile input (BER nested 100,000 deep, a 64 MB message,
 * more layers than allowed), each as the median of several runs. Named baseline, in the same run:
 * OpenSSL itself (`openssl cms -decrypt` then `-verify` on the same mail, process start included).
 * The target: everyday mail well under the baseline's order of magnitude, hostile input well under a
 * second or refused.
 */
import { execFileSync } from 'node:child_process';
import { readSmime } from '../electron/services/mail/smime/smime-reader';
import { SMIME_LIMITS } from '../electron/services/mail/smime/smime-reading';
import { encryptEntity } from '../electron/services/mail/smime/smime-encrypter';
import { signEntity } from '../electron/services/mail/smime/smime-signer';
import { makeSmimeCa } from '../test/servers/smime-ca';

const RUNS = 7;

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[RUNS >> 1]! * 10) / 10;
}

export async function run(): Promise<Record<string, unknown>> {
  const ca = makeSmimeCa();
  try {
    const alice = ca.person('Alice Muster', 'alice@stadt.example');
    const bob = ca.person('Bob Beispiel', 'bob@stadt.example');
    const text = 'Sitzungsunterlagen, Vorlage 17/2026. '.repeat(5500);
    const body = Buffer.from(
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${text.replace(/(.{70})/g, '$1\r\n')}\r\n`,
    );
    const signed = await signEntity(body, { certificatePem: alice.certPem, privateKeyPem: alice.keyPem });
    const mail = Buffer.concat([
      Buffer.from('From: alice@stadt.example\r\nTo: bob@stadt.example\r\n'),
      await encryptEntity(signed, {
        recipients: [{ certificatePem: bob.certPem }],
        self: { certificatePem: alice.certPem },
      }),
    ]);
    const ctx = {
      trustAnchorsPem: [ca.caPem],
      identities: [{ certificatePem: bob.certPem, privateKeyPem: bob.keyPem }],
    };
    const check = await readSmime(mail, ctx);
    if (check.signature !== 'good' || check.decryption !== 'ok') throw new Error('bench mail did not read back');

    const mailFile = ca.file('bench.eml', mail);
    const opensslMs = await median(() => {
      const inner = ca.openssl(['cms', '-decrypt', '-in', mailFile, '-recip', bob.certFile, '-inkey', bob.keyFile]);
      execFileSync('openssl', ['cms', '-verify', '-CAfile', ca.caFile, '-out', '/dev/null'], {
        input: inner,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    });

    const deep = Buffer.alloc(200_002);
    for (let i = 0; i < 100_000; i++) deep.set([0x30, 0x80], i * 2);
    const p7m = (der: Buffer) =>
      Buffer.from(
        `From: a@stadt.example\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\n${der.toString('base64')}\r\n`,
      );
    const deepMail = p7m(deep);
    const huge = Buffer.concat([p7m(Buffer.from('x')), Buffer.alloc(SMIME_LIMITS.maxMessageBytes, 0x41)]);
    let layered: Buffer = Buffer.from('Content-Type: text/plain\r\n\r\ninnen\r\n');
    for (let i = 0; i < SMIME_LIMITS.maxLayers + 4; i++) {
      layered = await encryptEntity(layered, { recipients: [], self: { certificatePem: bob.certPem } });
    }

    return {
      bench: 'smime',
      everydayMailBytes: mail.length,
      readSignedEncryptedMs: await median(() => readSmime(mail, ctx)),
      baselineOpensslDecryptVerifyMs: opensslMs,
      hostileBerDepth100kMs: await median(() => readSmime(deepMail, ctx)),
      hostile64MbRefusedMs: await median(() => readSmime(huge, ctx)),
      hostileLayersOverLimitMs: await median(() => readSmime(layered, ctx)),
    };
  } finally {
    ca.remove();
  }
}
