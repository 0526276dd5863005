import { describe, expect, test } from 'vitest';
import { fastIndexText, indexText } from '../../electron/services/mail/message-index-text';
import { parseMessage } from '../../electron/services/mail/message-parser';
import { corpus } from '../../bench/fixtures/mail-corpus';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

describe('index text: fast MIME walk for the search index, full parser for the rest', () => {
  test('agrees with the full parser on a realistic corpus (plain, alternative, attachments)', async () => {
    for (const raw of corpus(60, { seed: 7, sizeScale: 0.3 })) {
      const buf = Buffer.from(raw);
      const fast = fastIndexText(buf);
      expect(fast).not.toBeNull();
      const full = await parseMessage(buf);
      const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
      expect(norm(fast!)).toBe(norm(full.text));
    }
  });

  test('quoted-printable, base64 and ISO-8859-1 bodies are decoded', () => {
    const qp = crlf([
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'B=C3=BCrgerbeteiligung zum Bebauungsplan=',
      ' Nord',
      '',
    ]);
    expect(fastIndexText(qp)).toContain('Bürgerbeteiligung zum Bebauungsplan Nord');
    const b64 = crlf([
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Straße gesperrt').toString('base64'),
      '',
    ]);
    expect(fastIndexText(b64)).toContain('Straße gesperrt');
    const latin = Buffer.concat([
      crlf(['Content-Type: text/plain; charset=iso-8859-1', '', '']),
      Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]),
    ]);
    expect(fastIndexText(latin)).toBe('Grüße');
  });

  test('attachments are skipped; HTML-only and broken structures go to the full parser', async () => {
    const mixed = crlf([
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Siehe Anlage',
      '--b1',
      'Content-Type: text/plain; name="liste.txt"',
      'Content-Disposition: attachment; filename="liste.txt"',
      '',
      'GEHEIME LISTE',
      '--b1--',
      '',
    ]);
    expect(fastIndexText(mixed)).toBe('Siehe Anlage');
    const html = crlf(['Content-Type: text/html; charset=utf-8', '', '<p>Nur <b>HTML</b> Einladung</p>', '']);
    expect(fastIndexText(html)).toBeNull();
    expect(await indexText(html)).toContain('Einladung');
    const noBoundary = crlf(['Content-Type: multipart/mixed', '', 'kaputt', '']);
    expect(fastIndexText(noBoundary)).toBeNull();
    await expect(indexText(noBoundary)).resolves.toEqual(expect.any(String));
  });
});
