/**
 * Network and capability lockdown. Keyrite runs on an air-gapped laptop: no page may load anything
 * from outside the app's own scheme, no permission is ever granted, no page may navigate, open a
 * window, attach a webview or download a file. Each rule is a small function so it is tested in
 * plain Node; applyToSession/applyToWebContents wire them onto Electron's objects.
 */
import { isAppUrl } from './protocol';

/** Chromium switches set before the app is ready: no DNS resolution at all, no background networking. */
export const CHROMIUM_SWITCHES: ReadonlyArray<readonly [string, string?]> = [
  // Any host name that somehow reaches the network stack resolves to nothing.
  ['host-resolver-rules', 'MAP * ~NOTFOUND'],
  ['disable-background-networking'],
  ['disable-component-update'],
  ['disable-domain-reliability'],
  ['no-pings'],
];

export interface RequestDetails {
  url: string;
  resourceType?: string;
}

/**
 * The whole allow-list: the app's own origin, plus data: images (QR codes). data: URLs never touch
 * the network; they are limited to images so a data: document or script cannot be loaded.
 */
export function isAllowedRequest(details: RequestDetails): boolean {
  if (isAppUrl(details.url)) return true;
  if (details.url.startsWith('data:image/') && details.resourceType === 'image') return true;
  return false;
}

export type RequestCallback = (response: { cancel: boolean }) => void;

export function filterRequest(details: RequestDetails, callback: RequestCallback): void {
  callback({ cancel: !isAllowedRequest(details) });
}

export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

export function denyDevicePermission(): boolean {
  return false;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-redirect / will-frame-navigate: the app is one page with in-memory routing. */
export function preventNavigation(event: PreventableEvent): void {
  event.preventDefault();
}

export function preventWebviewAttach(event: PreventableEvent): void {
  event.preventDefault();
}

export function preventDownload(event: PreventableEvent): void {
  event.preventDefault();
}

export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** The parts of Electron's Session the lockdown touches. */
export interface LockableSession {
  webRequest: {
    onBeforeRequest(listener: (details: RequestDetails, callback: RequestCallback) => void): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  setSpellCheckerEnabled(enabled: boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
}

export function lockdownSession(session: LockableSession): void {
  session.webRequest.onBeforeRequest(filterRequest);
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
  // The spellchecker downloads dictionaries from Google.
  session.setSpellCheckerEnabled(false);
  session.on('will-download', preventDownload);
}

/** The parts of Electron's WebContents the lockdown touches. */
export interface LockableWebContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

export function lockdownWebContents(contents: LockableWebContents): void {
  contents.on('will-navigate', preventNavigation);
  contents.on('will-redirect', preventNavigation);
  contents.on('will-frame-navigate', preventNavigation);
  contents.on('will-attach-webview', preventWebviewAttach);
  contents.setWindowOpenHandler(denyWindowOpen);
}
