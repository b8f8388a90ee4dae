/**
 * The lockdown the built main bundle must show, judged on its parsed facts (bundle-facts.ts).
 * Each rule names one setting; the gate-mutation test removes each in turn and expects its rule
 * (or Electronegativity) to fail.
 */
import { REQUIRED_WEB_PREFERENCES } from '../../electron/main/window';
import { FORBIDDEN_ELECTRON_NAMES, networkImports, type BundleFacts } from './bundle-facts';

interface Rule {
  name: string;
  holds(f: BundleFacts): boolean;
}

const calls = (method: string): Rule => ({ name: `calls ${method}()`, holds: (f) => f.calledMethods.has(method) });
const callsWith = (call: string): Rule => ({ name: `calls ${call}`, holds: (f) => f.literalCalls.has(call) });
const hooks = (event: string): Rule => ({ name: `handles "${event}"`, holds: (f) => f.literalCalls.has(`on(${JSON.stringify(event)})`) });

export const MAIN_BUNDLE_RULES: readonly Rule[] = [
  calls('onBeforeRequest'),
  calls('setPermissionRequestHandler'),
  calls('setPermissionCheckHandler'),
  calls('setDevicePermissionHandler'),
  calls('setWindowOpenHandler'),
  calls('registerSchemesAsPrivileged'),
  calls('enableSandbox'),
  callsWith('setSpellCheckerEnabled(false)'),
  callsWith('setContentProtection(true)'),
  hooks('web-contents-created'),
  hooks('will-navigate'),
  hooks('will-redirect'),
  hooks('will-frame-navigate'),
  hooks('will-attach-webview'),
  hooks('will-download'),
  { name: 'window-open handler denies', holds: (f) => f.literalProperties.has('action="deny"') && !f.literalProperties.has('action="allow"') },
  { name: 'no handler grants a permission (callback(true))', holds: (f) => !f.literalCalls.has('callback(true)') },
  { name: 'opens at least one BrowserWindow', holds: (f) => f.windowPreferences.length > 0 },
  ...Object.entries(REQUIRED_WEB_PREFERENCES).map(
    ([key, want]): Rule => ({
      name: `every window sets webPreferences.${key}: ${String(want)}`,
      holds: (f) => f.windowPreferences.every((prefs) => prefs[key] === String(want)),
    }),
  ),
  {
    name: 'no window turns devTools on unconditionally',
    holds: (f) => f.windowPreferences.every((prefs) => prefs.devTools !== undefined && prefs.devTools !== 'true'),
  },
];

const COMMON_RULES: readonly Rule[] = [
  { name: 'imports no network module', holds: (f) => networkImports(f).length === 0 },
  { name: `takes none of electron's ${FORBIDDEN_ELECTRON_NAMES.join(', ')}`, holds: (f) => FORBIDDEN_ELECTRON_NAMES.every((n) => !f.electronNames.has(n)) },
  { name: 'never calls openExternal', holds: (f) => !f.propertyNames.has('openExternal') },
];

/** Failed rules for the main bundle (out/main/index.js). */
export function mainBundleProblems(f: BundleFacts): string[] {
  return [...MAIN_BUNDLE_RULES, ...COMMON_RULES].filter((r) => !r.holds(f)).map((r) => r.name);
}

/** Failed rules for any other bundle (token host, chunks, preload). */
export function commonBundleProblems(f: BundleFacts): string[] {
  return COMMON_RULES.filter((r) => !r.holds(f)).map((r) => r.name);
}

/** The preload may take only contextBridge and ipcRenderer from electron. */
export function preloadProblems(f: BundleFacts): string[] {
  const problems = commonBundleProblems(f);
  const extra = [...f.electronNames].filter((n) => n !== 'contextBridge' && n !== 'ipcRenderer');
  if (extra.length > 0) problems.push(`preload takes more than contextBridge and ipcRenderer from electron: ${extra.join(', ')}`);
  const nonElectron = [...f.imports].filter((s) => s !== 'electron');
  // A sandboxed preload can require only 'electron' (and a few polyfilled modules); anything else fails at runtime.
  if (nonElectron.length > 0) problems.push(`preload requires modules other than electron: ${nonElectron.join(', ')}`);
  return problems;
}
