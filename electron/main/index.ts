/**
 * Electron main: app lifecycle and the init of each shell module. Everything with logic lives in
 * the modules beside this file (lockdown, protocol, window, ipc, token-host, printing) and is
 * tested in plain Node; this file only connects them to Electron's objects.
 *
 * Deliberately absent: crashReporter, autoUpdater, telemetry, shell.openExternal.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, utilityProcess } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventMap } from '../contract';
import { watchUsb } from '../core/devices/usb-watch';
import { createHandlerTable, readDevices } from '../core/ipc/handlers';
import { watchDevices } from '../core/ipc/device-watch';
import { writeFileAtomic } from '../core/util/fs-durable';
import { registerIpc, sendEvent, TrustedSenders, trustWhileOpen } from './ipc';
import { createShareFileSink, createWitnessKeyPicker, type ShowOpenDialog, type ShowSaveDialog } from './ceremony-dialogs';
import { CHROMIUM_SWITCHES, lockdownSession, lockdownWebContents } from './lockdown';
import { PrintDocuments, createPrintService, type SaveDeps } from './printing';
import { APP_ENTRY_URL, APP_SCHEME, PRIVILEGED_SCHEMES, createAppProtocolHandler } from './protocol';
import { buildHandlerDeps, chooseDataDir, startupErrorText } from './services';
import { parseCardModules } from '../core/token/card-modules';
import { LIVE_TOKEN_POLL_MS } from '../core/token';
import { createUtilityProcessSpawner } from './token-host';
import { guardWindowConstructor, newLockedWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  renderer: join(here, '../renderer'),
  preload: join(here, '../preload/index.cjs'),
  tokenHost: join(here, 'token-host.js'),
};

for (const [name, value] of CHROMIUM_SWITCHES) app.commandLine.appendSwitch(name, value);
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((s) => ({ scheme: s.scheme, privileges: { ...s.privileges } })));
app.enableSandbox();
// One Keyrite per laptop: a second instance would open a second token host on the same HSM.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

// Every webContents, including print views and any Electron creates internally, is locked down.
app.on('web-contents-created', (_event, contents) => lockdownWebContents(contents));

const trusted = new TrustedSenders();
const printDocuments = new PrintDocuments();
let mainWindow: BrowserWindow | null = null;
// A window whose options fall short of the checklist throws instead of opening.
const LockedBrowserWindow = guardWindowConstructor(BrowserWindow, app.isPackaged);

function openMainWindow(): BrowserWindow {
  const win = newLockedWindow(LockedBrowserWindow, {
    preload: paths.preload,
    show: false,
    devTools: !app.isPackaged,
    width: 1200,
    height: 820,
    title: 'Keyrite',
  });
  // Any screen may show a share while its custodian holds "show": keep the window out of captures.
  win.setContentProtection(true);
  trustWhileOpen(win, trusted);
  win.on('closed', () => {
    mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Print views: hidden, locked, no preload, so they can call nothing in main. */
export function openPrintWindow(): BrowserWindow {
  return newLockedWindow(LockedBrowserWindow, { show: false, devTools: false, width: 794, height: 1123, title: 'Keyrite print' });
}

export const saveDeps: SaveDeps = {
  documents: printDocuments,
  openPrintWindow,
  showSaveDialog: (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
  writeFile: (path, data) => writeFileAtomic(path, data, { mode: 0o600 }),
};

// Witness key files and share files go through main's own dialogs, attached to the main window.
const showOpenDialog: ShowOpenDialog = (options) => (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options));
const showSaveDialog: ShowSaveDialog = (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options));

async function init(): Promise<void> {
  lockdownSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ rootDir: paths.renderer, readFile: (p) => readFile(p), printDocument: (id) => printDocuments.get(id) }),
  );

  const { deps, closeTokens } = buildHandlerDeps({
    version: app.getVersion(),
    platform: process.platform,
    dataDir: chooseDataDir(process.env.KEYRITE_DATA_DIR, app.getPath('userData')),
    rehearsal: process.env.KEYRITE_REHEARSAL === '1',
    modulePath: process.env.KEYRITE_PKCS11_MODULE,
    cardModules: parseCardModules(process.env.KEYRITE_CARD_MODULES),
    spawnTokenHost: createUtilityProcessSpawner((p, a, o) => utilityProcess.fork(p, a, o), paths.tokenHost, process.env),
    pickFolder: async () => {
      const r = await dialog.showOpenDialog({ properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    emit: (channel, payload) => sendEvent(mainWindow?.webContents, channel, payload as EventMap[typeof channel]),
    print: createPrintService(saveDeps),
    pickWitnessKeyFile: createWitnessKeyPicker(showOpenDialog),
    shareFileSink: createShareFileSink({ showSaveDialog }),
  });
  registerIpc(ipcMain, createHandlerTable(deps), trusted);

  mainWindow = openMainWindow();
  // A token plugged in or pulled out refreshes the devices panel without the renderer polling.
  const usbWatch = await watchUsb(() => {
    void readDevices(deps).then((view) => sendEvent(mainWindow?.webContents, 'devices/changed', view), () => undefined);
  });
  // Tokens behind readers (not USB-enumerated) and the network are polled: Home says at once when a
  // card is inserted or an interface comes up.
  const devicesWatch = watchDevices(deps, LIVE_TOKEN_POLL_MS, (view) => sendEvent(mainWindow?.webContents, 'devices/changed', view));
  app.on('will-quit', () => {
    devicesWatch.stop();
    usbWatch.stop();
    void closeTokens();
  });
}

app.on('window-all-closed', () => app.quit());
app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});
if (primaryInstance) {
  app
    .whenReady()
    .then(init)
    .catch((e: unknown) => {
      console.error('Keyrite failed to start:', e);
      const { title, content } = startupErrorText(e);
      dialog.showErrorBox(title, content);
      app.exit(1);
    });
}
