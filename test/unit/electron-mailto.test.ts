import { describe, expect, test } from 'vitest';
import { MAILTO_MAX_LENGTH, mailtoFromArgv, parseMailtoUrl, type MailtoRequest } from '../../electron/main/mailto-url';

const empty: MailtoRequest = { to: [], cc: [], bcc: [], subject: '', body: '', inReplyTo: null, ignored: [] };
function parsed(url: string): MailtoRequest {
  const r = parseMailtoUrl(url);
  if (!r.ok) throw new Error(`not parsed: ${r.reason}`);
  return r.value;
}

describe('mailto: URLs, RFC 6068 section 6 examples', () => {
  test.each<[string, Partial<MailtoRequest>]>([
    ['mailto:chris@example.com', { to: ['chris@example.com'] }],
    ['mailto:infobot@example.com?subject=current-issue', { to: ['infobot@example.com'], subject: 'current-issue' }],
    [
      'mailto:infobot@example.com?body=send%20current-issue',
      { to: ['infobot@example.com'], body: 'send current-issue' },
    ],
    [
      'mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index',
      { to: ['infobot@example.com'], body: 'send current-issue\nsend index' },
    ],
    [
      'mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E',
      { to: ['list@example.org'], inReplyTo: '<3469A91.D10AF4C@example.com>' },
    ],
    [
      'mailto:majordomo@example.com?body=subscribe%20bamboo-l',
      { to: ['majordomo@example.com'], body: 'subscribe bamboo-l' },
    ],
    [
      'mailto:joe@example.com?cc=bob@example.com&body=hello',
      { to: ['joe@example.com'], cc: ['bob@example.com'], body: 'hello' },
    ],
    ['mailto:gorby%25kremvax@example.com', { to: ['gorby%kremvax@example.com'] }],
    ['mailto:unlikely%3Faddress@example.com?blat=foop', { to: ['unlikely?address@example.com'], ignored: ['blat'] }],
    ['mailto:Mike%26family@example.org', { to: ['Mike&family@example.org'] }],
    // 6.2: complicated addresses
    ['mailto:%22not%40me%22@example.org', { to: ['"not@me"@example.org'] }],
    ['mailto:%22oh%5C%5Cno%22@example.org', { to: ['"oh\\\\no"@example.org'] }],
    [
      "mailto:%22%5C%5C%5C%22it's%5C%20ugly%5C%5C%5C%22%22@example.org",
      { to: ['"\\\\\\"it\'s\\ ugly\\\\\\""@example.org'] },
    ],
    // 6.3: UTF-8 percent-encoding and encoded-words
    ['mailto:user@example.org?subject=caf%C3%A9', { to: ['user@example.org'], subject: 'café' }],
    [
      'mailto:user@example.org?subject=%3D%3Futf-8%3FQ%3Fcaf%3DC3%3DA9%3F%3D',
      { to: ['user@example.org'], subject: 'café' },
    ],
    [
      'mailto:user@example.org?subject=%3D%3Fiso-8859-1%3FQ%3Fcaf%3DE9%3F%3D',
      { to: ['user@example.org'], subject: 'café' },
    ],
    [
      'mailto:user@example.org?subject=caf%C3%A9&body=caf%C3%A9',
      { to: ['user@example.org'], subject: 'café', body: 'café' },
    ],
    [
      'mailto:user@%E7%B4%8D%E8%B1%86.example.org?subject=Test&body=NATTO',
      { to: ['user@xn--99zt52a.example.org'], subject: 'Test', body: 'NATTO' },
    ],
  ])('%s', (url, expected) => {
    expect(parsed(url)).toEqual({ ...empty, ...expected });
  });
});

describe('mailto: URLs in practice', () => {
  test('several addresses in the path and in to, cc and bcc; duplicates once; + stays a plus', () => {
    expect(
      parsed(
        'MAILTO:a@stadt.example,b@stadt.example?to=c@stadt.example&cc=d@stadt.example,e@stadt.example&bcc=f+rat@stadt.example&to=A@stadt.example',
      ),
    ).toEqual({
      ...empty,
      to: ['a@stadt.example', 'b@stadt.example', 'c@stadt.example'],
      cc: ['d@stadt.example', 'e@stadt.example'],
      bcc: ['f+rat@stadt.example'],
    });
  });

  test('no header can be smuggled in: the subject stays one line, dangerous fields are ignored', () => {
    const r = parsed(
      'mailto:a@stadt.example?subject=Hallo%0D%0ABcc:%20spy@evil.example&from=chef@stadt.example&attach=/etc/passwd&Attachment=C:%5Ckey.pem&reply-to=x@evil.example&body=Gru%C3%9F%E2%80%AEtxt.exe',
    );
    expect(r.subject).toBe('Hallo Bcc: spy@evil.example');
    expect(r.bcc).toEqual([]);
    expect(r.ignored).toEqual(['from', 'attach', 'attachment', 'reply-to']);
    // Bidi overrides and controls never reach the draft.
    expect(r.body).toBe('Grußtxt.exe');
  });

  test('only the first subject and body count; a bad In-Reply-To is dropped', () => {
    const r = parsed('mailto:?subject=eins&subject=zwei&body=a&body=b&in-reply-to=not%20an%20id');
    expect(r).toEqual({ ...empty, subject: 'eins', body: 'a' });
  });

  test('broken percent-encoding is refused, broken UTF-8 shows as a replacement character', () => {
    expect(parseMailtoUrl('mailto:a@stadt.example?subject=100%')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseMailtoUrl('mailto:a%zz@stadt.example')).toEqual({ ok: false, reason: 'malformed' });
    expect(parsed('mailto:a@stadt.example?subject=caf%E9').subject).toBe('caf\uFFFD');
  });

  test('not a mailto: URL, or longer than a command line can carry: refused', () => {
    expect(parseMailtoUrl('https://stadt.example/')).toEqual({ ok: false, reason: 'not-mailto' });
    expect(parseMailtoUrl(`mailto:a@stadt.example?body=${'x'.repeat(MAILTO_MAX_LENGTH)}`)).toEqual({
      ok: false,
      reason: 'too-long',
    });
  });

  test('a huge adversarial URL within the limit finishes quickly and stays bounded', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `p${i}@stadt.example`).join(',');
    const start = performance.now();
    const r = parsed(`mailto:${many.slice(0, MAILTO_MAX_LENGTH - 100)}`);
    expect(r.to.length).toBeLessThanOrEqual(500);
    const percent = parsed(`mailto:?body=${'%25'.repeat(20_000)}`);
    expect(percent.body).toBe('%'.repeat(20_000));
    expect(performance.now() - start).toBeLessThan(1000);
  });

  test('found among command-line arguments, never as the executable itself', () => {
    expect(mailtoFromArgv(['/opt/Ratsdesk/ratsdesk', '--no-sandbox', 'mailto:a@stadt.example'])).toBe(
      'mailto:a@stadt.example',
    );
    expect(mailtoFromArgv(['C:\\Ratsdesk.exe', 'MailTo:b@stadt.example'])).toBe('MailTo:b@stadt.example');
    expect(mailtoFromArgv(['mailto:x@y.example'])).toBeUndefined();
  });
});
