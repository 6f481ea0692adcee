/**
 * @module
 * The Metrics (Explore) page in a real browser against a real `vigil server` that scrapes its
 * built-in jobs and a static target on a closed port: a query typed into the PromQL editor draws
 * one line per series the API returns, a second query panel shows a table, the state survives a
 * reload through the URL, and a parse error points at its position in the expression.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, dragAcross, withPage } from '../harness/browser.js';
import { freePort } from '../harness/ports.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

/** Polls `/api/v1/query` until `expr` returns at least `min` series; returns how many. */
async function waitForSeries(url: string, expr: string, min: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { data: { result: unknown[] } };
    if (body.data.result.length >= min) return body.data.result.length;
    if (Date.now() > deadline) throw new Error(`${expr}: only ${body.data.result.length} series`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test(
  'Explore: a PromQL query draws one line per series, tables, URL state and error positions',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const closed = await freePort();
    const vigil = await startVigil(t, {
      config: `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: down
    static_configs: [{ targets: ['127.0.0.1:${closed}'] }]
`,
    });
    // The built-in jobs (vigil, node, pushgateway) and the down target: four `up` series.
    const series = await waitForSeries(vigil.url, 'up', 4);
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/`);
      await page.locator('nav').getByRole('link', { name: 'Metrics' }).click();
      await page.waitForURL(/\/graph$/);

      const editor = page.getByRole('textbox', { name: 'Expression 1' });
      await editor.click();
      await page.keyboard.type('up');
      // Completion offers metric names from the server's /api/v1/label/__name__/values.
      const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'up' }).first();
      await option.waitFor();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.waitForURL(/g0\.expr=up/);

      const chart = page.getByTestId('chart');
      await chart.waitFor();
      assert.equal(await chart.getAttribute('data-series-count'), String(series));
      // uPlot's legend: one row per series plus the time row, each named by its labels.
      const legendRows = chart.locator('.u-legend tr.u-series');
      assert.equal(await legendRows.count(), series + 1);
      assert.match(
        (await chart.locator('.u-legend').textContent()) ?? '',
        /up\{instance="127\.0\.0\.1:\d+", job="down"\}/,
      );
      assert.match(
        (await page.getByTestId('query-stats').textContent()) ?? '',
        new RegExp(`${series} series`),
      );

      // Stacked mode redraws the same series.
      await page.getByRole('button', { name: 'Stacked', exact: true }).click();
      await page.waitForURL(/g0\.display_mode=stacked/);
      await chart.waitFor();
      assert.equal(
        await page.getByTestId('chart').getAttribute('data-series-count'),
        String(series),
      );
      // A shorter range through the range field: the URL follows.
      await page.getByTestId('range-input').fill('2m');
      await page.getByTestId('range-input').press('Enter');
      await page.waitForURL(/g0\.range_input=2m/);
      await page.getByTestId('chart').waitFor();
      await saveScreenshot(page, 'ui-metrics-graph');

      // Dragging across the graph zooms in: the span becomes the range and the end time. The
      // newest fifth of the two minutes, up to the right edge: the server may have been scraping
      // for only a few seconds, and a span that ended 2 s before the graph did once held no
      // sample at all (an empty result, no chart to wait for).
      await dragAcross(page, page.getByTestId('chart').locator('.u-over'), 0.8, 0.999, () =>
        page.waitForURL(
          (url) => {
            const range = url.searchParams.get('g0.range_input') ?? '';
            return range !== '2m' && url.searchParams.get('g0.end_input') !== null;
          },
          { timeout: 10_000 },
        ),
      );
      const range = new URL(page.url()).searchParams.get('g0.range_input')!;
      // A fifth of 120 s, in whole seconds, give or take the plot's edges.
      assert.match(range, /^(?:1\d|2\d|3\d)s$/, `zoomed to ${range}`);
      await page.getByTestId('chart').waitFor();
      await page.goBack();
      await page.waitForURL(/g0\.range_input=2m/);

      // A second query, as a table.
      await page.getByTestId('add-query').click();
      const second = page.getByTestId('query-panel').nth(1);
      await second.getByRole('textbox', { name: 'Expression 2' }).click();
      // Label values complete from the server too.
      await page.keyboard.type('up{job="');
      await page.locator('.cm-tooltip-autocomplete li', { hasText: 'pushgateway' }).waitFor();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText('sum by (job) (up)');
      await page.keyboard.press('Escape');
      await second.getByRole('tab', { name: 'Table' }).click();
      await second.getByTestId('execute').click();
      await second.getByTestId('result-table').waitFor();
      assert.equal(await second.getByTestId('result-row').count(), 4);

      // The URL carries both panels: a reload restores them.
      await page.reload();
      await page.getByTestId('query-panel').nth(1).getByTestId('result-table').waitFor();
      assert.equal(await page.getByTestId('query-panel').count(), 2);
      assert.equal(
        await page
          .getByTestId('query-panel')
          .first()
          .getByTestId('chart')
          .getAttribute('data-series-count'),
        String(series),
      );

      // Auto-refresh re-runs the graph (which ends at now) without blanking it.
      let rangeQueries = 0;
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/query_range')) rangeQueries++;
      });
      await page.getByTestId('auto-refresh').selectOption('5s');
      await page.waitForURL(/refresh=5s/);
      const refreshDeadline = Date.now() + 15_000;
      while (rangeQueries < 2) {
        assert.ok(Date.now() < refreshDeadline, `${rangeQueries} refreshes in 15 s`);
        await page.waitForTimeout(250);
      }
      assert.equal(await page.getByTestId('chart').count(), 1);
      await page.getByTestId('auto-refresh').selectOption('');
      await page.waitForURL((url) => !url.search.includes('refresh='));

      // A parse error names and points at its position.
      const first = page.getByTestId('query-panel').first();
      await first.getByRole('textbox', { name: 'Expression 1' }).click();
      await page.keyboard.press('Control+a');
      // insertText: typing would let the editor close the brackets it opens.
      await page.keyboard.insertText('sum(rate(up[1m]) +');
      await page.keyboard.press('Escape');
      await first.getByTestId('execute').click();
      const pointer = first.getByTestId('query-error-pointer');
      await pointer.waitFor();
      assert.match(
        (await first.getByTestId('query-error-message').textContent()) ?? '',
        /parse error/,
      );
      const [line, caret] = ((await pointer.textContent()) ?? '').split('\n');
      assert.equal(line, 'sum(rate(up[1m]) +');
      assert.match(caret ?? '', /^ {18}\^ 1:19$/);
      await saveScreenshot(page, 'ui-metrics-error');

      // The theme switch: Auto → Light → Dark, kept across a reload.
      const toggle = page.getByTestId('theme-toggle');
      await toggle.click();
      await toggle.click();
      assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
      await page.reload();
      await page.getByTestId('query-panel').nth(1).getByTestId('result-table').waitFor();
      assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
      // A string expression: this file is type-checked without the DOM library.
      const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.equal(background, 'rgb(13, 17, 23)');
      await saveScreenshot(page, 'ui-metrics-dark');

      // The metrics explorer lists names with their type; choosing one inserts it.
      await page.getByTestId('add-query').click();
      const third = page.getByTestId('query-panel').nth(2);
      await third.getByTestId('open-metrics-explorer').click();
      const explorer = page.getByTestId('metrics-explorer');
      await explorer.getByRole('searchbox').fill('process cpu seconds');
      const metric = explorer.getByTestId('metric-option').first();
      await metric.waitFor();
      assert.match((await metric.textContent()) ?? '', /process_cpu_seconds_total.*counter/);
      await explorer.getByRole('searchbox').press('Enter');
      await explorer.waitFor({ state: 'hidden' });
      assert.equal(
        await third.getByRole('textbox', { name: 'Expression 3' }).textContent(),
        'process_cpu_seconds_total',
      );
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);
