import type { BrowserWindow, Menu, MenuItemConstructorOptions, MessageBoxOptions } from 'electron';
import { channelOf } from '../contract/define';
import type { MenuCommand } from '../contract/app';
import { aboutDialogContent, type AboutFacts } from './about-dialog';
import { appMenuTemplate, type MenuLanguage } from './app-menu';

/** The part of Electron the menu needs (stubbed in unit tests). */
export interface MenuElectron {
  Menu: {
    buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    setApplicationMenu(menu: Menu | null): void;
  };
  showMessageBox(window: BrowserWindow | undefined, options: MessageBoxOptions): Promise<unknown>;
}

export interface AppMenuHostOptions {
  platform: NodeJS.Platform;
  packaged: boolean;
  /** The policy's printAllowed, read when the menu is built. */
  printAllowed(): boolean;
  /** The app window that receives menu commands. */
  window(): Pick<BrowserWindow, 'webContents'> | undefined;
  lock(): void;
  aboutFacts(): AboutFacts;
}

/**
 * Owns the application menu: builds it in the renderer's language (German until the renderer says
 * otherwise) and rebuilds it when the language or the print policy changes.
 */
export function createAppMenuHost(electron: MenuElectron, options: AppMenuHostOptions) {
  let language: MenuLanguage = 'de';
  const send = (command: MenuCommand) =>
    options.window()?.webContents.send(channelOf('app', 'menuCommand'), { command });
  const about = () => {
    const content = aboutDialogContent(language, options.aboutFacts());
    void electron.showMessageBox(options.window() as BrowserWindow | undefined, {
      type: 'info',
      buttons: ['OK'],
      title: content.title,
      message: content.message,
      detail: content.detail,
    });
  };
  const apply = () => {
    const template = appMenuTemplate({
      language,
      platform: options.platform,
      packaged: options.packaged,
      printAllowed: options.printAllowed(),
      command: send,
      lock: options.lock,
      about,
    });
    electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(template));
  };
  return {
    apply,
    get language(): MenuLanguage {
      return language;
    },
    setLanguage(next: MenuLanguage) {
      if (next === language) return;
      language = next;
      apply();
    },
  };
}
export type AppMenuHost = ReturnType<typeof createAppMenuHost>;
