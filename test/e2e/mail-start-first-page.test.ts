import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useSession } from '../../renderer/src/app/session-store';
import { useMail } from '../../renderer/src/features/mail/mail-store';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { connectAccount } from '../support/e2e-account';
import { until } from '../support/wait-until';
import { type NodeRenderer, startNodeRenderer } from './harness/node-renderer';

const USER = { user: 'hanna', pass: 'Fraktion-2026!' };

/**
 * Start-up order of the mail area (#15 target 4, `npm run bench -- startup`): the rows a person waits for
 * do not queue behind the folder tree, whose unread counts count whole folders.
 */
describe('the mail area at start, renderer stores in Node over the real services', () => {
  let dovecot: DovecotServer;
  let renderer: NodeRenderer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { subject: 'Haushaltsplan 2027', body: 'Der Entwurf des Haushalts.' },
      { subject: 'Einladung Finanzausschuss', body: 'Die Sitzung beginnt um 17 Uhr.' },
    ]);
    renderer = startNodeRenderer({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    await connectAccount(renderer.host.services, dovecot, USER);
    await until('the first sync stored both messages', async () => {
      const page = await renderer.host.services.handlers.mailSync.listPage({ folder: 'INBOX', offset: 0, limit: 10 });
      return page.total === 2;
    });
  });

  afterAll(async () => {
    useMail.getState().reset();
    await renderer?.close();
    await stopAndRemove(dovecot);
  });

  test('asks for the first page of the inbox together with the folder list, then shows both', async () => {
    await useSession.getState().start();
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
});
