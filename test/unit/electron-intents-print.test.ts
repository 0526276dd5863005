import { describe, expect, test, vi } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { PendingIntents, mailtoIntent, takeIntentsUnlessLocked } from '../../electron/main/app-intents';
import {
  WINDOWS_DEFAULT_APPS_SETTINGS,
  isDefaultMailClient,
  makeDefaultMailClient,
  protocolClientArgs,
} from '../../electron/main/default-mail-client';
import { notificationTarget } from '../../electron/main/new-mail-notification';
import { printContents } from '../../electron/main/print-contents';
import { risWindowOptions } from '../../electron/main/ris-web-view';
import { NO_DICTIONARY_DOWNLOAD, spellcheckPlan, textContextMenu } from '../../electron/main/spellcheck';
import { allPages, MAX_PRINT_PAGES, parsePageSelection } from '../../renderer/src/features/print/page-selection';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

describe('requests from outside the window (mailto:, notification clicks)', () => {
  test('wait until taken; the page is told only how many wait', () => {
    const notify = vi.fn();
    const intents = new PendingIntents(notify);
    intents.push(mailtoIntent('mailto:a@stadt.example?subject=Hallo')!);
    intents.push({ kind: 'showMessage', id: 7 });
    expect(notify.mock.calls).toEqual([[1], [2]]);
    expect(takeIntentsUnlessLocked(intents, () => false)).toEqual([
      {
        kind: 'compose',
        to: ['a@stadt.example'],
        cc: [],
        bcc: [],
        subject: 'Hallo',
        body: '',
        inReplyTo: null,
        ignored: [],
      },
      { kind: 'showMessage', id: 7 },
    ]);
    expect(intents.size).toBe(0);
  });

  test('locked: nothing leaves (APP_LOCKED), it is all still there after the unlock', () => {
    const intents = new PendingIntents();
    intents.push(mailtoIntent('mailto:a@stadt.example')!);
    let locked = true;
    expect(() => takeIntentsUnlessLocked(intents, () => locked)).toThrow(RatsdeskError);
    try {
      takeIntentsUnlessLocked(intents, () => locked);
    } catch (err) {
      expect((err as RatsdeskError).code).toBe('APP_LOCKED');
    }
    locked = false;
    expect(takeIntentsUnlessLocked(intents, () => locked)).toHaveLength(1);
  });

  test('bounded: a flood keeps the newest ten; malformed URLs are no request', () => {
    const intents = new PendingIntents();
    for (let i = 1; i <= 25; i++) intents.push({ kind: 'showMessage', id: i });
    expect(intents.take().map((i) => (i.kind === 'showMessage' ? i.id : 0))).toEqual([
      16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
    ]);
    expect(mailtoIntent('mailto:a@b.example?subject=%G0')).toBeUndefined();
    expect(mailtoIntent('https://stadt.example/')).toBeUndefined();
  });

  test('a notification click shows the newest message that arrived', () => {
    expect(
      notificationTarget([
        { id: 3, date: '2026-11-10T09:00:00.000Z' },
        { id: 9, date: '2026-11-10T10:00:00.000Z' },
        { id: 4, date: null },
      ]),
    ).toBe(9);
    expect(
      notificationTarget([
        { id: 2, date: null },
        { id: 5, date: null },
      ]),
    ).toBe(5);
    expect(notificationTarget([])).toBeUndefined();
  });
});

describe('default mail program', () => {
  function fakeElectron(isDefaultAfter: boolean) {
    let registered = false;
    return {
      setAsDefaultProtocolClient: vi.fn(() => ((registered = true), true)),
      isDefaultProtocolClient: vi.fn(() => registered && isDefaultAfter),
      openDefaultAppsSettings: vi.fn(async () => undefined),
    };
  }
  const host = (platform: NodeJS.Platform, isPackaged = true) => ({
    platform,
    isPackaged,
    execPath: '/opt/electron/electron',
    appPath: '/home/dev/ratsdesk',
  });

  test('macOS and Linux: registered on request', async () => {
    const electron = fakeElectron(true);
    expect(isDefaultMailClient(electron, host('linux'))).toBe(false);
    expect(await makeDefaultMailClient(electron, host('linux'))).toEqual({
      isDefault: true,
      openedSystemSettings: false,
    });
    expect(electron.setAsDefaultProtocolClient).toHaveBeenCalledWith('mailto');
    expect(electron.openDefaultAppsSettings).not.toHaveBeenCalled();
  });

  test('Windows: registered, then its own Default apps settings open for the person to choose', async () => {
    const electron = fakeElectron(false);
    expect(await makeDefaultMailClient(electron, host('win32'))).toEqual({
      isDefault: false,
      openedSystemSettings: true,
    });
    expect(electron.openDefaultAppsSettings).toHaveBeenCalledOnce();
    expect(WINDOWS_DEFAULT_APPS_SETTINGS).toBe('ms-settings:defaultapps');
  });

  test('unpackaged runs register Electron with the app folder, not the bare binary', () => {
    expect(protocolClientArgs(host('linux', false))).toEqual(['/opt/electron/electron', ['/home/dev/ratsdesk']]);
    expect(protocolClientArgs(host('linux', true))).toEqual([]);
  });
});

describe('print', () => {
  test('allowed: the window prints through the system dialog, no silent printing', async () => {
    const print = vi.fn((_options: unknown, done?: (ok: boolean, reason: string) => void) => done?.(true, ''));
    expect(await printContents({ print } as never, true)).toEqual({ printed: true });
    expect(print.mock.calls[0]?.[0]).toMatchObject({ silent: false, printBackground: false });
    const cancelled = vi.fn((_o: unknown, done?: (ok: boolean, reason: string) => void) => done?.(false, 'cancelled'));
    expect(await printContents({ print: cancelled } as never, true)).toEqual({ printed: false });
  });

  test('printAllowed off: PRINT_FORBIDDEN before any dialog', async () => {
    const print = vi.fn();
    await expect(printContents({ print } as never, false)).rejects.toMatchObject({ code: 'PRINT_FORBIDDEN' });
    expect(print).not.toHaveBeenCalled();
  });

  test('page selection: ranges, open ends, each page once, nothing outside the document', () => {
    expect(parsePageSelection('1-3, 5', 10)).toEqual([1, 2, 3, 5]);
    expect(parsePageSelection('8-', 10)).toEqual([8, 9, 10]);
    expect(parsePageSelection('-2; 2 – 3', 10)).toEqual([1, 2, 3]);
    expect(parsePageSelection('5,5,1', 10)).toEqual([1, 5]);
    for (const bad of ['', ' , ', '0', '11', '3-2', 'a', '1-2-3', '-', '1..3'])
      expect(parsePageSelection(bad, 10), bad).toBeUndefined();
    expect(parsePageSelection(`1-${MAX_PRINT_PAGES + 1}`, 100_000)).toBeUndefined();
    expect(allPages(3)).toEqual([1, 2, 3]);
    expect(allPages(MAX_PRINT_PAGES + 1)).toBeUndefined();
  });
});

describe('spell checking without a third-party server', () => {
  test('macOS: the system spell checker, nothing fetched', () => {
    expect(spellcheckPlan({ platform: 'darwin', dictionaryUrl: null })).toEqual({ enabled: true });
  });

  test('Windows: German and English; dictionaries only from the policy URL, else from nowhere', () => {
    expect(spellcheckPlan({ platform: 'win32', dictionaryUrl: null })).toEqual({
      enabled: true,
      languages: ['de-DE', 'en-US'],
      downloadUrl: NO_DICTIONARY_DOWNLOAD,
    });
    expect(spellcheckPlan({ platform: 'win32', dictionaryUrl: 'https://software.stadt.de/dict' }).downloadUrl).toBe(
      'https://software.stadt.de/dict/',
    );
    expect(new URL(NO_DICTIONARY_DOWNLOAD).protocol).toBe('app:');
  });

  test('Linux: on with the policy URL, off without it', () => {
    expect(spellcheckPlan({ platform: 'linux', dictionaryUrl: 'https://software.stadt.de/dict/' })).toEqual({
      enabled: true,
      languages: ['de-DE', 'en-US'],
      downloadUrl: 'https://software.stadt.de/dict/',
    });
    expect(spellcheckPlan({ platform: 'linux', dictionaryUrl: null })).toEqual({ enabled: false });
    expect(risWindowOptions().webPreferences?.spellcheck).toBe(false);
  });

  test('context menu of a text field: suggestions, add to dictionary, then cut/copy/paste', () => {
    const replace = vi.fn();
    const addToDictionary = vi.fn();
    const items = textContextMenu(
      {
        isEditable: true,
        misspelledWord: 'Fraktoin',
        dictionarySuggestions: ['Fraktion', 'Fraktur'],
        selectionText: '',
      },
      'de',
      { replace, addToDictionary },
    );
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Fraktion',
      'Fraktur',
      'Zum Wörterbuch hinzufügen',
      'separator',
      'Ausschneiden',
      'Kopieren',
      'Einfügen',
      'separator',
      'Alles auswählen',
    ]);
    (items[0]?.click as () => void)();
    (items[2]?.click as () => void)();
    expect(replace).toHaveBeenCalledWith('Fraktion');
    expect(addToDictionary).toHaveBeenCalledWith('Fraktoin');
    const none = textContextMenu(
      { isEditable: true, misspelledWord: 'xqzt', dictionarySuggestions: [], selectionText: '' },
      'en',
      { replace, addToDictionary },
    );
    expect(none[0]).toMatchObject({ label: 'No suggestions', enabled: false });
    expect(
      textContextMenu({ isEditable: false, misspelledWord: '', dictionarySuggestions: [], selectionText: 'x' }, 'de', {
        replace,
        addToDictionary,
      }).map((i) => i.role),
    ).toEqual(['copy']);
    expect(
      textContextMenu({ isEditable: false, misspelledWord: '', dictionarySuggestions: [], selectionText: '' }, 'de', {
        replace,
        addToDictionary,
      }),
    ).toEqual([]);
  });
});
