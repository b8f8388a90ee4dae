import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_SWITCHES,
  denyPermissionCheck,
  denyPermissionRequest,
  denyWindowOpen,
  filterRequest,
  isAllowedRequest,
  lockdownSession,
  lockdownWebContents,
  type LockableSession,
  type LockableWebContents,
  type PreventableEvent,
  type RequestDetails,
} from '../../../electron/main/lockdown';

function cancelled(details: RequestDetails): boolean {
  let result: boolean | undefined;
  filterRequest(details, (r) => {
    result = r.cancel;
  });
  if (result === undefined) throw new Error('the filter did not answer');
  return result;
}

describe('request filter', () => {
  it('lets the app load its own pages and assets', () => {
    expect(cancelled({ url: 'app://keyrite/index.html', resourceType: 'mainFrame' })).toBe(false);
    expect(cancelled({ url: 'app://keyrite/assets/index-abc.js', resourceType: 'script' })).toBe(false);
    expect(cancelled({ url: 'app://keyrite/print/0123456789abcdef0123456789abcdef', resourceType: 'mainFrame' })).toBe(false);
  });

  it.each([
    'http://127.0.0.1:8080/',
    'https://example.com/x.js',
    'ws://localhost:1234/',
    'wss://example.com/',
    'ftp://example.com/',
    'file:///etc/passwd',
    'app://other-host/index.html',
    'http://keyrite/index.html',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/x.js',
    'blob:app://keyrite/1234',
    'not a url',
  ])('cancels %s', (url) => {
    expect(cancelled({ url, resourceType: 'xhr' })).toBe(true);
  });

  it('allows data: only for images (QR codes), never documents or scripts', () => {
    expect(isAllowedRequest({ url: 'data:image/png;base64,AAAA', resourceType: 'image' })).toBe(true);
    expect(isAllowedRequest({ url: 'data:text/html,<script>1</script>', resourceType: 'mainFrame' })).toBe(false);
    expect(isAllowedRequest({ url: 'data:image/svg+xml,<svg/>', resourceType: 'script' })).toBe(false);
    expect(isAllowedRequest({ url: 'data:text/javascript,1', resourceType: 'script' })).toBe(false);
  });
});

describe('permission handlers', () => {
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'usb', 'hid', 'serial', 'fullscreen'])(
    'denies a request for %s',
    (permission) => {
      let granted: boolean | undefined;
      denyPermissionRequest({}, permission, (g) => {
        granted = g;
      });
      expect(granted).toBe(false);
    },
  );

  it('answers every permission check with false', () => {
    expect(denyPermissionCheck()).toBe(false);
  });

  it('denies every window.open', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
  });
});

class FakeEvent implements PreventableEvent {
  prevented = false;
  preventDefault(): void {
    this.prevented = true;
  }
}

describe('lockdownSession', () => {
  it('installs the filter, denies permissions and devices, turns the spellchecker off, blocks downloads', () => {
    const calls: Record<string, unknown> = {};
    const session: LockableSession = {
      webRequest: { onBeforeRequest: (l) => (calls.onBeforeRequest = l) },
      setPermissionRequestHandler: (h) => (calls.request = h),
      setPermissionCheckHandler: (h) => (calls.check = h),
      setDevicePermissionHandler: (h) => (calls.device = h),
      setSpellCheckerEnabled: (e) => (calls.spell = e),
      on: (event, l) => (calls[event] = l),
    };
    lockdownSession(session);
    expect(calls.onBeforeRequest).toBe(filterRequest);
    expect(calls.request).toBe(denyPermissionRequest);
    expect((calls.check as () => boolean)()).toBe(false);
    expect((calls.device as () => boolean)()).toBe(false);
    expect(calls.spell).toBe(false);
    const download = new FakeEvent();
    (calls['will-download'] as (e: PreventableEvent) => void)(download);
    expect(download.prevented).toBe(true);
  });
});

describe('lockdownWebContents', () => {
  function locked(): { listeners: Map<string, (e: PreventableEvent) => void>; openHandler: () => { action: string } } {
    const listeners = new Map<string, (e: PreventableEvent) => void>();
    let openHandler: (() => { action: string }) | undefined;
    const contents: LockableWebContents = {
      on: (event, l) => listeners.set(event, l),
      setWindowOpenHandler: (h) => {
        openHandler = h;
      },
    };
    lockdownWebContents(contents);
    if (!openHandler) throw new Error('no window open handler');
    return { listeners, openHandler };
  }

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'])('prevents %s', (event) => {
    const { listeners } = locked();
    const e = new FakeEvent();
    const listener = listeners.get(event);
    expect(listener).toBeDefined();
    listener?.(e);
    expect(e.prevented).toBe(true);
  });

  it('denies new windows', () => {
    expect(locked().openHandler()).toEqual({ action: 'deny' });
  });
});

describe('Chromium switches', () => {
  it('stops host name resolution and background networking', () => {
    const switches = new Map(CHROMIUM_SWITCHES.map(([k, v]) => [k, v]));
    expect(switches.get('host-resolver-rules')).toBe('MAP * ~NOTFOUND');
    expect(switches.has('disable-background-networking')).toBe(true);
    expect(switches.has('disable-component-update')).toBe(true);
  });
});
