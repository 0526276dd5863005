import { describe, expect, test, vi } from 'vitest';
import {
  RIS_PARTITION,
  attachRisNavigationGuards,
  createRisWebViewOpener,
  hardenRisSession,
  isRisContents,
  isRisUrl,
  risWindowOptions,
} from '../../electron/main/ris-web-view';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

const ORIGINS = ['https://ris.stadt.example', 'https://oparl.stadt.example:8443'];

type Listener = (...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  return {
    on: vi.fn((name: string, fn: Listener) => listeners.set(name, fn)),
    setWindowOpenHandler: vi.fn((fn: (d: { url: string }) => { action: string }) => {
      openHandler = fn;
    }),
    emit(name: string, url: string) {
      const event = { preventDefault: vi.fn(), url };
      listeners.get(name)?.(event, url);
      return event;
    },
    openWindow(url: string) {
      return openHandler?.({ url });
    },
  };
}

function fakeSession() {
  const handlers: Record<string, Listener> = {};
  return {
    handlers,
    setPermissionRequestHandler: vi.fn((fn: Listener) => (handlers.request = fn)),
    setPermissionCheckHandler: vi.fn((fn: Listener) => (handlers.check = fn)),
    setDevicePermissionHandler: vi.fn((fn: Listener) => (handlers.device = fn)),
    on: vi.fn((name: string, fn: Listener) => (handlers[name] = fn)),
  };
}

function fakeDownload(url: string, name = 'Vorlage.pdf') {
  return { getURL: () => url, getFilename: () => name };
}

describe('RIS web view window', () => {
  test('own non-persistent session, no preload, no Node, sandboxed, isolated', () => {
    const wp = risWindowOptions().webPreferences ?? {};
    expect(RIS_PARTITION.startsWith('persist:')).toBe(false);
    expect(wp.partition).toBe(RIS_PARTITION);
    expect(wp.preload).toBeUndefined();
    expect(wp).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  test('RIS URLs: https on a RIS origin only', () => {
    expect(isRisUrl('https://ris.stadt.example/bi/vo020.asp?VOLFDNR=1', ORIGINS)).toBe(true);
    expect(isRisUrl('https://oparl.stadt.example:8443/oparl/system', ORIGINS)).toBe(true);
    for (const bad of [
      'http://ris.stadt.example/bi/vo020.asp',
      'https://oparl.stadt.example/oparl/system',
      'https://ris.stadt.example.evil.example/',
      'https://user:pw@ris.stadt.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(isRisUrl(bad, ORIGINS), bad).toBe(false);
    }
  });

  test('navigation and redirects stay on the RIS origins; popups and webviews are denied', () => {
    const contents = fakeContents();
    attachRisNavigationGuards(contents as never, ORIGINS);
    expect(
      contents.emit('will-navigate', 'https://ris.stadt.example/bi/to010.asp?SILFDNR=5').preventDefault,
    ).not.toHaveBeenCalled();
    expect(contents.emit('will-navigate', 'https://evil.example/').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-navigate', 'http://ris.stadt.example/').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-redirect', 'https://evil.example/phish').preventDefault).toHaveBeenCalled();
    expect(
      contents.emit('will-redirect', 'https://ris.stadt.example/bi/allris.net.asp').preventDefault,
    ).not.toHaveBeenCalled();
    expect(contents.emit('will-frame-navigate', 'https://tracker.example/frame').preventDefault).toHaveBeenCalled();
    expect(contents.emit('will-attach-webview', '').preventDefault).toHaveBeenCalled();
    expect(contents.openWindow('https://ris.stadt.example/popup')).toEqual({ action: 'deny' });
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
  });

  test('no permissions; a download is cancelled and fetched into the vault instead, RIS URLs only', async () => {
    const session = fakeSession();
    const storeDownload = vi.fn(async (_url: string, _name: string) => ({ documentId: 'd1' }));
    const onDownloadFailed = vi.fn();
    hardenRisSession(session as never, { origins: ORIGINS, storeDownload, onDownloadFailed });
    const cb = vi.fn();
    session.handlers.request?.({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(session.handlers.check?.()).toBe(false);

    const event = { preventDefault: vi.fn() };
    session.handlers['will-download']?.(
      event,
      fakeDownload('https://ris.stadt.example/bi/getfile.asp?id=77', 'Anlage 1.pdf'),
    );
    expect(event.preventDefault).toHaveBeenCalled();
    expect(storeDownload).toHaveBeenCalledWith('https://ris.stadt.example/bi/getfile.asp?id=77', 'Anlage 1.pdf');

    const foreign = { preventDefault: vi.fn() };
    session.handlers['will-download']?.(foreign, fakeDownload('https://evil.example/x.exe'));
    expect(foreign.preventDefault).toHaveBeenCalled();
    expect(storeDownload).toHaveBeenCalledTimes(1);

    storeDownload.mockRejectedValueOnce(new Error('checksum'));
    session.handlers['will-download']?.(
      { preventDefault: vi.fn() },
      fakeDownload('https://ris.stadt.example/bi/getfile.asp?id=78'),
    );
    await vi.waitFor(() =>
      expect(onDownloadFailed).toHaveBeenCalledWith(
        'https://ris.stadt.example/bi/getfile.asp?id=78',
        expect.any(Error),
      ),
    );
  });

  test('the opener refuses non-RIS URLs, hardens the session once and guards every window', async () => {
    const session = fakeSession();
    const windows: Array<{ options: unknown; contents: ReturnType<typeof fakeContents>; loaded: string[] }> = [];
    class FakeWindow {
      readonly webContents = fakeContents();
      readonly loaded: string[] = [];
      constructor(readonly options: unknown) {
        windows.push({ options, contents: this.webContents, loaded: this.loaded });
      }
      async loadURL(url: string) {
        this.loaded.push(url);
      }
      once() {
        return this;
      }
      show() {}
    }
    const fromPartition = vi.fn((_partition: string) => session as never);
    const open = createRisWebViewOpener(
      { BrowserWindow: FakeWindow as never, session: { fromPartition } },
      { origins: ORIGINS, storeDownload: async () => undefined },
    );
    expect(await open('https://evil.example/')).toBe(false);
    expect(await open('http://ris.stadt.example/bi/')).toBe(false);
    expect(windows).toHaveLength(0);

    expect(await open('https://ris.stadt.example/bi/kp020.asp?KPLFDNR=3')).toBe(true);
    expect(await open('https://ris.stadt.example/bi/si010.asp')).toBe(true);
    expect(fromPartition).toHaveBeenCalledTimes(1);
    expect(fromPartition).toHaveBeenCalledWith(RIS_PARTITION);
    expect(session.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(windows.map((w) => w.loaded)).toEqual([
      ['https://ris.stadt.example/bi/kp020.asp?KPLFDNR=3'],
      ['https://ris.stadt.example/bi/si010.asp'],
    ]);
    for (const w of windows) {
      expect(w.contents.emit('will-navigate', 'https://evil.example/').preventDefault).toHaveBeenCalled();
      expect(w.contents.openWindow('https://ris.stadt.example/')).toEqual({ action: 'deny' });
    }
  });

  test('RIS windows are told apart from app windows by their session', () => {
    const risSession = {};
    expect(isRisContents({ session: risSession } as never, risSession)).toBe(true);
    expect(isRisContents({ session: {} } as never, risSession)).toBe(false);
  });
});
