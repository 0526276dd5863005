import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { contract } from '../../electron/contract';
import { callRoutes } from '../../electron/contract/dispatch';
import { appResponseHeaders, resolveAppPath } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { openExternalConfirmed, parseExternalUrl } from '../../electron/main/external-links';
import { describeSender, isTrustedSender, registerIpc } from '../../electron/main/ipc-registration';
import { attachNavigationGuards, isAppUrl } from '../../electron/main/navigation-guard';
import { denyAllPermissions } from '../../electron/main/permissions';
import { newMailNotificationText } from '../../electron/main/new-mail-notification';
import { mainWindowOptions } from '../../electron/main/window-options';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

describe('main window options', () => {
  test('isolated, sandboxed, no Node integration, web security on, no webview', () => {
    const wp = mainWindowOptions('/app/preload.cjs').webPreferences;
    expect(wp).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  test('scripts only from the app, no inline or eval, no remote content', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'ratsdesk-proto-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  test('serves files inside the renderer folder only', () => {
    expect(resolveAppPath(root, 'app://ratsdesk/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://ratsdesk/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://ratsdesk/../../etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveAppPath(root, 'app://ratsdesk/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveAppPath(root, 'app://ratsdesk/..%2F..%2Fetc%2Fpasswd')).toBeUndefined();
    expect(resolveAppPath(root, 'app://ratsdesk/a%00b')).toBeUndefined();
    expect(resolveAppPath(root, 'app://other/index.html')).toBeUndefined();
    expect(resolveAppPath(root, 'not a url')).toBeUndefined();
  });
  test('every response carries the CSP and nosniff', () => {
    expect(appResponseHeaders('x/index.html')).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

function fakeContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  return {
    on: vi.fn((name: string, fn: (...args: unknown[]) => void) => listeners.set(name, fn)),
    setWindowOpenHandler: vi.fn((fn: (d: { url: string }) => { action: string }) => {
      openHandler = fn;
    }),
    emit(name: string, url: string) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)?.(event, url);
      return event;
    },
    openWindow(url: string) {
      return openHandler?.({ url });
    },
  };
}

describe('navigation guard', () => {
  test('denies navigation and redirects away from the app, every new window and every webview', () => {
    const contents = fakeContents();
    attachNavigationGuards(contents as never);
    expect(contents.emit('will-navigate', 'https://evil.example/').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-navigate', 'file:///etc/passwd').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-navigate', 'app://ratsdesk/index.html').preventDefault).not.toHaveBeenCalled();
    expect(contents.emit('will-redirect', 'http://127.0.0.1/').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-attach-webview', '').preventDefault).toHaveBeenCalled();
    expect(contents.openWindow('https://stadt.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow('app://ratsdesk/index.html')).toEqual({ action: 'deny' });
  });
  test('isAppUrl accepts only the app origin', () => {
    expect(isAppUrl('app://ratsdesk/x')).toBe(true);
    expect(isAppUrl('app://ratsdesk.evil/x')).toBe(false);
    expect(isAppUrl('https://ratsdesk/x')).toBe(false);
    expect(isAppUrl('::')).toBe(false);
  });
});

describe('permissions', () => {
  test('every permission request and check is denied, downloads are cancelled', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (fn: never) => (handlers.request = fn),
      setPermissionCheckHandler: (fn: never) => (handlers.check = fn),
      setDevicePermissionHandler: (fn: never) => (handlers.device = fn),
      on: (name: string, fn: never) => (handlers[name] = fn),
    };
    denyAllPermissions(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      (handlers.request as unknown as (a: unknown, p: string, cb: (ok: boolean) => void) => void)({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect((handlers.check as unknown as () => boolean)()).toBe(false);
    }
    const event = { preventDefault: vi.fn() };
    (handlers['will-download'] as unknown as (e: unknown) => void)(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('IPC registration and sender check', () => {
  test('registers one handler per contract call and hands the sender frame to the dispatcher', async () => {
    const handled = new Map<string, (event: unknown, input: unknown) => unknown>();
    const ipcMain = {
      handle: vi.fn((ch: string, fn: (event: unknown, input: unknown) => unknown) => handled.set(ch, fn)),
    };
    const dispatch = vi.fn(async () => ({ ok: true, value: null }));
    const channels = registerIpc(ipcMain as never, contract, dispatch);
    expect(channels).toEqual(callRoutes(contract).map((r) => r.channel));
    const top = { url: 'app://ratsdesk/index.html', parent: null };
    await handled.get('ratsdesk:mailSync:listPage')?.({ senderFrame: top }, { folder: 'INBOX' });
    expect(dispatch).toHaveBeenCalledWith(
      { url: 'app://ratsdesk/index.html', isMainFrame: true },
      'ratsdesk:mailSync:listPage',
      {
        folder: 'INBOX',
      },
    );
  });
  test('trusts only the app’s own main frame', () => {
    expect(
      isTrustedSender(describeSender({ senderFrame: { url: 'app://ratsdesk/index.html', parent: null } } as never)),
    ).toBe(true);
    expect(
      isTrustedSender(describeSender({ senderFrame: { url: 'app://ratsdesk/index.html', parent: {} } } as never)),
    ).toBe(false);
    expect(
      isTrustedSender(describeSender({ senderFrame: { url: 'https://evil.example/', parent: null } } as never)),
    ).toBe(false);
    expect(isTrustedSender(describeSender({ senderFrame: null } as never))).toBe(false);
  });
});

describe('external links', () => {
  test('only https links with a host, without credentials', () => {
    expect(parseExternalUrl('https://www.stadt.example/ris')).toBeInstanceOf(URL);
    for (const bad of [
      'http://stadt.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@host/',
      'nonsense',
    ]) {
      expect(parseExternalUrl(bad), bad).toBeUndefined();
    }
  });
  test('opens only after the person confirmed the real target', async () => {
    const open = vi.fn(async (_href: string) => undefined);
    const confirm = vi.fn(async (_url: URL) => false);
    expect(await openExternalConfirmed('https://ris.stadt.example/vo020.asp?VOLFDNR=1', { confirm, open })).toBe(false);
    expect(confirm.mock.calls[0]?.[0]).toBeInstanceOf(URL);
    expect(open).not.toHaveBeenCalled();
    confirm.mockResolvedValueOnce(true);
    expect(await openExternalConfirmed('https://ris.stadt.example/', { confirm, open })).toBe(true);
    expect(open).toHaveBeenCalledWith('https://ris.stadt.example/');
    expect(await openExternalConfirmed('http://ris.stadt.example/', { confirm, open })).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(2);
  });
});

describe('new-mail notification', () => {
  test('names only the count, never a sender or subject, in the app language', () => {
    expect(newMailNotificationText(1, 'de-DE')).toEqual({ title: 'Ratsdesk', body: '1 neue Nachricht' });
    expect(newMailNotificationText(3, 'de')).toEqual({ title: 'Ratsdesk', body: '3 neue Nachrichten' });
    expect(newMailNotificationText(2, 'en-GB')).toEqual({ title: 'Ratsdesk', body: '2 new messages' });
    expect(newMailNotificationText(0, 'de')).toBeUndefined();
  });
});
