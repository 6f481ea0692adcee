/**
 * @module
 * Headless Chromium from Debian's `chromium` package, driven by playwright-core, for browser
 * tests. Each test gets a fresh profile; a failing test leaves a screenshot in test-results/.
 * The flags keep Chromium from reaching for the network, which is closed here.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Locator, type Page } from 'playwright-core';
import { tempDir } from './vigil.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const RESULTS_DIR = new URL('../../test-results/', import.meta.url);

/**
 * Runs `fn` with a page in a fresh browser; on failure saves `test-results/<test name>.png`.
 *
 * @example
 * await withPage(t, async (page) => { await page.goto(vigil.url); });
 */
export async function withPage(t: TestContext, fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await chromium.launchPersistentContext(tempDir(t, 'vigil-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await fn(page);
    } catch (err) {
      const dir = RESULTS_DIR.pathname;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${t.name.replace(/[^a-zA-Z0-9_-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n(screenshot: ${file})`, { cause: err });
    }
  } finally {
    await context.close();
  }
}

/**
 * Drags the mouse across `target` (a chart's plot area) from `from` to `to` of its width, at
 * half its height, until `done` resolves: up to three tries, as a chart redrawn by new data can
 * replace its element during a drag.
 *
 * @example
 * await dragAcross(page, page.locator('.u-over'), 0.8, 0.98, () => page.waitForURL(/from=\d+/, { timeout: 5_000 }));
 */
export async function dragAcross(
  page: Page,
  target: Locator,
  from: number,
  to: number,
  done: () => Promise<unknown>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.waitFor();
      const box = await target.boundingBox();
      if (box === null) throw new Error('the drag target has no box');
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * from, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * to, y, { steps: 8 });
      await page.mouse.up();
      await done();
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}
