import { describe, expect, test } from 'vitest';
import { needsSmimeForIndex } from '../../electron/services/mail/smime/smime-index-text';

const msg = (head: string, body = 'Text\r\n') =>
  Buffer.from(`From: a@stadt.example\r\n${head}\r\n\r\n${body}`, 'latin1');

// Which stored messages the search index opens with S/MIME: decided from the top-level header only, so
// ordinary mail costs one look at its header block.
describe('needsSmimeForIndex', () => {
  test('encrypted and opaque-signed mail (application/pkcs7-mime, also the x- form, any case) is opened', () => {
    expect(needsSmimeForIndex(msg('Content-Type: application/pkcs7-mime; smime-type=enveloped-data'))).toBe(true);
    expect(needsSmimeForIndex(msg('content-type: Application/X-PKCS7-MIME;\r\n name=smime.p7m'))).toBe(true);
    expect(needsSmimeForIndex(msg('Content-Type:application/pkcs7-mime'))).toBe(true);
  });

  test('multipart/signed only when it carries an encrypted entity (encrypted, then signed)', () => {
    const signed = 'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary=b';
    expect(needsSmimeForIndex(msg(signed, '--b\r\nContent-Type: text/plain\r\n\r\nHallo\r\n--b--\r\n'))).toBe(false);
    expect(
      needsSmimeForIndex(
        msg(signed, '--b\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\nMIAG\r\n--b--\r\n'),
      ),
    ).toBe(true);
  });

  test('ordinary mail, a Content-Type only in the body, and no header at all are not', () => {
    expect(needsSmimeForIndex(msg('Content-Type: text/plain; charset=utf-8'))).toBe(false);
    expect(needsSmimeForIndex(msg('Subject: x', 'Content-Type: application/pkcs7-mime\r\n'))).toBe(false);
    expect(needsSmimeForIndex(msg('X-Content-Type: application/pkcs7-mime'))).toBe(false);
    expect(needsSmimeForIndex(Buffer.alloc(0))).toBe(false);
  });
});
