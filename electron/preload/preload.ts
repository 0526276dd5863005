import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from '../contract/api-builder';
import { contract } from '../contract';

// The only thing the preload does: expose the contract's calls and events as window.ratsdesk.
const api = buildApi(
  contract,
  (channel, input) => ipcRenderer.invoke(channel, input),
  (channel, listener) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
);

contextBridge.exposeInMainWorld('ratsdesk', api);
