/**
 * The sandboxed preload (built as one CommonJS file, out/preload/index.cjs): exposes the typed
 * contract API as window.keyrite and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildKeyriteApi, ipcTransport } from './api';

const transport = ipcTransport(ipcRenderer);
contextBridge.exposeInMainWorld('keyrite', buildKeyriteApi(transport.send, transport.subscribe));
