/**
 * Renderer figures: the initial JavaScript (and CSS) the page loads, raw and gzip, from a fresh
 * minified Vite build (the screens loaded later are counted apart); and the first render in
 * headless Chromium against a static page in the same run: navigation start to the home heading in
 * the DOM (and first contentful paint), the app and a static HTML page with the same heading loaded
 * in turn, each in a cold context. Printed as min / median / max of each and of the per-pair ratio.
 * Home is prerendered into the built page (issue #17), so the heading arrives with the HTML; the
 * app's second figure is when it is interactive: React has attached (hydrated) and main.tsx has set
 * #root's data-interactive.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright';
import { createHandlerTable } from '../../electron/core/ipc/handlers';
import type { HandlerTable } from '../../electron/contract/index';
import { bindKeyrite } from '../e2e/bridge';
import { buildRenderer } from '../e2e/build-renderer';
import { serveDir } from '../e2e/static-server';

// Cold loads of each page. Each load is tens of milliseconds on a shared machine, so a single pair's
// ratio is mostly noise: 15 of each, taken in turn with the order rotated every round, and the
// headline is the ratio of the medians, with the per-pair ratios beside it.
const LOADS = 15;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The baseline: the same heading the app's first screen shows, as plain HTML with no script. */
const STATIC_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyrite</title></head><body><main><h1 id="home-title">Keyrite</h1><p>A static page.</p></main></body></html>';

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

/** The chunks not loaded at start (the screens loaded when first opened). */
function laterAssets(dir: string, initial: string[]): string[] {
  const first = new Set(initial.map((f) => path.normalize(f)));
  return readdirSync(path.join(dir, 'assets')).map((f) => path.join('assets', f)).filter((f) => /\.(js|css)$/.test(f) && !first.has(path.normalize(f)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const spread = (xs: number[], digits = 0, unit = ' ms') => `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}${unit}`;

interface Load { heading: number; fcp: number; interactive: number }

/**
 * One cold load: a fresh context, the heading's arrival in the DOM, first contentful paint, and (the
 * app only) when #root gets data-interactive. The observer is installed before any of the page's
 * HTML is parsed, so a heading that comes with the HTML is timed as it is inserted.
 */
async function load(browser: Browser, url: string, table: HandlerTable | null, app: boolean): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    if (table) await bindKeyrite(context, table);
    await context.addInitScript({
      content: `new MutationObserver((_, o) => {
        if (window.__firstRender === undefined && document.getElementById('home-title')) window.__firstRender = performance.now();
        if (document.getElementById('root')?.dataset.interactive) { window.__interactive = performance.now(); o.disconnect(); }
      }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-interactive'] });`,
    });
    const page = await context.newPage();
    await page.goto(url);
    // Functions, not strings: a string predicate is eval'd in the page, which the CSP forbids.
    const firstRender = () => (window as unknown as { __firstRender?: number }).__firstRender;
    const interactive = () => (window as unknown as { __interactive?: number }).__interactive;
    const paint = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    await page.waitForFunction(firstRender);
    await page.waitForFunction(paint);
    if (app) await page.waitForFunction(interactive);
    return {
      heading: (await page.evaluate(firstRender)) ?? NaN,
      fcp: (await page.evaluate(paint)) ?? NaN,
      interactive: app ? ((await page.evaluate(interactive)) ?? NaN) : NaN,
    };
  } finally {
    await context.close();
  }
}

export async function run(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-renderer-'));
  try {
    const dir = await buildRenderer(path.join(root, 'renderer'));
    const { js, css } = initialAssets(dir);
    const j = sizes(dir, js);
    const c = sizes(dir, css);
    const later = sizes(dir, laterAssets(dir, [...js, ...css]));
    console.log(`initial JavaScript: ${js.length} file(s), ${kb(j.raw)} raw, ${kb(j.gzip)} gzip (target <= 100 KiB gzip)`);
    console.log(`initial CSS:        ${css.length} file(s), ${kb(c.raw)} raw, ${kb(c.gzip)} gzip`);
    console.log(`loaded later (screens other than Home): ${kb(later.raw)} raw, ${kb(later.gzip)} gzip`);

    const staticDir = path.join(root, 'static');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), STATIC_PAGE);
    const app = await serveDir(dir);
    const plain = await serveDir(staticDir);
    const browser = await chromium.launch({ executablePath: process.env.KEYRITE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    // The real handler table over an empty slot list: this measures the renderer, not a token.
    const table = createHandlerTable({ dataDir: path.join(root, 'data'), app: { version: 'bench', platform: process.platform, rehearsal: false }, tokens: { listSlots: async () => [] } });
    const apps: Load[] = [];
    const statics: Load[] = [];
    const bridged: Load[] = [];
    try {
      // One warm-up of each (the browser's own start-up), then the app and the static page in turn;
      // and the static page again with the test bridge bound as for the app (page.exposeBinding and
      // its init script), to show what the harness's bridge costs apart from the app.
      await load(browser, plain.url, null, false);
      await load(browser, app.url, table, true);
      const kinds = [
        async () => statics.push(await load(browser, plain.url, null, false)),
        async () => bridged.push(await load(browser, plain.url, table, false)),
        async () => apps.push(await load(browser, app.url, table, true)),
      ];
      for (let i = 0; i < LOADS; i++) {
        for (let k = 0; k < kinds.length; k++) await kinds[(i + k) % kinds.length]!();
      }
    } finally {
      await browser.close();
      await app.close();
      await plain.close();
    }
    const ratio = (k: 'heading' | 'fcp' | 'interactive', base: 'heading' | 'fcp' = k === 'fcp' ? 'fcp' : 'heading', against = statics) => apps.map((a, i) => a[k] / against[i]![base]);
    console.log(`first render, ${LOADS} cold loads each, min / median / max:`);
    console.log(`  app (home heading in the DOM, prerendered): ${spread(apps.map((a) => a.heading))}`);
    console.log(`  static page (same heading):                 ${spread(statics.map((s) => s.heading))}`);
    const ofMedians = (a: number[], b: number[]) => `${(median(a) / median(b)).toFixed(2)}x`;
    console.log(`  ratio of the medians, app / static:         ${ofMedians(apps.map((a) => a.heading), statics.map((s) => s.heading))} (target <= 2x)`);
    console.log(`  ratio app / static (same pair):             ${spread(ratio('heading'), 2, 'x')}`);
    console.log(`  first contentful paint, app:                ${spread(apps.map((a) => a.fcp))}`);
    console.log(`  first contentful paint, static:             ${spread(statics.map((s) => s.fcp))}`);
    console.log(`  ratio of first contentful paint:            ${spread(ratio('fcp'), 2, 'x')}`);
    console.log(`  static page, test bridge bound:             ${spread(bridged.map((s) => s.heading))}`);
    console.log(`  ratio of the medians, app / bridged static: ${ofMedians(apps.map((a) => a.heading), bridged.map((s) => s.heading))}`);
    console.log(`  ratio app / static with the bridge bound:   ${spread(ratio('heading', 'heading', bridged), 2, 'x')}`);
    console.log(`  app interactive (React attached, hydrated): ${spread(apps.map((a) => a.interactive))}`);
    console.log(`  ratio interactive / static heading:         ${spread(ratio('interactive'), 2, 'x')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
