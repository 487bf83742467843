/**
 * Electron main process: one window per opened bundle, each with its own engine worker (the
 * main thread only routes IPC, so no window ever waits on another's work). Opens bundles from
 * the command line, the File menu, Recent, and files dropped on a window.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions, WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../engine/worker/client.js';
import { isApiMethod, RpcError } from '../engine/worker/rpc.js';
import type { ApiEvent, ExportRequest } from '../api.js';
import { EXPORT_FORMATS, isExportFormat } from '../shared/export-formats.js';
import { APP_ORIGIN, enableSandboxEverywhere, lockDownContents, lockDownSession, registerScheme, serveRenderer } from './security.js';
import { addRecent, clearRecent, recentList } from './recent.js';

// dist/electron/main/main.js → the checkout (or the packaged app) root
const here = fileURLToPath(new URL('.', import.meta.url));
const appRoot = resolve(here, '../../..');
const rendererDir = join(appRoot, 'dist', 'renderer');
const preload = join(appRoot, 'dist', 'electron', 'preload', 'preload.cjs');

interface BundleWindow {
  win: BrowserWindow;
  engine: EngineClient;
  paths: string[] | null;
}

const windows = new Map<number, BundleWindow>(); // by webContents id
/** Files macOS asked us to open before the app was ready. */
const pendingOpen: string[] = [];

registerScheme();
enableSandboxEverywhere();

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', (_e, argv, cwd) => {
    const paths = pathsFromArgv(argv.slice(1), cwd);
    if (paths.length) openBundle(paths);
    else BrowserWindow.getAllWindows()[0]?.focus();
  });
  app.on('open-file', (e, path) => {
    // macOS: files dropped on the dock icon or opened from Finder
    e.preventDefault();
    if (app.isReady()) openBundle([path]);
    else pendingOpen.push(path);
  });
  app.whenReady().then(start, (e) => {
    dialog.showErrorBox('pexlens', String(e));
    app.quit();
  });
}

function start(): void {
  lockDownSession();
  serveRenderer(rendererDir);
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
  ipcMain.handle('pexlens:call', onCall);
  ipcMain.on('pexlens:open-paths', (e, paths: unknown) => {
    if (!trusted(e.sender) || !Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return;
    const bw = windows.get(e.sender.id);
    openBundle(paths as string[], bw && !bw.paths ? bw : undefined);
  });
  buildMenu();
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const paths = [...pathsFromArgv(argv, process.cwd()), ...pendingOpen];
  if (paths.length) openBundle(paths);
  else createWindow(null);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(null);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

/** Paths given on a command line (skipping Electron/Chromium switches and the app folder itself). */
function pathsFromArgv(argv: string[], cwd: string): string[] {
  return argv
    .filter((a) => !a.startsWith('-') && a !== '.')
    .map((a) => resolve(cwd, a))
    .filter((p) => p !== appRoot && existsSync(p));
}

function createWindow(paths: string[] | null): BundleWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: paths ? `${basename(paths[0]!)} — pexlens` : 'pexlens',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  const engine = new EngineClient();
  const bw: BundleWindow = { win, engine, paths };
  const id = win.webContents.id;
  windows.set(id, bw);
  engine.onEvent((e: ApiEvent) => {
    if (!win.isDestroyed()) win.webContents.send('pexlens:event', e);
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    windows.delete(id);
    void engine.close();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html#/lines`);
  return bw;
}

/** Opens paths in a new window (or in the given empty one); the engine starts loading at once. */
function openBundle(paths: string[], into?: BundleWindow): void {
  const bw = into ?? createWindow(paths);
  bw.paths = paths;
  bw.win.setTitle(`${basename(paths[0]!)}${paths.length > 1 ? ` (+${paths.length - 1})` : ''} — pexlens`);
  addRecent(paths);
  buildMenu();
  // the UI learns of progress, a password prompt or the result through events
  bw.engine.api.open({ paths }).catch(() => undefined);
}

/** Only our own UI, in our own windows, may call the engine. */
function trusted(sender: WebContents): boolean {
  return windows.has(sender.id) && sender.getURL().startsWith(APP_ORIGIN + '/');
}

async function onCall(e: IpcMainInvokeEvent, method: unknown, arg: unknown): Promise<unknown> {
  if (!trusted(e.sender)) throw new Error('not allowed');
  if (typeof method !== 'string' || !isApiMethod(method)) throw new Error(`unknown method '${String(method)}'`);
  const bw = windows.get(e.sender.id)!;
  try {
    if (method === 'exportTo') return await exportWithDialog(bw, arg as ExportRequest & { path?: string });
    if (method === 'open') {
      const paths = (arg as { paths?: unknown })?.paths;
      if (Array.isArray(paths)) bw.paths = paths.filter((p): p is string => typeof p === 'string');
    }
    return await bw.engine.call(method, arg);
  } catch (err) {
    // only the message crosses ipcMain.handle; password prompts and cancels arrive as `error` events
    throw new Error(err instanceof RpcError || err instanceof Error ? err.message : String(err));
  }
}

async function exportWithDialog(bw: BundleWindow, req: ExportRequest & { path?: string }) {
  const filter = isExportFormat(req?.format) ? { name: EXPORT_FORMATS[req.format].name, extensions: [EXPORT_FORMATS[req.format].ext] } : { name: 'All files', extensions: ['*'] };
  // a name that says what it holds: the call's id, or the bundle's name, and when it was made
  const bundle = bw.paths?.[0] ? basename(bw.paths[0]).replace(/\.(log|tgz|tar|gz|zip|txt)$/gi, '') : 'pexlens-export';
  const what = req?.calls?.length === 1 ? `call-${req.calls[0]!.replace(/[^\w.-]+/g, '_').slice(0, 48)}` : req?.callList ? `${bundle}-calls` : bundle;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  let dir: string;
  try {
    dir = app.getPath('downloads');
  } catch {
    dir = app.getPath('home');
  }
  const res = await dialog.showSaveDialog(bw.win, {
    title: req?.calls?.length ? 'Export call' : req?.callList ? 'Export calls' : 'Export lines',
    defaultPath: join(dir, `${what}-${stamp}.${filter.extensions[0]}`),
    filters: [filter],
  });
  if (res.canceled || !res.filePath) return { path: null, url: null, bytes: 0 };
  return bw.engine.api.exportTo({ ...req, path: res.filePath });
}

async function openDialog(kind: 'file' | 'folder'): Promise<void> {
  const focused = BrowserWindow.getFocusedWindow();
  const options = {
    title: kind === 'file' ? 'Open log or snapshot' : 'Open a folder of logs',
    properties: kind === 'file' ? (['openFile', 'multiSelections'] as const) : (['openDirectory'] as const),
    filters: kind === 'file' ? [{ name: 'Logs and snapshots', extensions: ['log', 'txt', 'gz', 'tgz', 'tar', 'zip', '*'] }] : undefined,
  };
  const res = focused ? await dialog.showOpenDialog(focused, { ...options, properties: [...options.properties] }) : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
  if (res.canceled || !res.filePaths.length) return;
  const current = focused ? windows.get(focused.webContents.id) : undefined;
  openBundle(res.filePaths, current && !current.paths ? current : undefined);
}

function buildMenu(): void {
  const recent = recentList();
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open File…', accelerator: 'CmdOrCtrl+O', click: () => void openDialog('file') },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void openDialog('folder') },
        {
          label: 'Open Recent',
          submenu: [
            ...recent.map((paths) => ({ label: paths.length > 1 ? `${paths[0]} (+${paths.length - 1})` : paths[0]!, click: () => openBundle(paths) })),
            ...(recent.length ? [{ type: 'separator' as const }] : []),
            { label: 'Clear Recent', enabled: recent.length > 0, click: () => (clearRecent(), buildMenu()) },
          ],
        },
        { type: 'separator' },
        { label: 'Close Window', accelerator: 'CmdOrCtrl+W', role: 'close' },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About pexlens',
          click: () => {
            const win = BrowserWindow.getFocusedWindow();
            const options = {
              type: 'info' as const,
              title: 'About pexlens',
              message: `pexlens ${app.getVersion()}`,
              detail: `Offline reader for Pexip Infinity support logs and snapshots.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
            };
            void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
