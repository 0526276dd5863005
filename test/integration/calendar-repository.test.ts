import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarRepository } from '../../electron/services/calendar/calendar-repository';
import {
  buildMeetingCalendar,
  type ExportableMeeting,
  nextMeetingSequence,
} from '../../electron/services/calendar/meeting-export';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { vaultMigrations } from '../../electron/services/vault/vault-schema';

// The local calendar and the meeting SEQUENCE bookkeeping in the real encrypted vault (SQLCipher, key in a
// real Secret Service), also across closing and reopening it as after a restart.

const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
let dir: string;
const open: Vault[] = [];

async function vaultAt(): Promise<Vault> {
  const vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: vaultMigrations });
  open.push(vault);
  return vault;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-calendar-vault-'));
});

afterAll(async () => {
  for (const v of open) v.close();
  await keychain.delete('vault-key').catch(() => false);
  rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'calendar', name), 'utf8');

describe('the local calendar in the vault', () => {
  it('keeps an accepted series with its text and finds it for a window it has occurrences in', async () => {
    const repository = new CalendarRepository(await vaultAt());
    const text = fixture('outlook-request.ics');
    const { occurrences: _o, ...data } = readCalendar(text, { timeZone: 'Europe/Berlin' }).events[0]!;
    repository.save({ data, ics: text, myAnswer: 'ACCEPTED', source: 'invitation' });
    expect(repository.event(data.uid, null)?.myAnswer).toBe('ACCEPTED');
    const at = (iso: string) => Date.parse(iso) / 1000;
    expect(
      repository.candidates(at('2027-06-01T00:00:00Z'), at('2027-07-01T00:00:00Z')).map((e) => e.data.uid),
    ).toEqual([data.uid]);
    // after UNTIL (30.06.2027) and before the start it is no candidate
    expect(repository.candidates(at('2027-08-01T00:00:00Z'), at('2027-09-01T00:00:00Z'))).toEqual([]);
    expect(repository.candidates(at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual([]);
  });

  it('claims one answer to one version once, also after a restart', async () => {
    const first = await vaultAt();
    const repository = new CalendarRepository(first);
    const key = { uid: 'u1', recurrenceId: null, sequence: 0, answer: 'ACCEPTED' as const };
    expect(first.transaction((db) => repository.claimReply(db, key))).toBe(true);
    expect(first.transaction((db) => repository.claimReply(db, key))).toBe(false);
    expect(first.transaction((db) => repository.claimReply(db, { ...key, answer: 'DECLINED' }))).toBe(true);
    expect(repository.lastAnswer('u1', null)).toBe('DECLINED');
    first.close();
    const again = await vaultAt();
    expect(again.transaction((db) => new CalendarRepository(again).claimReply(db, key))).toBe(false);
    // a new version (higher SEQUENCE) may be answered again
    expect(again.transaction((db) => new CalendarRepository(again).claimReply(db, { ...key, sequence: 1 }))).toBe(true);
  });
});

describe('meeting SEQUENCE bookkeeping', () => {
  const meeting = (start: string): ExportableMeeting => ({
    oparlId: 'https://ris.stadt.example/oparl/meeting/7',
    name: 'Bauausschuss',
    start,
    end: null,
    location: 'Rathaus',
    cancelled: false,
    organizations: [],
    web: null,
    sequence: 0,
  });

  async function exportOnce(m: ExportableMeeting): Promise<number> {
    const vault = await vaultAt();
    const repository = new CalendarRepository(vault);
    const state = nextMeetingSequence(repository.meetingSequence(m.oparlId), m);
    repository.saveMeetingSequences([{ oparlId: m.oparlId, state }]);
    const ics = buildMeetingCalendar([{ ...m, sequence: state.sequence }], { now: new Date(), language: 'de' }).ics;
    vault.close();
    return readCalendar(ics).events[0]!.sequence;
  }

  it('keeps SEQUENCE across exports and restarts, and raises it when the RIS moves the meeting', async () => {
    expect(await exportOnce(meeting('2026-05-05T17:00:00+02:00'))).toBe(0);
    expect(await exportOnce(meeting('2026-05-05T17:00:00+02:00'))).toBe(0);
    expect(await exportOnce(meeting('2026-05-06T17:00:00+02:00'))).toBe(1);
    expect(await exportOnce(meeting('2026-05-06T17:00:00+02:00'))).toBe(1);
  });
});
