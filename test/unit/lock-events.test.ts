import { describe, expect, test } from 'vitest';
import { contract, type Contract, type EmitterOf } from '../../electron/contract';
import { eventRoutes } from '../../electron/contract/dispatch';
import { eventsWhileLocked, gateEventsWhileLocked } from '../../electron/contract/events-while-locked';

const newMail = {
  folder: 'Personal/Bewerbungen',
  count: 2,
  items: [
    {
      id: 7,
      folder: 'Personal/Bewerbungen',
      uid: 7,
      subject: 'Vertraulich: Bewerbung Müller',
      from: { name: 'Personalamt', address: 'personal@stadt.example' },
      date: '2026-03-01T08:00:00.000Z',
      size: 300,
      seen: false,
      flagged: false,
      answered: false,
      forwarded: false,
      hasAttachments: false,
      preview: 'Anbei die Unterlagen',
    },
  ],
};

function recorder() {
  const sent: Array<[string, string, unknown]> = [];
  const emit: EmitterOf<Contract> = (domain, name, payload) => sent.push([domain, name, payload]);
  return { sent, emit };
}

describe('events pass the app lock too', () => {
  test('every event of the contract has a rule for while the app is locked', () => {
    const rules = eventsWhileLocked as unknown as Record<string, Record<string, unknown>>;
    for (const route of eventRoutes(contract)) {
      expect(rules[route.domain]?.[route.name], route.channel).toBeDefined();
    }
  });

  test('while locked, new mail is a count only; content-bearing events are withheld', () => {
    const { sent, emit } = recorder();
    let locked = true;
    const gated = gateEventsWhileLocked(emit, () => locked)!;
    gated('mailSync', 'newMail', newMail);
    gated('mailSync', 'syncProgress', { folder: 'Personal/Bewerbungen', phase: 'new', done: 1, total: 2 });
    gated('compose', 'outboxChanged', { items: [] });
    gated('ris', 'offlineProgress', { meetingId: 'm', done: 1, total: 2, bytes: 1, failed: 0, state: 'running' });
    gated('mailSync', 'syncConnectionState', {
      state: 'auth-failed',
      error: { code: 'AUTH_FAILED', detail: '535 authentication failed for personal@stadt.example' },
    });
    gated('lock', 'locked', { reason: 'os' });
    expect(sent).toEqual([
      ['mailSync', 'newMail', { folder: '', count: 2, items: [] }],
      ['mailSync', 'syncConnectionState', { state: 'auth-failed', error: { code: 'AUTH_FAILED' } }],
      ['lock', 'locked', { reason: 'os' }],
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/Bewerbung|personal@|Anbei/);

    // Unlocked, everything goes out as it is.
    locked = false;
    sent.length = 0;
    gated('mailSync', 'newMail', newMail);
    expect(sent).toEqual([['mailSync', 'newMail', newMail]]);
  });
});
