/**
 * @module
 * Screenshots that browser tests keep as artifacts in test-results/, pass or fail, so a reviewer
 * can see what the page looked like.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const RESULTS_DIR = new URL('../../test-results/', import.meta.url).pathname;

/**
 * Saves a full-page screenshot as `test-results/<name>.png` and returns its path.
 *
 * @example
 * await saveScreenshot(page, 'ui-metrics-graph');
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
