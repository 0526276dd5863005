import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import type { DoctorReport } from '../../electron/services/diagnostics/doctor-report';
import { renderDoctorText } from '../../electron/services/diagnostics/doctor-text-report';
import { describeError, logFileIn, LogService, readLogTail } from '../../electron/services/log/log-service';

describe('the log: stable codes, short details, bounded, private, and in the doctor report', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('one line per event, in logs/ of the data folder, readable by the person only', () => {
    const file = logFileIn(dir);
    const log = new LogService({ file, now: () => new Date('2026-03-01T08:00:00Z') });
    log.warn('mail.sync-failed', describeError(new RatsdeskError('VAULT_DISK_FULL', 'database or disk is full')));
    log.info('services.started');
    expect(readFileSync(file, 'utf8')).toBe(
      '2026-03-01T08:00:00.000Z WARN mail.sync-failed VAULT_DISK_FULL: database or disk is full\n' +
        '2026-03-01T08:00:00.000Z INFO services.started\n',
    );
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    }
  });

  test('a detail cannot forge lines or grow without bound; a foreign error logs its kind, never its message', () => {
    const file = logFileIn(dir);
    const log = new LogService({ file });
    log.error('mail.sync-failed', `eins\nFAKE ERROR zwei ${'x'.repeat(10_000)}`);
    log.error('Not A Code\n', 'x');
    const err = Object.assign(new Error('NO [ALERT] Passwort123 for anna@stadt.example'), { code: 'ECONNRESET' });
    log.warn('mail.outbox-flush-failed', describeError(err));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.length).toBeLessThan(300);
    expect(lines[1]).toMatch(/ ERROR log\.bad-code x$/);
    expect(lines[2]).toMatch(/ WARN mail\.outbox-flush-failed Error ECONNRESET$/);
    expect(readFileSync(file, 'utf8')).not.toContain('Passwort123');
  });

  test('rotation keeps the log under twice its bound; the tail reads across the two files', () => {
    const file = logFileIn(dir);
    const log = new LogService({ file, maxBytes: 2_000 });
    for (let i = 0; i < 500; i++) log.info('ris.sync', `page ${i}`);
    expect(statSync(file).size).toBeLessThanOrEqual(2_000);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(2_000);
    const tail = readLogTail(file, 40);
    expect(tail).toHaveLength(40);
    expect(tail.at(-1)).toMatch(/ris\.sync page 499$/);
    expect(readLogTail(join(dir, 'nothing.log'))).toEqual([]);
  });

  test('the doctor text carries the tail of the log', () => {
    const report: DoctorReport = {
      generatedAt: '2026-03-01T08:00:00.000Z',
      platform: 'linux x64',
      nodeVersion: 'v20',
      checks: [],
      overall: 'ok',
      logTail: ['2026-03-01T07:59:00.000Z WARN mail.sync-failed VAULT_DISK_FULL'],
    };
    expect(renderDoctorText(report)).toContain(
      'Recent log entries:\n  2026-03-01T07:59:00.000Z WARN mail.sync-failed VAULT_DISK_FULL',
    );
  });
});
