import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { REQUIRED_WEB_PREFERENCES, checkWindowOptions, guardWindowConstructor, newLockedWindow, type LockedWindowParams } from '../../../electron/main/window';

class RecordingWindow {
  static made: BrowserWindowConstructorOptions[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {
    RecordingWindow.made.push(options);
  }
}

const MAIN: LockedWindowParams = { preload: '/app/out/preload/index.cjs', show: false, devTools: false, width: 1200, height: 800, title: 'Keyrite' };

function mainOptions(params: LockedWindowParams = MAIN): BrowserWindowConstructorOptions {
  return newLockedWindow(RecordingWindow, params).options;
}

describe('newLockedWindow', () => {
  it('opens windows that meet every item of the checklist', () => {
    const o = mainOptions();
    expect(checkWindowOptions(o, true)).toEqual([]);
    expect(o.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, webviewTag: false });
  });

  it('gives print views no preload', () => {
    const o = mainOptions({ ...MAIN, preload: undefined });
    expect(o.webPreferences?.preload).toBeUndefined();
    expect(checkWindowOptions(o, true)).toEqual([]);
  });

  it('keeps devTools off when asked (packaged builds)', () => {
    expect(mainOptions().webPreferences?.devTools).toBe(false);
    expect(checkWindowOptions(mainOptions({ ...MAIN, devTools: true }), true)).toEqual(['webPreferences.devTools must be false in a packaged build']);
    expect(checkWindowOptions(mainOptions({ ...MAIN, devTools: true }), false)).toEqual([]);
  });
});

describe('checkWindowOptions fails when any one setting is removed or flipped', () => {
  const keys = Object.keys(REQUIRED_WEB_PREFERENCES) as Array<keyof typeof REQUIRED_WEB_PREFERENCES>;

  it.each(keys)('removing %s', (key) => {
    const o = mainOptions();
    const prefs = { ...o.webPreferences };
    delete prefs[key];
    expect(checkWindowOptions({ ...o, webPreferences: prefs }, true).join('\n')).toContain(`webPreferences.${key}`);
  });

  it.each(keys)('flipping %s', (key) => {
    const o = mainOptions();
    const prefs = { ...o.webPreferences, [key]: !REQUIRED_WEB_PREFERENCES[key] };
    expect(checkWindowOptions({ ...o, webPreferences: prefs }, true).join('\n')).toContain(`webPreferences.${key}`);
  });

  it('refuses blink features, extra arguments and a preload that is not the CommonJS bundle', () => {
    const o = mainOptions();
    expect(checkWindowOptions({ ...o, webPreferences: { ...o.webPreferences, enableBlinkFeatures: 'X' } }, true)).toHaveLength(1);
    expect(checkWindowOptions({ ...o, webPreferences: { ...o.webPreferences, additionalArguments: ['--x'] } }, true)).toHaveLength(1);
    expect(checkWindowOptions({ ...o, webPreferences: { ...o.webPreferences, preload: '/x/preload.js' } }, true)).toHaveLength(1);
    expect(checkWindowOptions({}, true).length).toBeGreaterThanOrEqual(keys.length);
  });
});

describe('guardWindowConstructor', () => {
  it('opens a checked window and refuses a weakened one', () => {
    const Guarded = guardWindowConstructor(RecordingWindow, true);
    RecordingWindow.made = [];
    expect(newLockedWindow(Guarded, MAIN)).toBeInstanceOf(RecordingWindow);
    expect(() => new Guarded({ webPreferences: { ...mainOptions().webPreferences, sandbox: false } })).toThrow(/sandbox/);
    expect(RecordingWindow.made).toHaveLength(2); // the checked window and the one mainOptions() built for the test
  });
});
