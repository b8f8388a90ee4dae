/**
 * Renderer figures: the initial JavaScript (and CSS) the page loads, raw and gzip, from a fresh
 * Vite build; and the first-render time in headless Chromium (navigation start to the home
 * screen's heading in the DOM, and first contentful paint), median of several cold loads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { createHandlerTable } from '../../electron/core/ipc/handlers';
import { bindKeyrite } from '../e2e/bridge';
import { buildRenderer } from '../e2e/build-renderer';
import { serveDir } from '../e2e/static-server';

const LOADS = 7;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function initialAssets(dir: string): { js: string[]; css: string[] } {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const js = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] as string);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => m[1] as string);
  return { js, css };
}

function sizes(dir: string, files: string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const buf = readFileSync(path.join(dir, f));
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { raw, gzip };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function run(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-renderer-'));
  try {
    const dir = await buildRenderer(path.join(root, 'renderer'));
    const { js, css } = initialAssets(dir);
    const j = sizes(dir, js);
    const c = sizes(dir, css);
    console.log(`initial JavaScript: ${js.length} file(s), ${kb(j.raw)} raw, ${kb(j.gzip)} gzip`);
    console.log(`initial CSS:        ${css.length} file(s), ${kb(c.raw)} raw, ${kb(c.gzip)} gzip`);

    const server = await serveDir(dir);
    const browser = await chromium.launch({ executablePath: process.env.KEYRITE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    // The real handler table over an empty slot list: this measures the renderer, not a token.
    const table = createHandlerTable({ dataDir: path.join(root, 'data'), app: { version: 'bench', platform: process.platform, rehearsal: false }, tokens: { listSlots: async () => [] } });
    const heading: number[] = [];
    const fcp: number[] = [];
    try {
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
        await bindKeyrite(context, table);
        await context.addInitScript({
          content: `new MutationObserver((_, o) => { if (document.getElementById('home-title')) { window.__firstRender = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });`,
        });
        const page = await context.newPage();
        await page.goto(server.url);
        // Functions, not strings: a string predicate is eval'd in the page, which the CSP forbids.
        const firstRender = () => (window as unknown as { __firstRender?: number }).__firstRender;
        const paint = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
        await page.waitForFunction(firstRender);
        await page.waitForFunction(paint);
        heading.push((await page.evaluate(firstRender)) ?? NaN);
        fcp.push((await page.evaluate(paint)) ?? NaN);
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
    console.log(`first render (home heading in the DOM), median of ${LOADS} cold loads: ${median(heading).toFixed(0)} ms (min ${Math.min(...heading).toFixed(0)}, max ${Math.max(...heading).toFixed(0)})`);
    console.log(`first contentful paint, median: ${median(fcp).toFixed(0)} ms`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
