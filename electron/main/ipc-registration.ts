import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { callRoutes } from '../contract/dispatch';
import type { ContractDef } from '../contract/define';
import { isAppUrl } from './navigation-guard';

export type Dispatch = (
  sender: { url: string; isMainFrame: boolean },
  channel: string,
  input: unknown,
) => Promise<unknown>;

/** Only the app's own top-level frame may call services. */
export function isTrustedSender(sender: { url: string; isMainFrame: boolean }): boolean {
  return sender.isMainFrame && isAppUrl(sender.url);
}

export function describeSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): { url: string; isMainFrame: boolean } {
  const frame: WebFrameMain | null = event.senderFrame;
  if (!frame) return { url: '', isMainFrame: false };
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/** One ipcMain.handle per contract call; each goes through the dispatcher's checks. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, contract: ContractDef, dispatch: Dispatch): string[] {
  const channels: string[] = [];
  for (const route of callRoutes(contract)) {
    ipcMain.handle(route.channel, (event, input: unknown) => dispatch(describeSender(event), route.channel, input));
    channels.push(route.channel);
  }
  return channels;
}
