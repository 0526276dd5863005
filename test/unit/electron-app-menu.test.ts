import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, test, vi } from 'vitest';
import { aboutDialogContent, parseLicences } from '../../electron/main/about-dialog';
import { appMenuTemplate, menuItems, menuLanguage, type AppMenuOptions } from '../../electron/main/app-menu';
import { createAppMenuHost } from '../../electron/main/app-menu-host';
import { refusedEnvironment, refusedSwitches, refusalMessage } from '../../electron/main/command-line-guard';
import { risWindowOptions } from '../../electron/main/ris-web-view';
import { mainWindowOptions } from '../../electron/main/window-options';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

function options(change: Partial<AppMenuOptions> = {}): AppMenuOptions {
  return {
    language: 'de',
    platform: 'linux',
    packaged: true,
    printAllowed: true,
    command: vi.fn(),
    lock: vi.fn(),
    about: vi.fn(),
    ...change,
  };
}

const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label).filter(Boolean);
const submenu = (menu: MenuItemConstructorOptions[], id: string) =>
  menu.find((m) => m.id === id)?.submenu as MenuItemConstructorOptions[];
const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role).filter(Boolean);

describe('application menu', () => {
  test('German: Datei, Bearbeiten, Ansicht, Hilfe with the items a desktop user expects', () => {
    const menu = appMenuTemplate(options());
    expect(labels(menu)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe']);
    expect(labels(submenu(menu, 'file'))).toEqual(['Neue Nachricht', 'Drucken …', 'Sperren', 'Beenden']);
    expect(labels(submenu(menu, 'edit'))).toEqual([
      'Rückgängig',
      'Wiederholen',
      'Ausschneiden',
      'Kopieren',
      'Einfügen',
      'Alles auswählen',
    ]);
    expect(roles(submenu(menu, 'view'))).toEqual(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']);
    expect(labels(submenu(menu, 'help'))).toEqual(['Tastenkürzel', 'Verbindung prüfen …', 'Über Ratsdesk']);
  });

  test('English labels for the same items', () => {
    const menu = appMenuTemplate(options({ language: 'en' }));
    expect(labels(menu)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(labels(submenu(menu, 'file'))).toEqual(['New Message', 'Print …', 'Lock', 'Quit']);
    expect(labels(submenu(menu, 'edit'))).toContain('Select All');
  });

  test('the Edit menu carries the roles that make Cmd+C / Cmd+V work on macOS', () => {
    const menu = appMenuTemplate(options({ platform: 'darwin' }));
    expect(roles(submenu(menu, 'edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    // macOS: the app menu with About and Quit comes first; Quit is not repeated under Datei.
    expect(menu[0]?.label).toBe('Ratsdesk');
    expect(menuItems(menu).filter((i) => i.role === 'quit')).toHaveLength(1);
    expect(menuItems(submenu(menu, 'file')).some((i) => i.role === 'quit')).toBe(false);
  });

  test('packaged builds offer no developer tools and no reload anywhere in the menu', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const all = menuItems(appMenuTemplate(options({ platform, packaged: true })));
      expect(all.some((i) => i.role === 'toggleDevTools' || i.role === 'forceReload' || i.role === 'reload')).toBe(
        false,
      );
    }
    const dev = menuItems(appMenuTemplate(options({ packaged: false })));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  test('printAllowed false leaves no print item and no Ctrl+P accelerator', () => {
    const all = menuItems(appMenuTemplate(options({ printAllowed: false })));
    expect(all.some((i) => i.id === 'print')).toBe(false);
    expect(all.some((i) => String(i.accelerator ?? '').endsWith('+P'))).toBe(false);
  });

  test('commands reach the renderer, Sperren locks in the main process, About opens the dialog', () => {
    const o = options();
    const all = menuItems(appMenuTemplate(o));
    const click = (id: string) => (all.find((i) => i.id === id)?.click as () => void)();
    click('newMessage');
    click('print');
    click('shortcuts');
    click('diagnostics');
    expect(vi.mocked(o.command).mock.calls.map((c) => c[0])).toEqual([
      'newMessage',
      'print',
      'shortcuts',
      'diagnostics',
    ]);
    click('lock');
    expect(o.lock).toHaveBeenCalledOnce();
    click('about');
    expect(o.about).toHaveBeenCalledOnce();
    expect(all.find((i) => i.id === 'newMessage')?.accelerator).toBe('CmdOrCtrl+N');
  });

  test('menu language: English only when asked for', () => {
    expect(menuLanguage('en-US')).toBe('en');
    expect(menuLanguage('de-DE')).toBe('de');
    expect(menuLanguage('fr')).toBe('de');
  });

  test('the host rebuilds the menu in the renderer language and sends commands to the app window', () => {
    const built: MenuItemConstructorOptions[][] = [];
    const send = vi.fn();
    const host = createAppMenuHost(
      {
        Menu: {
          buildFromTemplate: (t) => (built.push(t), {}) as never,
          setApplicationMenu: vi.fn(),
        },
        showMessageBox: vi.fn(async () => ({})),
      },
      {
        platform: 'linux',
        packaged: true,
        printAllowed: () => true,
        window: () => ({ webContents: { send } }) as never,
        lock: vi.fn(),
        aboutFacts: () => ({ appVersion: '1.0.0', versions: {}, licences: [] }),
      },
    );
    host.apply();
    expect(labels(built[0]!)).toContain('Datei');
    host.setLanguage('en');
    expect(labels(built[1]!)).toContain('File');
    host.setLanguage('en');
    expect(built).toHaveLength(2);
    (menuItems(built[1]!).find((i) => i.id === 'newMessage')?.click as () => void)();
    expect(send).toHaveBeenCalledWith('ratsdesk:app:menuCommand', { command: 'newMessage' });
  });
});

describe('about dialog', () => {
  test('names the version, the runtime and every shipped licence', () => {
    const c = aboutDialogContent('de', {
      appVersion: '1.2.0',
      versions: { electron: '40.10.2', chrome: '144.0', node: '24.1' },
      licences: parseLicences(
        JSON.stringify([
          { name: 'zod', version: '4.6.7', license: 'MIT' },
          { name: 'dompurify', version: '3.5.0', license: '(MPL-2.0 OR Apache-2.0)' },
          { name: 'broken' },
        ]),
      ),
    });
    expect(c.title).toBe('Über Ratsdesk');
    expect(c.message).toBe('Ratsdesk 1.2.0');
    expect(c.detail).toContain('Electron 40.10.2');
    expect(c.detail).toContain('dompurify 3.5.0 — (MPL-2.0 OR Apache-2.0)');
    expect(c.detail.indexOf('dompurify')).toBeLessThan(c.detail.indexOf('zod'));
    expect(c.detail).not.toContain('broken');
    expect(c.detail).toContain('LICENSES.chromium.html');
    expect(parseLicences('not json')).toEqual([]);
  });
});

describe('developer tools', () => {
  test('packaged windows have devTools off; the RIS window never has them', () => {
    expect(mainWindowOptions('/p.cjs', { packaged: true }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', { packaged: false }).webPreferences?.devTools).toBe(true);
    expect(mainWindowOptions('/p.cjs').webPreferences?.devTools).toBe(false);
    expect(risWindowOptions().webPreferences?.devTools).toBe(false);
  });
});

describe('refused command-line switches', () => {
  test('Chromium and Node debugging switches in every spelling Chromium reads', () => {
    const argv = (...a: string[]) => ['/opt/Ratsdesk/ratsdesk', ...a];
    expect(refusedSwitches(argv('--remote-debugging-port=9222'), 'linux')).toEqual(['remote-debugging-port']);
    expect(refusedSwitches(argv('-remote-debugging-pipe'), 'linux')).toEqual(['remote-debugging-pipe']);
    expect(refusedSwitches(argv('/remote-debugging-port=1'), 'win32')).toEqual(['remote-debugging-port']);
    expect(refusedSwitches(argv('--Remote-Debugging-Port=1'), 'win32')).toEqual(['remote-debugging-port']);
    expect(refusedSwitches(argv('--inspect-brk=0.0.0.0:9229', '--js-flags=--expose-gc'), 'linux')).toEqual([
      'inspect-brk',
      'js-flags',
    ]);
    expect(refusedSwitches(argv('--ssl-key-log-file=/tmp/k', '--gpu-launcher=sh'), 'linux')).toEqual([
      'ssl-key-log-file',
      'gpu-launcher',
    ]);
    expect(refusedSwitches(argv('--ignore-certificate-errors'), 'darwin')).toEqual(['ignore-certificate-errors']);
  });

  test('harmless switches, paths and arguments after -- pass', () => {
    expect(
      refusedSwitches(
        ['/usr/bin/ratsdesk', '--ozone-platform=wayland', '--proxy-server=http://proxy:3128', '--no-sandbox'],
        'linux',
      ),
    ).toEqual([]);
    // On Linux a path starting with / is not a switch; the executable itself is never looked at.
    expect(refusedSwitches(['--inspect', '/remote-debugging-port'], 'linux')).toEqual([]);
    expect(refusedSwitches(['x', '--', '--inspect', 'mailto:a@b.example'], 'linux')).toEqual([]);
  });

  test('environment and message', () => {
    expect(refusedEnvironment({ SSLKEYLOGFILE: '/tmp/keys' })).toEqual(['SSLKEYLOGFILE']);
    expect(refusedEnvironment({ SSLKEYLOGFILE: '' })).toEqual([]);
    const m = refusalMessage(['remote-debugging-port', 'SSLKEYLOGFILE']);
    expect(m).toContain('--remote-debugging-port, SSLKEYLOGFILE');
    expect(m.split('\n')).toHaveLength(1);
  });
});
