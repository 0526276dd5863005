import { relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { useSession } from '../../renderer/src/app/session-store';
import { useDocuments } from '../../renderer/src/features/documents/documents-store';
import { useLock } from '../../renderer/src/features/lock/lock-store';
import { useMail } from '../../renderer/src/features/mail/mail-store';
import { useRis } from '../../renderer/src/features/ris/ris-store';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { connectAccount } from '../support/e2e-account';
import { type NodeRenderer, startNodeRenderer } from './harness/node-renderer';
import { repoRoot } from './harness/app-host';

const USER = { user: 'greta', pass: 'Fraktion-2026!' };

/**
 * The timers renderer code starts (told apart from the services' by the file that called setTimeout) and
 * which of them are still pending.
 */
function trackRendererTimers() {
  const rendererDir = `renderer${sep}src${sep}`;
  const pending = new Map<unknown, string>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const callerFile = (stack: string | undefined) => {
    // [0] "Error", [1] this wrapper, [2] whoever called setTimeout
    const line = stack?.split('\n')[2] ?? '';
    return /\((.*?):\d+:\d+\)$|at (.*?):\d+:\d+$/.exec(line)?.slice(1).find(Boolean) ?? '';
  };
  const tracked = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const file = relative(repoRoot, callerFile(new Error().stack));
    if (!file.startsWith(rendererDir)) return realSet(handler, ms, ...args);
    const timer = realSet(
      (...a: unknown[]) => {
        pending.delete(timer);
        handler(...a);
      },
      ms,
      ...args,
    );
    pending.set(timer, file);
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = tracked;
  globalThis.clearTimeout = ((timer?: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  return {
    pending: () => [...pending.values()],
    stop() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

describe('renderer stores in Node over the real services: a lock empties every store and ends every store timer', () => {
  let dovecot: DovecotServer;
  let renderer: NodeRenderer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [
      { subject: 'Haushaltsplan 2027', body: 'Der Entwurf des Haushalts.' },
      { subject: 'Einladung Finanzausschuss', body: 'Die Sitzung beginnt um 17 Uhr.' },
      { subject: 'Protokoll der Ratssitzung', body: 'Das Protokoll liegt bei.' },
    ]);
    renderer = startNodeRenderer({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    await connectAccount(renderer.host.services, dovecot, USER);
  });

  afterAll(async () => {
    await renderer?.close();
    await stopAndRemove(dovecot);
  });

  test('after a lock no mail is left in any store, no store timer runs and no call follows; unlocking loads afresh', async () => {
    const timers = trackRendererTimers();
    try {
      await useSession.getState().start();
      expect(useSession.getState().phase).toBe('inbox');
      const stopMail = useMail.getState().init();
      await vi.waitFor(() => expect(useMail.getState().total).toBe(3), { timeout: 30_000 });
      // An open message, a reply being written, the drafts panel, a document in the documents area.
      useMail.getState().setActive(0);
      await vi.waitFor(() => expect(useMail.getState().open?.read).toBeDefined(), { timeout: 10_000 });
      await useMail.getState().startCompose('reply');
      expect(useMail.getState().compose?.draft.subject).toMatch(/^AW: /);
      useMail.getState().setDraftsPanel(true);
      await vi.waitFor(() => expect(useMail.getState().drafts).toEqual([]));
      (await renderer.host.services.documents()).put({
        bytes: new TextEncoder().encode('Haushaltsrede'),
        name: 'Haushaltsrede.txt',
        mimeType: 'text/plain',
        source: { kind: 'upload', ref: 'e2e' },
      });
      await useDocuments.getState().refresh();
      expect(useDocuments.getState().items.map((d) => d.name)).toEqual(['Haushaltsrede.txt']);

      // Work under way at the moment of the lock: a search waiting for its pause in typing, a message opening.
      useMail.getState().setFilters({ query: 'Haushalt' });
      expect(timers.pending().length).toBeGreaterThan(0);
      useMail.getState().setActive(1, false);
      const opening = useMail.getState().openActive();
      const callsBefore = renderer.calls.length;

      await useLock.getState().lockNow('demand');
      expect(renderer.host.services.appLock.isLocked).toBe(true);
      expect(timers.pending()).toEqual([]);
      await opening;
      // Longer than any pause of the stores (search 120 ms, refresh 150 ms): whatever was left would have run.
      await new Promise((done) => setTimeout(done, 500));

      expect(useMail.getState()).toEqual(useMail.getInitialState());
      expect(useDocuments.getState()).toEqual(useDocuments.getInitialState());
      expect(useRis.getState()).toEqual(useRis.getInitialState());
      expect(timers.pending()).toEqual([]);
      // The only call after the lock is the lock itself: nothing of the mail store came back to life.
      expect(renderer.calls.slice(callsBefore)).toEqual(['ratsdesk:lock:lock']);
      stopMail();

      // Unlocked, the mail area starts afresh: the store still works after its reset.
      expect(await useLock.getState().unlock(USER.pass)).toBe(true);
      const stopAgain = useMail.getState().init();
      await vi.waitFor(() => expect(useMail.getState().total).toBe(3), { timeout: 30_000 });
      expect(useMail.getState().folders.some((f) => f.path === 'INBOX')).toBe(true);
      stopAgain();
      useMail.getState().reset();
    } finally {
      timers.stop();
    }
  });
});
