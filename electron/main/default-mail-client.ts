/** What "als Standard-Mailprogramm verwenden" does on each system. */
export interface DefaultMailClientHost {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** process.execPath: the app, or in unpackaged runs the Electron binary. */
  execPath: string;
  /** The app folder, passed to Electron in unpackaged runs. */
  appPath: string;
}

export interface ProtocolClientElectron {
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  isDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  /** Opens Windows' Settings › Default apps (WINDOWS_DEFAULT_APPS_SETTINGS). */
  openDefaultAppsSettings(): Promise<void>;
}

/** Windows' own settings page where a person chooses the default mail program. */
export const WINDOWS_DEFAULT_APPS_SETTINGS = 'ms-settings:defaultapps';

/** Unpackaged runs register "electron <app folder>" (else the bare Electron binary would open). */
export function protocolClientArgs(host: DefaultMailClientHost): [] | [string, string[]] {
  return host.isPackaged ? [] : [host.execPath, [host.appPath]];
}

export function isDefaultMailClient(electron: ProtocolClientElectron, host: DefaultMailClientHost): boolean {
  const args = protocolClientArgs(host);
  return args.length === 0
    ? electron.isDefaultProtocolClient('mailto')
    : electron.isDefaultProtocolClient('mailto', args[0], args[1]);
}

/**
 * Makes Ratsdesk the program for mailto: links. macOS and Linux (xdg-settings) do it on request. Windows
 * since version 8 only lets the person choose in its own settings: the app registers itself (the
 * installers already listed it under Default Programs) and opens Settings › Default apps.
 */
export async function makeDefaultMailClient(
  electron: ProtocolClientElectron,
  host: DefaultMailClientHost,
): Promise<{ isDefault: boolean; openedSystemSettings: boolean }> {
  const args = protocolClientArgs(host);
  const registered =
    args.length === 0
      ? electron.setAsDefaultProtocolClient('mailto')
      : electron.setAsDefaultProtocolClient('mailto', args[0], args[1]);
  if (host.platform === 'win32' && !isDefaultMailClient(electron, host)) {
    await electron.openDefaultAppsSettings();
    return { isDefault: false, openedSystemSettings: true };
  }
  return { isDefault: registered && isDefaultMailClient(electron, host), openedSystemSettings: false };
}
