import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { extractAttachment, parseMessage, sanitizeFilename } from '../../electron/services/mail/message-parser';
import type { ParsedMessage } from '../../electron/services/mail/message-parser';
import { RatsdeskError } from '../../electron/contract/errors';

const fixtures = join(__dirname, '..', 'fixtures', 'mime');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));

setFlagsFromString('--expose-gc');
const forceGc = runInNewContext('gc') as () => void;

function expectWellFormed(m: ParsedMessage): void {
  expect(typeof m.subject).toBe('string');
  expect(Array.isArray(m.from)).toBe(true);
  expect(Array.isArray(m.attachments)).toBe(true);
  expect(typeof m.text).toBe('string');
  if (m.date !== null) expect(Number.isNaN(Date.parse(m.date))).toBe(false);
}

describe('parseMessage on bad input', () => {
  it('keeps the readable parts of a message whose multipart boundaries are broken', async () => {
    const m = await parseMessage(fixture('broken-boundary.eml'));
    expectWellFormed(m);
    expect(m.subject).toBe('Haushalt 2027 (kaputte Grenze)');
    expect(m.from).toEqual([{ name: 'Kämmerei', address: 'kaemmerei@stadt.example' }]);
    expect(m.date).toBe('2026-03-02T08:15:00.000Z');
    expect(m.text).toContain('Der Entwurf des Haushalts liegt bei.');
  });

  it('parses a truncated multipart without a closing boundary', async () => {
    const m = await parseMessage(fixture('unterminated-multipart.eml'));
    expectWellFormed(m);
    expect(m.subject).toBe('abgeschnitten');
    expect(m.text).toContain('Erster Teil');
    expect(m.date).toBeNull();
  });

  it('reads text and subject in an unknown charset instead of failing', async () => {
    const m = await parseMessage(fixture('unknown-charset.eml'));
    expectWellFormed(m);
    expect(m.subject).toContain('Sitzung');
    expect(m.text).toContain('Die Sitzung beginnt um 18 Uhr im Ratssaal.');
  });

  it('survives a body in a different charset than declared', async () => {
    const m = await parseMessage(fixture('wrong-charset.eml'));
    expectWellFormed(m);
    expect(m.subject).toBe('Falscher Zeichensatz');
    expect(m.text).toContain('rger und Stra');
    expect(m.text).toContain('Grüße aus dem Rathaus');
  });

  it('decodes encoded-word headers, raw 8-bit headers mixing UTF-8 and Latin-1 lines, and keeps threading headers', async () => {
    const m = await parseMessage(fixture('eightbit-headers.eml'));
    expectWellFormed(m);
    expect(m.subject).toBe('Beschlussvorlage Übersicht – Straßenbau');
    expect(m.from).toEqual([{ name: 'Jürgen Müller', address: 'juergen@stadt.example' }]);
    expect(m.to).toEqual([
      { name: 'Bürgermeisterin', address: 'bm@stadt.example' },
      { name: 'Anna Schöne', address: 'anna@stadt.example' },
    ]);
    expect(m.cc).toEqual([{ name: 'Straßenbauamt', address: 'strasse@stadt.example' }]);
    expect(m.inReplyTo).toBe('<parent@stadt.example>');
    expect(m.references).toEqual(['<root@stadt.example>', '<parent@stadt.example>']);
    expect(m.text).toContain('Grüße');
  });

  it('reads raw 8-bit Latin-1 headers without replacement characters', async () => {
    const m = await parseMessage(fixture('latin1-headers.eml'));
    expectWellFormed(m);
    expect(m.subject).toBe('Grüße aus München');
    expect(m.cc).toEqual([{ name: 'Straßenbauamt', address: 'strasse@stadt.example' }]);
    expect(m.from).toEqual([{ name: 'Jürgen', address: 'j@stadt.example' }]);
    expect(m.text).toContain('Grüße');
  });

  it('sanitizes attachment filenames with path separators and control characters', async () => {
    const m = await parseMessage(fixture('evil-filenames.eml'));
    expectWellFormed(m);
    expect(m.attachments).toHaveLength(4);
    for (const a of m.attachments) {
      // eslint-disable-next-line no-control-regex -- asserting that control characters are gone
      expect(a.filename).not.toMatch(/[/\\\u0000-\u001f\u007f\u202e]/);
      expect(a.filename.startsWith('.')).toBe(false);
      expect(a.filename.length).toBeGreaterThan(0);
    }
    expect(m.attachments[0]!.filename).toBe('passwd');
    expect(m.attachments[2]!.filename).toBe('Rechnungfdp.exe');
    expect(m.attachments[3]!.filename).toBe('attachment.txt');
    const passwd = await extractAttachment(fixture('evil-filenames.eml'), m.attachments[0]!.partId);
    expect(passwd.filename).toBe('passwd');
    expect(Buffer.from(passwd.bytes).toString()).toBe('root:x:0:0');
  });

  it('sanitizeFilename never returns a path, a control character or an empty name', () => {
    expect(sanitizeFilename('../../../etc/shadow')).toBe('shadow');
    expect(sanitizeFilename('..\\..\\boot.ini')).toBe('boot.ini');
    expect(sanitizeFilename('/')).toBe('attachment.bin');
    expect(sanitizeFilename('\u0000\u0001', 'application/pdf')).toBe('attachment.pdf');
    expect(sanitizeFilename('a\u202Etxt.exe')).toBe('atxt.exe');
    expect(sanitizeFilename('x'.repeat(500) + '.pdf')).toMatch(/^x{251}\.pdf$/);
  });

  it('yields the headers of a message with a 1 MB header', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const raw = Buffer.from(
      `From: a@stadt.example\r\nSubject: Langer Kopf\r\nX-Padding: ${big}\r\nMessage-ID: <big-header@stadt.example>\r\n\r\nText nach dem Kopf\r\n`,
    );
    const m = await parseMessage(raw);
    expectWellFormed(m);
    expect(m.subject).toBe('Langer Kopf');
    expect(m.messageId).toBe('<big-header@stadt.example>');
    expect(m.text).toContain('Text nach dem Kopf');
  });

  it('yields headers and a parseError for a header block beyond the parser limit', async () => {
    const big = Array.from({ length: 5 * 1024 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(1000)}`).join('\r\n');
    const raw = Buffer.from(`Subject: Riesenkopf\r\nFrom: b@stadt.example\r\n${big}\r\n\r\nBody\r\n`);
    const m = await parseMessage(raw);
    expectWellFormed(m);
    expect(m.subject).toBe('Riesenkopf');
    expect(m.from[0]?.address).toBe('b@stadt.example');
    expect(m.parseError).toBeTruthy();
    expect(m.text).toBe('');
  });

  it('parses 100 levels of nested multiparts', async () => {
    let body = 'Content-Type: text/plain; charset=utf-8\r\n\r\nGanz innen.\r\n';
    for (let i = 0; i < 100; i++) {
      body = `Content-Type: multipart/mixed; boundary="level-${i}"\r\n\r\n--level-${i}\r\n${body}--level-${i}--\r\n`;
    }
    const raw = Buffer.from(`From: c@stadt.example\r\nSubject: Verschachtelt\r\nMIME-Version: 1.0\r\n${body}`);
    const m = await parseMessage(raw);
    expectWellFormed(m);
    expect(m.subject).toBe('Verschachtelt');
    expect(m.text).toContain('Ganz innen.');
  });

  it('returns a result for empty input, binary garbage and a message without header/body separator', async () => {
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    for (const raw of [Buffer.alloc(0), garbage, Buffer.from('Subject: nur Kopf'), Buffer.from('\r\n\r\n\r\n')]) {
      const m = await parseMessage(raw);
      expectWellFormed(m);
    }
    const onlyHead = await parseMessage(Buffer.from('Subject: nur Kopf'));
    expect(onlyHead.subject).toBe('nur Kopf');
  });

  it('replaces an unparseable Date header by null instead of inventing the current time', async () => {
    const m = await parseMessage(Buffer.from('Subject: s\r\nDate: gestern nachmittag\r\n\r\nx'));
    expect(m.date).toBeNull();
  });

  it('extractAttachment reports an unknown part with a stable code', async () => {
    await expect(extractAttachment(fixture('evil-filenames.eml'), '9.9')).rejects.toMatchObject({
      code: 'MAIL_PART_NOT_FOUND',
    });
    await expect(extractAttachment(fixture('evil-filenames.eml'), '9.9')).rejects.toBeInstanceOf(RatsdeskError);
  });

  it('streams a 50 MB attachment: parses it, reports its size and keeps memory bounded', async () => {
    const size = 50 * 1024 * 1024;
    const block = Buffer.alloc(57 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) % 256;
    const b64Lines: string[] = [];
    const blockB64 = block.toString('base64').replace(/.{76}/g, '$&\r\n');
    let produced = 0;
    while (produced + block.length <= size) {
      b64Lines.push(blockB64.endsWith('\r\n') ? blockB64 : blockB64 + '\r\n');
      produced += block.length;
    }
    const rest = block.subarray(0, size - produced);
    if (rest.length > 0) b64Lines.push(rest.toString('base64').replace(/.{76}/g, '$&\r\n') + '\r\n');
    const raw = Buffer.concat([
      Buffer.from(
        'From: d@stadt.example\r\nSubject: Großer Anhang\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n' +
          '--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlan im Anhang.\r\n' +
          '--B\r\nContent-Type: application/pdf; name="bebauungsplan.pdf"\r\nContent-Disposition: attachment; filename="bebauungsplan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
      ),
      Buffer.from(b64Lines.join('')),
      Buffer.from('--B--\r\n'),
    ]);
    b64Lines.length = 0;

    const used = (): number => {
      const u = process.memoryUsage();
      return u.heapUsed + u.arrayBuffers;
    };
    forceGc();
    const baseline = used();
    let peak = baseline;
    // Sample what is retained (after a full GC), not garbage the collector has not reached yet.
    const sampler = setInterval(() => {
      forceGc();
      peak = Math.max(peak, used());
    }, 300);
    const m = await parseMessage(raw);
    clearInterval(sampler);
    expectWellFormed(m);
    expect(m.parseError).toBeUndefined();
    expect(m.text).toContain('Plan im Anhang.');
    expect(m.attachments).toEqual([
      { partId: '2', filename: 'bebauungsplan.pdf', mimeType: 'application/pdf', size, contentId: null },
    ]);
    // The decoded attachment (50 MB) is never held: retained memory stays well below its size.
    expect(peak - baseline).toBeLessThan(size / 2);
  });
});
