/**
 * The security gate over a fresh build of main and preload: it passes as built, and it fails when
 * any one lockdown setting is taken out of the built main bundle (or a network module is added).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUIRED_WEB_PREFERENCES } from '../../../electron/main/window';
import { runSecurityGate } from '../../../scripts/security-gate';
import { bundleFacts, networkImports } from '../../security/bundle-facts';
import { buildShell } from './build-once';

let outDir = '';
beforeAll(() => {
  outDir = buildShell();
}, 120_000);
afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the build', () => {
  it('produces the main, token host and preload bundles', () => {
    for (const f of ['main/index.js', 'main/token-host.js', 'preload/index.cjs']) expect(existsSync(join(outDir, f)), f).toBe(true);
  });

  it('passes the security gate (bundle rules and Electronegativity over build and sources), without touching the network', async () => {
    // Electronegativity fetches on every run unless stubbed; any socket it opened would show here.
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    try {
      const report = await runSecurityGate({ outDir, includeRenderer: false });
      expect(report.failures).toEqual([]);
      expect(report.unusedAllowances).toEqual([]);
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  }, 60_000);

  it('main and preload bundles import no network module', () => {
    for (const f of ['main/index.js', 'main/token-host.js', 'preload/index.cjs']) {
      expect(networkImports(bundleFacts(readFileSync(join(outDir, f), 'utf8'))), f).toEqual([]);
    }
  });
});

describe('network import detection', () => {
  it.each([
    'import http from "http";',
    'import { request } from "node:https";',
    'import * as h2 from "node:http2";',
    'const net = require("net");',
    'const tls = require("node:tls");',
    'const d = await import("dgram");',
    'import { lookup } from "dns/promises";',
    'export { connect } from "node:net";',
  ])('finds %s', (code) => {
    expect(networkImports(bundleFacts(code))).toHaveLength(1);
  });

  it('ignores names in comments and strings that are not imports', () => {
    expect(networkImports(bundleFacts('// import http from "http"\nconst s = "require(\\"net\\")";'))).toEqual([]);
  });
});

type Mutation = [name: string, file: 'main/index.js' | 'preload/index.cjs', mutate: (code: string) => string];

const dropLine = (pattern: RegExp) => (code: string) => code.replace(pattern, '');
const prefMutations: Mutation[] = Object.entries(REQUIRED_WEB_PREFERENCES).flatMap(([key, want]): Mutation[] => [
  [`remove webPreferences.${key}`, 'main/index.js', dropLine(new RegExp(`\\n\\s*${key}: ${String(want)},?`))],
  [`flip webPreferences.${key}`, 'main/index.js', (c) => c.replace(new RegExp(`(\\n\\s*${key}: )${String(want)}`), `$1${String(!want)}`)],
]);

const MUTATIONS: Mutation[] = [
  ...prefMutations,
  ['devTools always on', 'main/index.js', (c) => c.replace('devTools: p.devTools', 'devTools: true')],
  ['no request filter', 'main/index.js', dropLine(/session\.webRequest\.onBeforeRequest\(filterRequest\);/)],
  ['no permission request handler', 'main/index.js', dropLine(/session\.setPermissionRequestHandler\(denyPermissionRequest\);/)],
  ['no permission check handler', 'main/index.js', dropLine(/session\.setPermissionCheckHandler\(denyPermissionCheck\);/)],
  ['no device permission handler', 'main/index.js', dropLine(/session\.setDevicePermissionHandler\(denyDevicePermission\);/)],
  ['permission request granted', 'main/index.js', (c) => c.replace(/(function denyPermissionRequest\([^)]*\) \{\s*callback\()false/, '$1true')],
  ['spellchecker left on', 'main/index.js', dropLine(/session\.setSpellCheckerEnabled\(false\);/)],
  ['downloads allowed', 'main/index.js', dropLine(/session\.on\("will-download", preventDownload\);/)],
  ['will-navigate not prevented', 'main/index.js', dropLine(/contents\.on\("will-navigate", preventNavigation\);/)],
  ['will-redirect not prevented', 'main/index.js', dropLine(/contents\.on\("will-redirect", preventNavigation\);/)],
  ['will-frame-navigate not prevented', 'main/index.js', dropLine(/contents\.on\("will-frame-navigate", preventNavigation\);/)],
  ['webviews allowed', 'main/index.js', dropLine(/contents\.on\("will-attach-webview", preventWebviewAttach\);/)],
  ['no window-open handler', 'main/index.js', dropLine(/contents\.setWindowOpenHandler\(denyWindowOpen\);/)],
  ['window-open allowed', 'main/index.js', (c) => c.replace('action: "deny"', 'action: "allow"')],
  ['lockdown not applied to new webContents', 'main/index.js', (c) => c.replace('"web-contents-created"', '"browser-window-created"')],
  ['global sandbox off', 'main/index.js', dropLine(/app\.enableSandbox\(\);/)],
  // Global: the print views (printing.ts, bundled into main since the print channels) call it too,
  // and the gate's rule sees calls, not which window makes them.
  ['no content protection', 'main/index.js', dropLine(/win\.setContentProtection\(true\);/g)],
  ['https imported by main', 'main/index.js', (c) => `import https from "node:https";\n${c}`],
  ['electron net taken by main', 'main/index.js', (c) => c.replace('import { BrowserWindow, app,', 'import { BrowserWindow, net, app,')],
  ['openExternal called', 'main/index.js', (c) => c.replace('app.enableSandbox();', 'app.enableSandbox();\nglobalThis.shell?.openExternal("https://example.com");')],
  ['dns required by the preload', 'preload/index.cjs', (c) => `const dns = require("node:dns");\n${c}`],
  ['preload requires child_process', 'preload/index.cjs', (c) => `${c}\nelectron.contextBridge.exposeInMainWorld("ipc", require("node:child_process"));`],
];

async function withMutant<T>(file: string, mutate: (code: string) => string, use: (dir: string) => Promise<T>): Promise<T> {
  const copy = mkdtempSync(join(tmpdir(), 'keyrite-mutant-'));
  try {
    cpSync(outDir, copy, { recursive: true });
    const original = readFileSync(join(copy, file), 'utf8');
    const mutated = mutate(original);
    // A mutation that matched nothing would pass vacuously.
    expect(mutated).not.toBe(original);
    writeFileSync(join(copy, file), mutated);
    return await use(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('removing any one lockdown setting makes the gate fail', () => {
  it.each(MUTATIONS)('%s', async (_name, file, mutate) => {
    const report = await withMutant(file, mutate, (dir) => runSecurityGate({ outDir: dir, includeRenderer: false, scanSources: false, failFast: true }));
    expect(report.failures.length).toBeGreaterThan(0);
  }, 60_000);
});

// Electronegativity alone misses some removals (nodeIntegration: true while sandbox is on; one
// navigation guard gone while others remain): the bundle rules above catch those.
describe('Electronegativity on its own catches the core settings', () => {
  const find = (name: string): Mutation => {
    const m = MUTATIONS.find(([n]) => n === name);
    if (!m) throw new Error(`no mutation ${name}`);
    return m;
  };
  it.each([
    ['flip webPreferences.sandbox', 'SANDBOX_JS_CHECK'],
    ['remove webPreferences.contextIsolation', 'CONTEXT_ISOLATION_JS_CHECK'],
    ['flip webPreferences.webSecurity', 'WEB_SECURITY_JS_CHECK'],
    ['no permission request handler', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK'],
  ])('%s -> %s', async (name, checkId) => {
    const [, file, mutate] = find(name);
    const report = await withMutant(file, mutate, (dir) => runSecurityGate({ outDir: dir, includeRenderer: false, scanSources: false }));
    expect(report.failures.filter((f) => f.startsWith('electronegativity')).join('\n')).toContain(checkId);
  }, 60_000);
});
