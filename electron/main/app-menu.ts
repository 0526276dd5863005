import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract/app';

export type MenuLanguage = 'de' | 'en';

/** The app's language for its menu and dialogs: English only when asked for, else German. */
export function menuLanguage(locale: string): MenuLanguage {
  return locale.toLowerCase().startsWith('en') ? 'en' : 'de';
}

const LABELS = {
  de: {
    file: 'Datei',
    newMessage: 'Neue Nachricht',
    print: 'Drucken …',
    lock: 'Sperren',
    quit: 'Beenden',
    edit: 'Bearbeiten',
    undo: 'Rückgängig',
    redo: 'Wiederholen',
    cut: 'Ausschneiden',
    copy: 'Kopieren',
    paste: 'Einfügen',
    selectAll: 'Alles auswählen',
    view: 'Ansicht',
    zoomIn: 'Vergrößern',
    zoomOut: 'Verkleinern',
    resetZoom: 'Originalgröße',
    fullScreen: 'Vollbild',
    reload: 'Neu laden',
    devTools: 'Entwicklerwerkzeuge',
    help: 'Hilfe',
    shortcuts: 'Tastenkürzel',
    diagnostics: 'Verbindung prüfen …',
    about: 'Über Ratsdesk',
    hide: 'Ratsdesk ausblenden',
    hideOthers: 'Andere ausblenden',
    unhide: 'Alle einblenden',
    services: 'Dienste',
    window: 'Fenster',
    minimize: 'Im Dock ablegen',
  },
  en: {
    file: 'File',
    newMessage: 'New Message',
    print: 'Print …',
    lock: 'Lock',
    quit: 'Quit',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: 'View',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    resetZoom: 'Actual Size',
    fullScreen: 'Full Screen',
    reload: 'Reload',
    devTools: 'Developer Tools',
    help: 'Help',
    shortcuts: 'Keyboard Shortcuts',
    diagnostics: 'Check Connection …',
    about: 'About Ratsdesk',
    hide: 'Hide Ratsdesk',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    services: 'Services',
    window: 'Window',
    minimize: 'Minimize',
  },
} as const;

export interface AppMenuOptions {
  language: MenuLanguage;
  platform: NodeJS.Platform;
  /** Packaged builds have no developer tools and no reload in the menu. */
  packaged: boolean;
  /** The policy's printAllowed: false removes "Print" and its shortcut. */
  printAllowed: boolean;
  /** A command the renderer carries out (new message, print, shortcuts, connection check). */
  command(command: MenuCommand): void;
  /** Locks the app (main process: the lock does not depend on the renderer). */
  lock(): void;
  /** Shows "About Ratsdesk" with the version and the licences. */
  about(): void;
}

/**
 * The application menu: Datei, Bearbeiten, Ansicht, Hilfe (on macOS behind the app menu, with Fenster).
 * The Edit menu's roles are what make Cmd+C/Cmd+V work on macOS. Developer tools are offered only in
 * unpackaged runs; packaged windows have `devTools: false` as well.
 */
export function appMenuTemplate(o: AppMenuOptions): MenuItemConstructorOptions[] {
  const l = LABELS[o.language];
  const mac = o.platform === 'darwin';
  const file: MenuItemConstructorOptions[] = [
    { id: 'newMessage', label: l.newMessage, accelerator: 'CmdOrCtrl+N', click: () => o.command('newMessage') },
    ...(o.printAllowed
      ? [{ id: 'print', label: l.print, accelerator: 'CmdOrCtrl+P', click: () => o.command('print') }]
      : []),
    { type: 'separator' },
    { id: 'lock', label: l.lock, accelerator: 'CmdOrCtrl+L', click: () => o.lock() },
    ...(mac ? [] : [{ type: 'separator' } as const, { id: 'quit', role: 'quit', label: l.quit } as const]),
  ];
  const edit: MenuItemConstructorOptions[] = [
    { role: 'undo', label: l.undo },
    { role: 'redo', label: l.redo },
    { type: 'separator' },
    { role: 'cut', label: l.cut },
    { role: 'copy', label: l.copy },
    { role: 'paste', label: l.paste },
    { role: 'selectAll', label: l.selectAll },
  ];
  const view: MenuItemConstructorOptions[] = [
    { role: 'zoomIn', label: l.zoomIn },
    { role: 'zoomOut', label: l.zoomOut },
    { role: 'resetZoom', label: l.resetZoom },
    { type: 'separator' },
    { role: 'togglefullscreen', label: l.fullScreen },
    ...(o.packaged
      ? []
      : [
          { type: 'separator' } as const,
          { id: 'reload', role: 'reload', label: l.reload } as const,
          { id: 'toggleDevTools', role: 'toggleDevTools', label: l.devTools } as const,
        ]),
  ];
  const help: MenuItemConstructorOptions[] = [
    { id: 'shortcuts', label: l.shortcuts, click: () => o.command('shortcuts') },
    { id: 'diagnostics', label: l.diagnostics, click: () => o.command('diagnostics') },
    ...(mac ? [] : [{ type: 'separator' } as const, { id: 'about', label: l.about, click: () => o.about() }]),
  ];
  const menu: MenuItemConstructorOptions[] = [];
  if (mac) {
    menu.push({
      label: 'Ratsdesk',
      submenu: [
        { id: 'about', label: l.about, click: () => o.about() },
        { type: 'separator' },
        { role: 'services', label: l.services },
        { type: 'separator' },
        { role: 'hide', label: l.hide },
        { role: 'hideOthers', label: l.hideOthers },
        { role: 'unhide', label: l.unhide },
        { type: 'separator' },
        { id: 'quit', role: 'quit', label: o.language === 'de' ? 'Ratsdesk beenden' : 'Quit Ratsdesk' },
      ],
    });
  }
  menu.push(
    { id: 'file', label: l.file, submenu: file },
    { id: 'edit', label: l.edit, submenu: edit },
    { id: 'view', label: l.view, submenu: view },
  );
  if (mac) menu.push({ label: l.window, role: 'windowMenu', submenu: [{ role: 'minimize', label: l.minimize }] });
  menu.push({ id: 'help', label: l.help, role: 'help', submenu: help });
  return menu;
}

/** Every item of a template, submenus included (for tests and for finding an item by id). */
export function menuItems(template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const out: MenuItemConstructorOptions[] = [];
  for (const item of template) {
    out.push(item);
    if (Array.isArray(item.submenu)) out.push(...menuItems(item.submenu));
  }
  return out;
}
