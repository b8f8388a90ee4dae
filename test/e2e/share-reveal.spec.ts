/**
 * The share reveal fits the room's screens: while "Hold to show my share" is held, all 37 words and
 * the QR lie inside the viewport at 1280x800 and 1366x768, in normal and large text, and neither a
 * wheel turn nor the pointer drifting off the button hides them.
 */
import type { Page } from '@playwright/test';
import type { HandlerTable } from '../../electron/contract/index';
import { openWithRunner, ROOT_POLICY, rootScript } from './ceremony-driver';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, goTo, screenshot, SCREENS_DIR, test, TOKEN_LABEL } from './harness';
import { driveUntil } from './table-driver';

async function upToFirstShare(table: HandlerTable): Promise<void> {
  await driveUntil(table, rootScript(TOKEN_LABEL, 'e2e-reveal'), ROOT_POLICY, (v) => v.need.kind === 'show-share');
}

/** Every word box and the QR that is not wholly inside the viewport, described; plus how many there were. */
async function outsideViewport(page: Page): Promise<{ outside: string[]; words: number; qr: number }> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const words = [...document.querySelectorAll('[data-testid="share-display"] .cer-words__item')];
    const qr = [...document.querySelectorAll('[data-testid="share-display"] img')];
    const outside: string[] = [];
    for (const el of [...words, ...qr]) {
      const r = el.getBoundingClientRect();
      // Inside, and not covered by anything else (the element at its centre is itself or within it).
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const covered = !hit || !(el === hit || el.contains(hit));
      if (r.width === 0 || r.height === 0 || r.left < 0 || r.top < 0 || r.right > vw || r.bottom > vh || covered) {
        outside.push(`${el.textContent || el.tagName} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)} in ${vw}x${vh}${covered ? ' (covered)' : ''}`);
      }
    }
    return { outside, words: words.length, qr: qr.length };
  });
}

/** A viewport screenshot (a full-page one would resize the window under the held button). */
async function viewShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
}

async function expectAllShown(page: Page, where: string): Promise<void> {
  const got = await outsideViewport(page);
  expect({ where, ...got }).toEqual({ where, outside: [], words: 37, qr: 1 });
}

const SIZES = [{ width: 1280, height: 800 }, { width: 1366, height: 768 }] as const;

test('the held share shows all 37 words and the QR inside the window, at laptop sizes and in large text; the wheel and a drifting pointer do not hide it', async ({ page, keyrite }) => {
  await openWithRunner(keyrite);
  await upToFirstShare(keyrite.table!);
  await page.setViewportSize(SIZES[0]);
  await goTo(page, 'Ceremony');
  await page.getByRole('button', { name: 'I am Carol: continue' }).click();
  const hold = page.getByRole('button', { name: /Hold to show my share|Showing/ });
  const display = page.getByTestId('share-display');
  await expect(display).toHaveCount(0);

  for (const large of [false, true]) {
    if (large) {
      await page.getByRole('button', { name: 'Large text' }).click();
      await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
    }
    for (const size of SIZES) {
      const where = `${size.width}x${size.height}${large ? ' large text' : ''}`;
      await page.setViewportSize(size);
      await hold.scrollIntoViewIfNeeded();
      const box = (await hold.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await expect(page.locator('.cer-words__word')).toHaveCount(37);
      await expectAllShown(page, where);
      await viewShot(page, `reveal-held-${size.width}x${size.height}${large ? '-large' : ''}`);
      // A turn of the wheel over the share, then the hand drifting off the button to the corner.
      await page.mouse.wheel(0, 600);
      await expectAllShown(page, `${where} after the wheel`);
      await page.mouse.move(5, 5, { steps: 5 });
      await expectAllShown(page, `${where} after the pointer left the button`);
      await expect(hold).toHaveAttribute('aria-pressed', 'true');
      // Letting go anywhere hides it, and the words leave the page.
      await page.mouse.up();
      await expect(display).toHaveCount(0);
      await expect(page.locator('.cer-words__word')).toHaveCount(0);
    }
  }

  // The keyboard's hold (Space on the focused button) shows the same, and the wheel does not hide it.
  await hold.focus();
  await page.keyboard.down('Space');
  await expect(page.locator('.cer-words__word')).toHaveCount(37);
  await page.mouse.wheel(0, 600);
  await expectAllShown(page, 'Space held, large text, after the wheel');
  await page.keyboard.up('Space');
  await expect(display).toHaveCount(0);
  await screenshot(page, 'reveal-released');
});


