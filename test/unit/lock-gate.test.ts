import { describe, expect, test, vi } from 'vitest';
import { contract } from '../../electron/contract';
import { callRoutes, channelsOpenWhileLocked, createDispatcher } from '../../electron/contract/dispatch';

const trusted = { url: 'app://ratsdesk/index.html', isMainFrame: true };
const isTrustedSender = (s: { url: string; isMainFrame: boolean }) =>
  s.isMainFrame && s.url.startsWith('app://ratsdesk/');

/** A spy handler for every call of the whole contract (host `app.*` calls included). */
function spyHandlers() {
  const spies = new Map<string, ReturnType<typeof vi.fn>>();
  const handlers: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const route of callRoutes(contract)) {
    const spy = vi.fn(async () => ({ locked: false, reason: null, idleMs: 60_000 }));
    spies.set(route.channel, spy);
    (handlers[route.domain] ??= {})[route.name] = spy;
  }
  return { handlers, spies };
}

describe('the app lock lives in the dispatcher, in front of every channel', () => {
  test('while locked, every call of the contract but the lock screen’s own answers APP_LOCKED, unserved', async () => {
    const { handlers, spies } = spyHandlers();
    const dispatch = createDispatcher(contract, handlers, { isTrustedSender, isLocked: () => true });
    const routes = callRoutes(contract);
    // The host's calls are part of the contract: saving a document, attaching files, opening links and RIS pages.
    expect(routes.map((r) => r.channel)).toEqual(
      expect.arrayContaining([
        'ratsdesk:app:saveDocumentAs',
        'ratsdesk:app:pickAttachmentFiles',
        'ratsdesk:app:openExternal',
        'ratsdesk:app:openRisPage',
      ]),
    );
    const gated = routes.filter((r) => !channelsOpenWhileLocked.has(r.channel));
    expect(gated.length).toBe(routes.length - 4);
    for (const route of gated) {
      // Whatever the input: the lock answers before the input is looked at.
      for (const input of [undefined, { id: 'x' }]) {
        expect(await dispatch(trusted, route.channel, input), route.channel).toEqual({
          ok: false,
          error: { code: 'APP_LOCKED' },
        });
      }
      expect(spies.get(route.channel), route.channel).not.toHaveBeenCalled();
    }
  });

  test('the allow-list is exactly the lock state, locking, unlocking and the language', async () => {
    expect([...channelsOpenWhileLocked].sort()).toEqual([
      'ratsdesk:app:setLanguage',
      'ratsdesk:lock:lock',
      'ratsdesk:lock:state',
      'ratsdesk:lock:unlock',
    ]);
    const channels = callRoutes(contract).map((r) => r.channel);
    for (const open of channelsOpenWhileLocked) expect(channels, open).toContain(open);
    const { handlers, spies } = spyHandlers();
    const dispatch = createDispatcher(contract, handlers, { isTrustedSender, isLocked: () => true });
    expect(await dispatch(trusted, 'ratsdesk:lock:state', undefined)).toMatchObject({ ok: true });
    expect(await dispatch(trusted, 'ratsdesk:lock:unlock', { password: 'geheim' })).toMatchObject({ ok: true });
    expect(await dispatch(trusted, 'ratsdesk:lock:lock', { reason: 'demand' })).toMatchObject({ ok: true });
    await dispatch(trusted, 'ratsdesk:app:setLanguage', { language: 'en' });
    expect(spies.get('ratsdesk:app:setLanguage')).toHaveBeenCalledWith({ language: 'en' });
    expect(spies.get('ratsdesk:lock:unlock')).toHaveBeenCalledWith({ password: 'geheim' });
    // The open calls still check their input and the sender.
    expect(await dispatch(trusted, 'ratsdesk:lock:unlock', { password: '' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await dispatch({ url: 'https://evil.example/', isMainFrame: true }, 'ratsdesk:lock:unlock', { password: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'IPC_SENDER_REJECTED' } });
  });

  test('a lock state that cannot be read counts as locked; unlocked, the calls are served', async () => {
    const { handlers, spies } = spyHandlers();
    const broken = createDispatcher(contract, handlers, {
      isTrustedSender,
      isLocked: () => Promise.reject(new Error('state file unreadable')),
    });
    expect(await broken(trusted, 'ratsdesk:documents:list', undefined)).toEqual({
      ok: false,
      error: { code: 'APP_LOCKED' },
    });
    let locked = true;
    const dispatch = createDispatcher(contract, handlers, { isTrustedSender, isLocked: async () => locked });
    expect(await dispatch(trusted, 'ratsdesk:app:openExternal', { url: 'https://x.example/' })).toMatchObject({
      ok: false,
      error: { code: 'APP_LOCKED' },
    });
    locked = false;
    await dispatch(trusted, 'ratsdesk:app:openExternal', { url: 'https://x.example/' });
    expect(spies.get('ratsdesk:app:openExternal')).toHaveBeenCalledOnce();
  });

  test('a call still running when the app locks answers APP_LOCKED, not its data', async () => {
    let locked = false;
    let finish: () => void = () => undefined;
    const list = vi.fn(
      () =>
        new Promise((resolve) => {
          finish = () => resolve([]);
        }),
    );
    const { handlers } = spyHandlers();
    handlers.documents!.list = list;
    const dispatch = createDispatcher(contract, handlers, { isTrustedSender, isLocked: () => locked });
    const pending = dispatch(trusted, 'ratsdesk:documents:list', undefined);
    await vi.waitFor(() => expect(list).toHaveBeenCalled());
    locked = true; // the person locks while the vault is still being read
    finish();
    expect(await pending).toEqual({ ok: false, error: { code: 'APP_LOCKED' } });
    // Unlocked again, the same call is answered.
    locked = false;
    const next = dispatch(trusted, 'ratsdesk:documents:list', undefined);
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    finish();
    expect(await next).toEqual({ ok: true, value: [] });
  });
});
