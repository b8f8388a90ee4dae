/**
 * Every BrowserWindow Keyrite opens (the main window and the hidden print views) is made by
 * newLockedWindow, so the secure webPreferences exist in one place. The options are written as one
 * literal at the `new BrowserWindow(...)` call on purpose: Electronegativity reads them there, and
 * the security gate fails if any of them is removed (test/unit/shell/gate-mutations.test.ts).
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { KeyriteError } from '../core/util/errors';

export interface LockedWindowParams {
  /** Absolute path of out/preload/index.cjs; print views get no preload. */
  preload?: string;
  show: boolean;
  /** DevTools only in unpackaged development builds. */
  devTools: boolean;
  width: number;
  height: number;
  title: string;
}

export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

export function newLockedWindow<W>(BrowserWindow: WindowConstructor<W>, p: LockedWindowParams): W {
  return new BrowserWindow({
    show: p.show,
    width: p.width,
    height: p.height,
    title: p.title,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: p.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      enableWebSQL: false,
      // Middle-click would otherwise try to open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      devTools: p.devTools,
    },
  });
}

/**
 * Wraps a window constructor so every window is checked against the checklist before it exists:
 * a weakened option throws instead of opening a window.
 */
export function guardWindowConstructor<W>(Ctor: WindowConstructor<W>, packaged: boolean): WindowConstructor<W> {
  const Guarded = function (options: BrowserWindowConstructorOptions): W {
    const problems = checkWindowOptions(options, packaged);
    if (problems.length > 0) {
      throw new KeyriteError('WINDOW_NOT_LOCKED_DOWN', `Refusing to open a window: ${problems.join('; ')}.`, {
        action: 'This build of Keyrite is unsafe. Do not use it; report it.',
      });
    }
    return new Ctor(options);
  };
  return Guarded as unknown as WindowConstructor<W>;
}

/** The settings that must be on, and those that must be off: the checklist the gate enforces. */
const MUST_BE_ON = ['contextIsolation', 'sandbox', 'webSecurity'] as const satisfies readonly (keyof WebPreferences)[];
const MUST_BE_OFF = [
  'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent',
  'experimentalFeatures', 'webviewTag', 'spellcheck', 'navigateOnDragDrop',
] as const satisfies readonly (keyof WebPreferences)[];

/** Each required setting and the value it must have. */
export const REQUIRED_WEB_PREFERENCES: Readonly<Partial<Record<keyof WebPreferences, boolean>>> = Object.fromEntries([
  ...MUST_BE_ON.map((k) => [k, true] as const), ...MUST_BE_OFF.map((k) => [k, false] as const),
]);

/** Lists every way the options fall short of the checklist; empty when they are safe. */
export function checkWindowOptions(options: BrowserWindowConstructorOptions, packaged: boolean): string[] {
  const problems: string[] = [];
  const prefs: WebPreferences = options.webPreferences ?? {};
  for (const [key, want] of Object.entries(REQUIRED_WEB_PREFERENCES)) {
    const got = prefs[key as keyof WebPreferences];
    if (got !== want) problems.push(`webPreferences.${key} must be ${String(want)} (is ${String(got)})`);
  }
  if (prefs.enableBlinkFeatures !== undefined) problems.push('webPreferences.enableBlinkFeatures must not be set');
  if (prefs.additionalArguments !== undefined) problems.push('webPreferences.additionalArguments must not be set');
  if (packaged && prefs.devTools !== false) problems.push('webPreferences.devTools must be false in a packaged build');
  if (prefs.preload !== undefined && !prefs.preload.endsWith('.cjs')) problems.push('webPreferences.preload must be the CommonJS preload bundle');
  return problems;
}
