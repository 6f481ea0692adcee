/**
 * @module
 * The Targets page in a real browser against a real `vigil server` scraping its built-in jobs
 * and a static target on a closed port: the down target shows with its connection error, the
 * health filter (kept in the URL) leaves only it, its labels before relabeling open on request,
 * and the service discovery view lists every pool.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { freePort } from '../harness/ports.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

test(
  'Targets: a down target shows its error, filters by health, labels before relabeling, discovery',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const closed = await freePort();
    const vigil = await startVigil(t, {
      config: `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: down
    static_configs: [{ targets: ['127.0.0.1:${closed}'], labels: { team: storage } }]
    relabel_configs:
      - source_labels: [team]
        target_label: owner
`,
    });
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/`);
      await page.locator('nav').getByRole('link', { name: 'Targets' }).click();
      await page.waitForURL(/\/targets$/);

      const downPool = page.locator('[data-testid="target-pool"][data-pool="down"]');
      const downRow = downPool.locator('[data-testid="target-row"][data-health="down"]');
      // The first scrape happens within the scrape interval; the page refreshes every 5 s.
      await downRow.waitFor({ timeout: 20_000 });
      assert.equal((await downRow.getByTestId('target-health').textContent())?.trim(), 'DOWN');
      const error = (await downRow.getByTestId('target-error').textContent()) ?? '';
      assert.match(
        error,
        new RegExp(`127\\.0\\.0\\.1:${closed}.*ECONNREFUSED|ECONNREFUSED.*${closed}`),
      );
      assert.match((await downRow.textContent()) ?? '', /owner="storage"/);
      await page.locator('[data-testid="target-row"][data-health="up"]').first().waitFor();

      // Health filter: only the down target remains, and the URL says so.
      await page.getByTestId('health-down').click();
      await page.waitForURL(/health=down/);
      const rows = page.getByTestId('target-row');
      assert.equal(await rows.count(), 1);
      assert.equal(await page.getByTestId('target-pool').count(), 1);

      // Labels before relabeling: __address__ and the static label, without `owner`.
      await downRow.getByRole('button', { name: /labels before relabeling/ }).click();
      const discovered = (await downRow.getByTestId('discovered-labels').textContent()) ?? '';
      assert.match(discovered, new RegExp(`__address__="127\\.0\\.0\\.1:${closed}"`));
      assert.doesNotMatch(discovered, /owner=/);
      await saveScreenshot(page, 'ui-targets-down');

      // A reload keeps the filter.
      await page.reload();
      await downRow.waitFor();
      assert.equal(await page.getByTestId('target-row').count(), 1);

      await page.getByTestId('sd-view').click();
      await page.waitForURL(/view=sd/);
      await page.getByTestId('sd-pool').first().waitFor();
      assert.equal(await page.getByTestId('sd-pool').count(), 4, 'vigil, node, pushgateway, down');
      await saveScreenshot(page, 'ui-targets-discovery');
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);
