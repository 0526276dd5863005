import { describe, expect, test, vi } from 'vitest';
import { chooseClientCertificate, type ClientCertificate } from '../../electron/main/client-certificate-choice';
import {
  RIS_PARTITION,
  askClientCertificateWith,
  attachClientCertificateSelection,
  createRisWebViewOpener,
} from '../../electron/main/ris-web-view';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

const RIS = 'https://ris.stadt.example';
const NOW = Date.UTC(2026, 5, 1);
const day = 86_400;

function cert(subject: string, issuer: string, opts: { expired?: boolean } = {}): ClientCertificate & { data: string } {
  const now = NOW / 1000;
  return {
    subjectName: subject,
    issuerName: issuer,
    issuer: { commonName: issuer },
    validStart: now - 30 * day,
    validExpiry: opts.expired ? now - day : now + 300 * day,
    fingerprint: `sha256/${subject}`,
    data: `PEM of ${subject}`,
  };
}

const mine = cert('Anna Schmidt', 'Stadt Musterstadt Issuing CA');
const mineOld = cert('Anna Schmidt (alt)', 'Stadt Musterstadt Issuing CA', { expired: true });
const bank = cert('Anna Schmidt', 'Sparkasse Online CA');
const club = cert('A. Schmidt', 'Sportverein CA');

function request(overrides: Partial<Parameters<typeof chooseClientCertificate>[0]> = {}) {
  return {
    url: `${RIS}/bi/si010.asp`,
    fromRisWindow: true,
    certificates: [bank, mineOld, mine, club],
    risOrigins: [RIS],
    policyOrigins: [RIS],
    issuer: 'Stadt Musterstadt Issuing CA' as string | null,
    now: NOW,
    ...overrides,
  };
}

describe('which client certificate a council page gets', () => {
  test('the policy’s issuer picks its one valid certificate, on a council origin the policy named', () => {
    expect(chooseClientCertificate(request())).toEqual({ kind: 'use', certificate: mine });
  });

  test('an issuer with several valid certificates, or a council origin the person entered: the person chooses', () => {
    const twin = cert('Anna Schmidt (Fraktion)', 'Stadt Musterstadt Issuing CA');
    expect(chooseClientCertificate(request({ certificates: [mine, twin, bank] }))).toEqual({
      kind: 'ask',
      candidates: [mine, twin],
    });
    expect(chooseClientCertificate(request({ policyOrigins: [] }))).toEqual({ kind: 'ask', candidates: [mine] });
  });

  test('no issuer in the policy: the person chooses among the valid ones (never the first of the list)', () => {
    expect(chooseClientCertificate(request({ issuer: null }))).toEqual({ kind: 'ask', candidates: [bank, mine, club] });
    expect(chooseClientCertificate(request({ issuer: null, certificates: [mineOld] }))).toEqual({
      kind: 'none',
      reason: 'no-valid-certificate',
    });
  });

  test('nothing for anyone else: other windows, other origins, plain http, or no certificate of the issuer', () => {
    expect(chooseClientCertificate(request({ fromRisWindow: false }))).toMatchObject({ kind: 'none' });
    expect(chooseClientCertificate(request({ url: 'https://evil.example/' }))).toMatchObject({ kind: 'none' });
    expect(chooseClientCertificate(request({ url: 'http://ris.stadt.example/' }))).toMatchObject({ kind: 'none' });
    expect(chooseClientCertificate(request({ url: 'https://x:y@ris.stadt.example/' }))).toMatchObject({
      kind: 'none',
    });
    expect(chooseClientCertificate(request({ certificates: [bank, club, mineOld] }))).toEqual({
      kind: 'none',
      reason: 'no-certificate-of-issuer',
    });
  });
});

describe('the app’s select-client-certificate handler', () => {
  function attach(ask: (url: string, candidates: never[]) => Promise<unknown>, issuer: string | null) {
    let listener: ((...args: unknown[]) => void) | undefined;
    const app = { on: vi.fn((_name: string, fn: (...args: unknown[]) => void) => (listener = fn)) };
    const risContents = { id: 'ris' };
    attachClientCertificateSelection(app as never, {
      isRisWindow: (contents) => contents === (risContents as never),
      risOrigins: [RIS],
      policyOrigins: [RIS],
      issuer,
      ask: ask as never,
    });
    expect(app.on).toHaveBeenCalledWith('select-client-certificate', expect.any(Function));
    return {
      request(contents: unknown, url: string, list: unknown[]) {
        const event = { preventDefault: vi.fn() };
        const callback = vi.fn();
        listener?.(event, contents, url, list, callback);
        expect(event.preventDefault).toHaveBeenCalled(); // Electron's "first certificate" never applies
        return callback;
      },
      risContents,
    };
  }

  test('uses, refuses or asks as decided; the answer must be one of the candidates', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(NOW);
    try {
      const ask = vi.fn(async (_url: string, candidates: unknown[]) => candidates[1]);
      const withIssuer = attach(ask, 'Stadt Musterstadt Issuing CA');
      expect(withIssuer.request(withIssuer.risContents, `${RIS}/`, [bank, mine])).toHaveBeenCalledWith(mine);
      const other = withIssuer.request({ id: 'app' }, `${RIS}/`, [bank, mine]);
      expect(other).toHaveBeenCalledWith();
      expect(ask).not.toHaveBeenCalled();

      const asking = attach(ask, null);
      const chosen = asking.request(asking.risContents, `${RIS}/`, [bank, mine]);
      await vi.waitFor(() => expect(chosen).toHaveBeenCalledWith(mine));
      const foreign = attach(async () => club, null);
      const refused = foreign.request(foreign.risContents, `${RIS}/`, [bank, mine]);
      await vi.waitFor(() => expect(refused).toHaveBeenCalledWith());
    } finally {
      now.mockRestore();
    }
  });

  test('the question names the host and each certificate, and "none" is the default', async () => {
    const showMessageBox = vi.fn(async (_options: unknown) => ({ response: 2 }));
    const ask = askClientCertificateWith(showMessageBox as never, 'de-DE');
    expect(await ask(`${RIS}/bi/`, [bank, mine] as never)).toBeUndefined();
    const options = showMessageBox.mock.calls[0]?.[0] as { buttons: string[]; defaultId: number; message: string };
    expect(options.message).toContain('ris.stadt.example');
    expect(options.buttons).toEqual([
      expect.stringContaining('Sparkasse Online CA'),
      expect.stringContaining('Stadt Musterstadt Issuing CA'),
      'Kein Zertifikat',
    ]);
    expect(options.defaultId).toBe(2);
    showMessageBox.mockResolvedValueOnce({ response: 1 });
    expect(await ask(`${RIS}/bi/`, [bank, mine] as never)).toBe(mine);
  });
});

describe('locking closes the RIS windows', () => {
  test('every open RIS window is destroyed and the RIS session forgets its log-ins', async () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      on: vi.fn(),
      clearStorageData: vi.fn(async () => undefined),
      clearCache: vi.fn(async () => undefined),
      clearAuthCache: vi.fn(async () => undefined),
      closeAllConnections: vi.fn(async () => undefined),
    };
    const windows: FakeWindow[] = [];
    class FakeWindow {
      destroyed = false;
      readonly closedListeners: Array<() => void> = [];
      readonly webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
      constructor() {
        windows.push(this);
      }
      async loadURL() {}
      once(name: string, fn: () => void) {
        if (name === 'closed') this.closedListeners.push(fn);
        return this;
      }
      show() {}
      isDestroyed() {
        return this.destroyed;
      }
      destroy() {
        this.destroyed = true;
        for (const fn of this.closedListeners) fn();
      }
    }
    const fromPartition = vi.fn((_p: string) => session);
    const open = createRisWebViewOpener(
      { BrowserWindow: FakeWindow as never, session: { fromPartition } as never },
      { origins: [RIS], storeDownload: async () => undefined },
    );
    await open(`${RIS}/bi/si010.asp`);
    await open(`${RIS}/bi/kp020.asp`);
    windows[0]?.destroy(); // the person closed one already
    await open.closeAll();
    expect(windows.map((w) => w.destroyed)).toEqual([true, true]);
    expect(fromPartition).toHaveBeenLastCalledWith(RIS_PARTITION);
    for (const clear of [
      session.clearStorageData,
      session.clearCache,
      session.clearAuthCache,
      session.closeAllConnections,
    ]) {
      expect(clear).toHaveBeenCalledOnce();
    }
    // A window opened after unlocking is closed by the next lock, too.
    await open(`${RIS}/bi/vo020.asp`);
    await open.closeAll();
    expect(windows[2]?.destroyed).toBe(true);
  });
});
