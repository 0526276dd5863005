import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Contract, EmitterOf } from '../../electron/contract';
import { createServices, type Services } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { otherDevice } from './mail-sync-fixture';
import { until } from '../support/wait-until';

const USER = { user: 'dora', pass: 'Ausschuss-42!' };

describe('events while locked: real services over a real Dovecot', () => {
  let dovecot: DovecotServer;
  let dataDir: string;
  let services: Services;
  let other: ImapFlow;
  const events: Array<{ channel: string; payload: unknown }> = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    other = await otherDevice(dovecot);
    dataDir = mkdtempSync(join(tmpdir(), 'ratsdesk-lock-events-'));
    const emit: EmitterOf<Contract> = (domain, name, payload) => events.push({ channel: `${domain}.${name}`, payload });
    services = createServices({
      dataDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
      emit,
    });
  });
  afterAll(async () => {
    await services?.account.forget().catch(() => undefined);
    await services?.dispose();
    await other?.logout().catch(() => undefined);
    await stopAndRemove(dovecot);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Another device delivers a message; the app's session syncs and reports it. */
  async function newMailAfter(subject: string) {
    const seen = events.length;
    await other.append(
      'INBOX',
      `Subject: ${subject}\r\nFrom: Personalamt <personal@stadt.example>\r\n\r\nBitte vertraulich behandeln\r\n`,
    );
    const sync = (await services.mailSessions.current()).sync;
    await sync.syncNow('INBOX');
    return until('a new-mail event', () => events.slice(seen).find((e) => e.channel === 'mailSync.newMail'));
  }

  test('new mail while locked is a count: no subject, sender, preview or folder reaches the renderer', async () => {
    await services.handlers.account.connect({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: USER.user,
      password: USER.pass,
    });
    await until('the first sync', () =>
      events.some((e) => e.channel === 'mailSync.syncProgress' && (e.payload as { phase: string }).phase === 'done'),
    );
    await (await services.mailSessions.current()).sync.settled();
    // Unlocked, the event names the message (the mail list shows it at once).
    const open = await newMailAfter('Offen: Tagesordnung');
    expect(JSON.stringify(open.payload)).toContain('Offen: Tagesordnung');

    await services.handlers.lock.lock({ reason: 'demand' });
    const seen = events.length;
    const locked = await newMailAfter('Vertraulich: Personalvorlage Müller');
    expect(locked.payload).toEqual({ folder: '', count: 1, items: [] });
    const sentWhileLocked = JSON.stringify(events.slice(seen));
    expect(sentWhileLocked).not.toContain('Vertraulich');
    expect(sentWhileLocked).not.toContain('personal@stadt.example');
    expect(sentWhileLocked).not.toContain('INBOX');
    // Progress (folder names) and the outbox (subjects, recipients) are withheld altogether.
    expect(events.slice(seen).map((e) => e.channel)).not.toContain('mailSync.syncProgress');

    await services.handlers.lock.unlock({ password: USER.pass });
    const again = await newMailAfter('Wieder offen: Protokoll');
    expect(JSON.stringify(again.payload)).toContain('Wieder offen: Protokoll');
  });
});
