import { describe, expect, it } from 'vitest';
import { displayMessage } from '../../electron/services/mail/smime/smime-message';

describe('S/MIME message split', () => {
  it('shows the outer header fields around the opened entity, without the envelope’s Content-* fields', () => {
    const raw = Buffer.from(
      [
        'From: Alice <alice@stadt.example>',
        'To: bob@stadt.example',
        'Subject: =?UTF-8?Q?Vorlage_R=C3=A4te?=',
        '  folded',
        'MIME-Version: 1.0',
        'Content-Type: application/pkcs7-mime; smime-type=enveloped-data;',
        ' name="smime.p7m"',
        'Content-Transfer-Encoding: base64',
        '',
        'MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=',
        '',
      ].join('\r\n'),
    );
    const inner = Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n');
    const shown = displayMessage(raw, inner).toString('latin1');
    expect(shown).toBe(
      [
        'From: Alice <alice@stadt.example>',
        'To: bob@stadt.example',
        'Subject: =?UTF-8?Q?Vorlage_R=C3=A4te?=',
        '  folded',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hallo',
        '',
      ].join('\r\n'),
    );
  });
});
