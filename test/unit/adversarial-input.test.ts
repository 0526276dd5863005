import { beforeAll, describe, expect, it } from 'vitest';
import { safeFileName } from '../../electron/contract/file-name';
import { forwardSubject, quoteText, replySubject } from '../../electron/services/mail/compose-reply';
import { parseMessage, sanitizeFilename } from '../../electron/services/mail/message-parser';
import { recognizeRisLinks } from '../../electron/services/ris/link-recognizer';
import { parseRegQueryOutput } from '../../electron/services/policy/windows-registry-policy';

// Issue #10 item 2: one hostile mail (or server answer) must not freeze the main process. Each input below is a
// megabyte built to hit a backtracking regular expression (a long run the pattern can start at everywhere,
// then a character that makes it fail). The cap is deliberately generous (one second, on a shared two-core
// machine); speed figures belong in bench/. Quadratic code needs minutes for these inputs, so the cap separates
// linear from quadratic without being a timing benchmark. Quadratic code blocks the worker synchronously, so
// no test timeout can stop it: to see these tests fail on old code in seconds instead of minutes, run them with
// RATSDESK_ADVERSARIAL_BYTES=65536 (the 1 s cap still fails quadratic code there).
const MB = Number(process.env.RATSDESK_ADVERSARIAL_BYTES ?? 1024 * 1024);
const CAP_MS = 1000;

// CPU time of this process, not wall time: other test servers and helpers share the two cores, and what is
// measured is the work this input causes.
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage();
  const value = run();
  return { value, ms: cpuMs(start) };
}

async function timedAsync<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.cpuUsage();
  const value = await run();
  return { value, ms: cpuMs(start) };
}

function mime(headers: string, body = 'Hallo\r\n'): Buffer {
  return Buffer.from(`From: a@stadt.example\r\nTo: b@stadt.example\r\n${headers}\r\n\r\n${body}`, 'utf8');
}

describe('1 MB adversarial input finishes well under a second', () => {
  beforeAll(async () => {
    // Load and warm the MIME parser (module loading and first compilation are not the input's cost).
    for (let i = 0; i < 3; i++) await parseMessage(mime(`Subject: ${'x'.repeat(64 * 1024)}`));
  });

  it('file names: a megabyte of dots and spaces before a letter', () => {
    for (const name of ['.'.repeat(MB) + 'x', ' .'.repeat(MB / 2) + 'x', 'a' + '. '.repeat(MB / 2) + 'x']) {
      const { value, ms } = timed(() => [sanitizeFilename(name), safeFileName(name)]);
      expect(ms).toBeLessThan(CAP_MS);
      expect(new TextEncoder().encode(value[0]).length).toBeLessThanOrEqual(255);
    }
  });

  it('the MIME parser: an attachment whose file name is a megabyte of dots', async () => {
    // Leading dots are stripped first; dots between two letters are what /[\s.]+$/ retried from every position.
    const name = `a${'.'.repeat(MB)}x`;
    const raw = mime(
      'Subject: Anlage\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"',
      `--b\r\nContent-Type: text/plain\r\n\r\nText\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="${name}"\r\n\r\nAAAA\r\n--b--\r\n`,
    );
    const { value, ms } = await timedAsync(() => parseMessage(raw));
    expect(ms).toBeLessThan(CAP_MS);
    expect(value.attachments).toHaveLength(1);
    expect(new TextEncoder().encode(value.attachments[0]?.filename).length).toBeLessThanOrEqual(255);
  });

  it('the MIME parser: a megabyte Date comment, From list and subject', async () => {
    const cases = [
      `Date: Tue, 3 Mar 2026 10:00:00 +0100 ${'('.repeat(MB)}x`,
      `Date: ${' '.repeat(MB)}(x`,
      `Subject: ${'Re: '.repeat(MB / 4)}`,
      `Subject: ${'AW'.padEnd(MB, ' ')}x`,
      `Cc: ${'a'.repeat(MB)}`,
      `Cc: ${'a@'.repeat(MB / 2)}`,
    ];
    for (const header of cases) {
      const { value, ms } = await timedAsync(() => parseMessage(mime(header)));
      expect(ms, header.slice(0, 20)).toBeLessThan(CAP_MS);
      expect(value.subject.length).toBeLessThanOrEqual(10_000);
    }
  });

  it('the MIME parser: a megabyte body of dots, of link starts and of newlines', async () => {
    for (const body of ['.'.repeat(MB) + 'x', 'http://'.repeat(MB / 7), '\r\n'.repeat(MB / 2) + 'x']) {
      const { ms } = await timedAsync(() => parseMessage(mime('Subject: x', body)));
      expect(ms).toBeLessThan(CAP_MS);
    }
  });

  it('the link recognizer: a megabyte of dots after a URL, and a megabyte of URLs', () => {
    const inputs = [
      `https://ris.stadt.example/bi/vo020.asp?VOLFDNR=1${'.'.repeat(MB)}x`,
      `http://${'.'.repeat(MB)}x`,
      'https://ratsinfo.stadt.example/bi/vo020.asp?VOLFDNR=4711 '.repeat(MB / 56),
      `<a href="${'&amp;'.repeat(MB / 5)}">`,
      `https://${'),'.repeat(MB / 2)}x`,
    ];
    for (const text of inputs) {
      const { ms } = timed(() => recognizeRisLinks(text, { risOrigins: ['https://ris.stadt.example'] }));
      expect(ms).toBeLessThan(CAP_MS);
    }
  });

  it('reply and forward subjects and quoting', () => {
    for (const subject of [`Re${' '.repeat(MB)}x`, `AW${' '.repeat(MB)}[1]`, 'AW: '.repeat(MB / 4)]) {
      const { ms } = timed(() => [replySubject(subject), forwardSubject(subject)]);
      expect(ms).toBeLessThan(CAP_MS);
    }
    const { ms } = timed(() => quoteText(`${'\n'.repeat(MB)}x`));
    expect(ms).toBeLessThan(CAP_MS);
  });

  it('reg query output with a megabyte of trailing white space', () => {
    const { ms } = timed(() => parseRegQueryOutput(`    imapHost    REG_SZ    a${' '.repeat(MB)}x\r\n`));
    expect(ms).toBeLessThan(CAP_MS);
  });
});
