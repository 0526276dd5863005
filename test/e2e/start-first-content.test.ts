import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useSession } from '../../renderer/src/app/session-store';
import { useMail } from '../../renderer/src/features/mail/mail-store';
import { useRis } from '../../renderer/src/features/ris/ris-store';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { connectAccount } from '../support/e2e-account';
import { until } from '../support/wait-until';
import { type NodeRenderer, startNodeRenderer } from './harness/node-renderer';

const USER = { user: 'hanna', pass: 'Fraktion-2026!' };

/**
 * Start-up order of the mail and council areas (#15 target 4, `npm run bench -- startup`): what a person
 * waits for does not queue behind other calls — the inbox's rows not behind the folder tree (whose unread
 * counts count whole folders), the upcoming meetings not behind the council bodies.
 */
describe('the first content of the mail and council areas, renderer stores in Node over the real services', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let renderer: NodeRenderer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { subject: 'Haushaltsplan 2027', body: 'Der Entwurf des Haushalts.' },
      { subject: 'Einladung Finanzausschuss', body: 'Die Sitzung beginnt um 17 Uhr.' },
    ]);
    oparl = await startOparlServer({ papers: 20, meetings: 6, organizations: 2, persons: 4, itemsPerMeeting: 3 });
    renderer = startNodeRenderer({
      trust: { extraCaPem: [dovecot.cert.caPem, oparl.caPem] },
      ris: { systemUrl: oparl.generated.systemUrl, allowedOrigins: [oparl.origin] },
    });
    await connectAccount(renderer.host.services, dovecot, USER);
    await until('the first sync stored both messages', async () => {
      const page = await renderer.host.services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
      return page.total === 2;
    });
    const [body] = await renderer.host.services.ris.bodies();
    await renderer.host.services.ris.syncBody(body?.id ?? '');
    await useSession.getState().start();
  });

  afterAll(async () => {
    useMail.getState().reset();
    await renderer?.close();
    await oparl?.stop();
    await stopAndRemove(dovecot);
  });

  test('the mail area asks for the first page of the inbox together with the folder list, then shows both', async () => {
    expect(useSession.getState().phase).toBe('inbox');
    const before = renderer.calls.length;
    const stop = useMail.getState().init();
    // Both calls are out before either answered (init returned synchronously; no answer has come back yet).
    const asked = renderer.calls.slice(before);
    expect(asked).toContain('ratsdesk:mailSync:folders');
    expect(asked).toContain('ratsdesk:mailSync:listPage');
    await until(
      'the rows and the folder tree',
      () => useMail.getState().total === 2 && useMail.getState().folders.length > 0,
    );
    expect(useMail.getState().itemAt(0)?.subject).toBeDefined();
    expect(useMail.getState().folders.find((f) => f.path === 'INBOX')?.unread).toBe(2);
    stop();
  });

  test('the council page asks for the bodies and the upcoming meetings at once, then shows both', async () => {
    const before = renderer.calls.length;
    const loading = useRis.getState().loadHome();
    expect(renderer.calls.slice(before)).toEqual(['ratsdesk:ris:bodies', 'ratsdesk:ris:upcomingMeetings']);
    await loading;
    expect(useRis.getState().bodies).toHaveLength(1);
    expect(useRis.getState().bodies[0]?.lastSync).not.toBeNull();
    // The generated meetings that still lie ahead (half of them, less today's once it began).
    const ahead = Array.from({ length: oparl.generated.meetings }, (_, m) => oparl.generated.meetingStart(m)).filter(
      (start) => start.getTime() >= Date.now(),
    );
    expect(ahead.length).toBeGreaterThan(0);
    expect(useRis.getState().upcoming).toHaveLength(ahead.length);
  });
});
