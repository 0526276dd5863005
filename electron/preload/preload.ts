import { contextBridge, ipcRenderer } from 'electron';
import type { Contract } from '../contract';
import { buildApi } from '../contract/api-builder';
import { apiRoutes } from '../contract/api-routes';

// The only thing the preload does: expose the contract's calls and events as window.ratsdesk.
const api = buildApi<Contract>(
  apiRoutes,
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
