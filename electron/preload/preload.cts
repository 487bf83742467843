/**
 * The only bridge between the sandboxed UI and the app: `window.pexlens = { call, onEvent,
 * platform }`. Sandboxed preloads are CommonJS (this file compiles to preload.cjs) and may
 * require nothing but 'electron'. Files dropped on the window are opened here, so the UI needs
 * no file paths.
 */
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const { contextBridge, ipcRenderer, webUtils } = electron;
import type { ApiEvent, ApiMethod } from '../api.js';

type Listener = (e: ApiEvent) => void;
const listeners = new Set<Listener>();
/** The latest progress/loaded/error event, handed to a listener that subscribes later. */
let lastState: ApiEvent | null = null;

ipcRenderer.on('pexlens:event', (_e: IpcRendererEvent, ev: ApiEvent) => {
  if (ev.type === 'progress' || ev.type === 'loaded' || ev.type === 'error') lastState = ev;
  for (const l of listeners) l(ev);
});

contextBridge.exposeInMainWorld('pexlens', {
  call: (method: ApiMethod, arg: unknown): Promise<unknown> => ipcRenderer.invoke('pexlens:call', method, arg),
  onEvent: (cb: Listener): (() => void) => {
    listeners.add(cb);
    const state = lastState;
    if (state) queueMicrotask(() => listeners.has(cb) && cb(state));
    return () => void listeners.delete(cb);
  },
  platform: process.platform,
});

// drag and drop: open what is dropped (paths come from webUtils; the page never sees them)
window.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = Array.from(e.dataTransfer?.files ?? []);
  const paths = files.map((f) => webUtils.getPathForFile(f)).filter(Boolean);
  if (paths.length) ipcRenderer.send('pexlens:open-paths', paths);
});
