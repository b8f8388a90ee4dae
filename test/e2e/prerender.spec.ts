/**
 * Home is prerendered into the built index.html (issue #17): the page carries the first screen in
 * its HTML, and React takes that markup over (hydrates it) without a hydration error; a window not
 * in the state the build rendered (no bridge, large text on) is rendered afresh, also without error.
 */
import type { Page } from '@playwright/test';
import { test, expect, goTo, screenshot } from './harness';

/** React's errors and warnings, and uncaught page errors, from the moment the page starts. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Keeps the home heading the HTML parser inserted, to tell a hydrated page from one rendered afresh. */
const KEEP_PARSED_HEADING = `new MutationObserver((_, o) => {
  const h = document.getElementById('home-title');
  if (h) { window.__parsedHeading = h; o.disconnect(); }
}).observe(document, { childList: true, subtree: true });`;

const interactive = (page: Page) => expect(page.locator('#root')).toHaveAttribute('data-interactive', 'true');
const sameHeading = (page: Page) => page.evaluate(() => (window as unknown as { __parsedHeading?: Element }).__parsedHeading === document.getElementById('home-title'));

test('the built page holds Home in its HTML, with no inline script or style', async ({ page, rendererServer }) => {
  const html = await (await page.request.get(rendererServer.url)).text();
  const root = html.slice(html.indexOf('<div id="root">'));
  expect(root).toContain('<h1 id="home-title">Key ceremonies</h1>');
  expect(root).toContain('Start a ceremony');
  // The CSP has no 'unsafe-inline': prerendering adds markup only.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|\sstyle="/);
});

test('Keyrite\'s window hydrates the prerendered Home, with no hydration error, and it works', async ({ page, keyrite }) => {
  const errors = collectErrors(page);
  // Ignore the browser's own favicon request (the served folder has none).
  await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
  await page.addInitScript({ content: KEEP_PARSED_HEADING });
  await keyrite.open();
  await interactive(page);
  expect(await sameHeading(page)).toBe(true);
  await expect(page.getByText('This window is not connected to Keyrite')).toHaveCount(0);
  await expect(page.locator('.rehearsal-banner')).toBeVisible();
  await screenshot(page, 'prerender-home-hydrated');
  await goTo(page, 'Ceremony');
  await expect(page.getByRole('heading', { level: 1, name: 'Run a ceremony' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('with large text on, the page is rendered afresh, with no hydration error', async ({ page, keyrite }) => {
  const errors = collectErrors(page);
  await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
  await page.addInitScript({ content: `localStorage.setItem('keyrite.largeText', '1'); ${KEEP_PARSED_HEADING}` });
  await keyrite.open();
  await interactive(page);
  expect(await sameHeading(page)).toBe(false);
  await expect(page.getByRole('button', { name: 'Large text' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  expect(errors).toEqual([]);
});

test('a page opened outside Keyrite says so, rendered afresh, with no hydration error', async ({ page, rendererServer }) => {
  const errors = collectErrors(page);
  await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
  await page.goto(rendererServer.url);
  await interactive(page);
  await expect(page.locator('.banner-title', { hasText: 'This window is not connected to Keyrite' }).first()).toBeVisible();
  expect(errors).toEqual([]);
});
