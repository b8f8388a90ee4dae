// The real-Electron lockdown check: launches the built app in Electron (Playwright's _electron)
// and tries fetch, WebSocket and <img> against a loopback listener; all must fail and the listener
// must see no connection. Needs the Electron binary: without it this prints NOT RUN and exits 0,
// and must be reported as not run (never as passed).
//
// Run after `npm run build`: node test/security/electron-live.mjs
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { _electron as electron } from 'playwright';
import { electronBinary } from '../../scripts/start.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = electronBinary();
if (!binary) {
  console.log('electron-live: NOT RUN (no Electron binary in node_modules/electron/dist; see docs/PACKAGING.md)');
  process.exit(0);
}
if (!existsSync(join(ROOT, 'out/main/index.js'))) {
  console.error('electron-live: out/main/index.js is missing; run npm run build first');
  process.exit(1);
}

let connections = 0;
const server = createServer((socket) => {
  connections += 1;
  socket.destroy();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const failures = [];
const app = await electron.launch({ executablePath: binary, args: [ROOT], env: { ...process.env, KEYRITE_REHEARSAL: '1' } });
try {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  if (!page.url().startsWith('app://keyrite/')) failures.push(`window loaded ${page.url()}, not app://keyrite/`);

  const probe = await page.evaluate(async (p) => {
    const out = { nodeInPage: typeof require !== 'undefined' || typeof process !== 'undefined', api: Object.keys(globalThis.keyrite ?? {}) };
    try {
      await fetch(`http://127.0.0.1:${p}/fetch`);
      out.fetch = 'connected';
    } catch {
      out.fetch = 'blocked';
    }
    out.ws = await new Promise((resolve) => {
      try {
        const ws = new WebSocket(`ws://127.0.0.1:${p}/ws`);
        ws.onopen = () => resolve('connected');
        ws.onerror = () => resolve('blocked');
      } catch {
        resolve('blocked');
      }
    });
    out.img = await new Promise((resolve) => {
      const img = new globalThis.Image();
      img.onload = () => resolve('connected');
      img.onerror = () => resolve('blocked');
      img.src = `http://127.0.0.1:${p}/img.png`;
    });
    out.open = globalThis.open('http://127.0.0.1:' + p + '/open') === null ? 'blocked' : 'opened';
    return out;
  }, port);

  for (const k of ['fetch', 'ws', 'img', 'open']) if (probe[k] !== 'blocked') failures.push(`${k} was not blocked (${probe[k]})`);
  if (probe.nodeInPage) failures.push('the page can see require or process');
  if (probe.api.includes('invoke') || probe.api.includes('ipcRenderer')) failures.push('the page has a generic invoke or ipcRenderer');
  // Give any connection that slipped through time to arrive before counting.
  await sleep(1000);
  if (connections > 0) failures.push(`the loopback listener saw ${connections} connection(s)`);
  if (app.windows().length !== 1) failures.push(`expected 1 window, found ${app.windows().length}`);
} finally {
  await app.close();
  server.close();
}

if (failures.length > 0) {
  console.error('electron-live: FAILED');
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log('electron-live: passed (fetch, WebSocket, img and window.open blocked; no connection reached the listener)');
