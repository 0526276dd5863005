import { build } from 'esbuild';
import { describe, expect, test, vi } from 'vitest';
import { type Contract, contract } from '../../electron/contract';
import { buildApi } from '../../electron/contract/api-builder';
import { apiRoutes } from '../../electron/contract/api-routes';
import { contractRoutes } from '../../scripts/contract-routes-plugin.mjs';
import { eventListenerName } from '../../electron/contract/define';
import { callRoutes, createDispatcher, eventRoutes } from '../../electron/contract/dispatch';
import { RatsdeskError } from '../../electron/contract/errors';

const trusted = { url: 'app://ratsdesk/index.html', isMainFrame: true };
const isTrustedSender = (s: { url: string; isMainFrame: boolean }) =>
  s.isMainFrame && s.url.startsWith('app://ratsdesk/');
const unlocked = () => false;

function handlers(overrides: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}) {
  const base = {
    app: { openExternal: async () => false },
    account: {
      status: async () => ({ configured: false }),
      connect: async () => ({
        account: { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'a' },
        online: true,
      }),
      restore: async () => ({
        account: { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'a' },
        online: true,
      }),
      forget: async () => true,
    },
    mailSync: { folders: async () => [] },
  };
  return { ...base, ...overrides };
}

describe('the contract dispatcher (the one gate for every IPC call)', () => {
  test('rejects a sender that is not the app’s own top frame, before looking at the input', async () => {
    const connect = vi.fn(async () => ({
      account: { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'a' },
      online: true,
    }));
    const dispatch = createDispatcher(contract, handlers({ account: { ...handlers().account, connect } }), {
      isTrustedSender,
      isLocked: unlocked,
    });
    const input = { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'a', password: 'b' };
    expect(
      await dispatch({ url: 'https://evil.example/', isMainFrame: true }, 'ratsdesk:account:connect', input),
    ).toEqual({
      ok: false,
      error: { code: 'IPC_SENDER_REJECTED' },
    });
    expect(
      await dispatch({ url: 'app://ratsdesk/index.html', isMainFrame: false }, 'ratsdesk:account:connect', input),
    ).toMatchObject({
      ok: false,
      error: { code: 'IPC_SENDER_REJECTED' },
    });
    expect(connect).not.toHaveBeenCalled();
  });

  test('validates input with the call’s schema and refuses anything else', async () => {
    const connect = vi.fn(async () => ({
      account: { host: 'imap.stadt.example', port: 993, security: 'tls', username: 'a' },
      online: true,
    }));
    const dispatch = createDispatcher(contract, handlers({ account: { ...handlers().account, connect } }), {
      isTrustedSender,
      isLocked: unlocked,
    });
    const bad = [
      undefined,
      { host: 'x', port: 993, security: 'none', username: 'a', password: 'b' },
      { host: 'x; rm -rf /', port: 993, security: 'tls', username: 'a', password: 'b' },
      { host: 'x', port: 70000, security: 'tls', username: 'a', password: 'b' },
      { host: 'x', port: 993, security: 'tls', username: 'a', password: '' },
    ];
    for (const input of bad) {
      const r = await dispatch(trusted, 'ratsdesk:account:connect', input);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(connect).not.toHaveBeenCalled();
    expect(await dispatch(trusted, 'ratsdesk:nothing:here', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  test('passes a valid call through and returns its value', async () => {
    const dispatch = createDispatcher(contract, handlers(), { isTrustedSender, isLocked: unlocked });
    expect(await dispatch(trusted, 'ratsdesk:mailSync:folders', undefined)).toEqual({ ok: true, value: [] });
  });

  test('turns a RatsdeskError into its stable code, and anything else into INTERNAL without its message', async () => {
    const onUnexpectedError = vi.fn();
    const dispatch = createDispatcher(
      contract,
      handlers({
        account: {
          ...handlers().account,
          restore: async () => {
            throw new RatsdeskError('AUTH_FAILED');
          },
          status: async () => {
            throw new Error('secret stack detail /home/anna');
          },
        },
      }),
      { isTrustedSender, isLocked: unlocked, onUnexpectedError },
    );
    expect(await dispatch(trusted, 'ratsdesk:account:restore', undefined)).toEqual({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
    const r = await dispatch(trusted, 'ratsdesk:account:status', undefined);
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(onUnexpectedError).toHaveBeenCalledOnce();
  });

  test('a handler answer that breaks the output schema does not reach the renderer', async () => {
    const dispatch = createDispatcher(
      contract,
      handlers({ mailSync: { folders: async () => [{ path: 'INBOX', total: -1 }] } }),
      { isTrustedSender, isLocked: unlocked },
    );
    expect(await dispatch(trusted, 'ratsdesk:mailSync:folders', undefined)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});

describe('the api builder (what the preload exposes)', () => {
  test('exposes exactly the contract’s calls and events, frozen, and no generic invoke', () => {
    const invoke = vi.fn(async () => ({ ok: true, value: true }));
    const api = buildApi(apiRoutes, invoke, () => () => undefined) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const exposed = Object.entries(api)
      .flatMap(([d, calls]) => Object.keys(calls).map((k) => `${d}.${k}`))
      .sort();
    const expected = [
      ...callRoutes(contract).map((r) => `${r.domain}.${r.name}`),
      ...eventRoutes(contract).map((r) => `${r.domain}.${eventListenerName(r.name)}`),
    ].sort();
    expect(expected.length).toBeGreaterThan(callRoutes(contract).length);
    expect(exposed).toEqual(expected);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.mailSync)).toBe(true);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/invoke|send|ipc/i);
  });

  test('each function sends on its own channel only', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: true }));
    const api = buildApi<Contract>(apiRoutes, invoke, () => () => undefined);
    await api.account.forget();
    await api.mailSync.listPage({ folder: 'INBOX' });
    expect(invoke.mock.calls).toEqual([
      ['ratsdesk:account:forget', undefined],
      ['ratsdesk:mailSync:listPage', { folder: 'INBOX' }],
    ]);
  });

  test('the preload as built exposes the same api, with the names computed at build time and no zod in the window', async () => {
    const out = await build({
      entryPoints: ['electron/preload/preload.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      external: ['electron'],
      logLevel: 'silent',
      plugins: [contractRoutes()],
    });
    const code = out.outputFiles[0]?.text ?? '';
    // Without the plugin the contract's schemas (and zod with them) are built in every window before its page.
    expect(code).not.toMatch(/ZodError|\$ZodType|z\.object/);
    expect(code.length).toBeLessThan(20_000);
    // Electron cannot run here: its two preload APIs, recorded.
    let exposed: Record<string, Record<string, unknown>> = {};
    const invoked: [string, unknown][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (_key: string, api: typeof exposed) => (exposed = api) },
      ipcRenderer: { invoke: async (channel: string, input: unknown) => invoked.push([channel, input]), on() {} },
    };
    const module = { exports: {} };
    new Function('require', 'module', 'exports', code)(
      (id: string) => (id === 'electron' ? electron : undefined),
      module,
      module.exports,
    );
    const names = (api: Record<string, Record<string, unknown>>) =>
      Object.entries(api)
        .flatMap(([d, calls]) => Object.keys(calls).map((k) => `${d}.${k}`))
        .sort();
    expect(names(exposed)).toEqual(names(buildApi(apiRoutes, vi.fn(), () => () => undefined)));
    expect(apiRoutes.calls).toHaveLength(callRoutes(contract).length);
    expect(apiRoutes.events).toHaveLength(eventRoutes(contract).length);
    await (exposed.mailSync?.listPage as (input: unknown) => Promise<unknown>)({ folder: 'INBOX' });
    expect(invoked).toEqual([['ratsdesk:mailSync:listPage', { folder: 'INBOX' }]]);
  });
});
