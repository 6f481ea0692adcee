/**
 * @module
 * The Dashboards page in a real browser against a real `vigil server` that scrapes its built-in
 * jobs and holds generated log lines: a new dashboard gets a multi-value variable and two panels,
 * is saved, and after a reload shows them with the right number of series; choosing another
 * variable value changes the time series panel's query (and the URL); a panel resized by
 * dragging keeps its new size through a save; the built-in dashboards are listed and open, the
 * Kubernetes one with its log volume and error lines.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { CHROMIUM, dragAcross, withPage } from '../harness/browser.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

/** Types into a CodeMirror editor: insertText, since typing would auto-close brackets. */
async function typeQuery(page: Page, box: Locator, text: string): Promise<void> {
  await box.click();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
}

/** Panel 1's chart once it draws two series. */
const TWO_SERIES = '[data-panel-id="1"] [data-testid="chart"][data-series-count="2"]';

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

/** Ingests `n` lines per namespace in the last minutes; every third is an error. */
async function ingestLogs(url: string, namespaces: string[], n: number): Promise<number> {
  const now = Date.now();
  const lines: string[] = [];
  for (const ns of namespaces) {
    for (let i = 0; i < n; i++) {
      lines.push(
        JSON.stringify({
          '@timestamp': new Date(now - 60_000 - i * 1000).toISOString(),
          message: `request ${i} in ${ns}`,
          level: i % 3 === 0 ? 'error' : 'info',
          kubernetes: { namespace: ns, pod: { name: `${ns}-pod` } },
        }),
      );
    }
  }
  const res = await fetch(`${url}/api/v1/logs/ingest?index=logs-k8s`, {
    method: 'POST',
    body: lines.join('\n') + '\n',
  });
  const body = (await res.json()) as { data: { created: number } };
  assert.equal(body.data.created, lines.length);
  return lines.length;
}

/** The element's box once two reads 100 ms apart agree (it is not moving). */
async function settledBox(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const box = await locator.boundingBox();
    if (box !== null && last !== null && JSON.stringify(box) === JSON.stringify(last)) return box;
    last = box;
  }
  throw new Error('the element did not stop moving');
}

test(
  'Dashboards: create with a variable and two panels, save, reload, variables, resize, built-ins',
  { skip: noChromium, timeout: 180_000 },
  async (t) => {
    const vigil = await startVigil(t, { config: 'global:\n  scrape_interval: 1s\n' });
    // The built-in jobs: vigil, node, pushgateway.
    const jobs = await waitForSeries(vigil.url, 'up', 3);
    assert.equal(jobs, 3);
    const logLines = await ingestLogs(vigil.url, ['shop', 'payments'], 30);

    await withPage(t, async (page) => {
      page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? 'E2E board' : undefined));
      await page.goto(`${vigil.url}/`);
      await page.locator('nav').getByRole('link', { name: 'Dashboards' }).click();
      await page.waitForURL(/\/dashboards$/);
      // The built-in dashboards are listed.
      const rows = page.getByTestId('dashboard-row');
      await rows.first().waitFor();
      const titles = await rows.locator('td:first-child a').allTextContents();
      for (const title of ['Kubernetes cluster', 'Node', 'Vigil itself']) {
        assert.ok(titles.includes(title), `${title} in ${titles.join(', ')}`);
      }

      // New dashboard: the prompt's title, opened in edit mode.
      await page.getByTestId('new-dashboard').click();
      // It opens in edit mode (`edit=1`, which the page then drops from the URL).
      await page.waitForURL(/uid=/);
      await page.getByTestId('add-panel').waitFor();
      const uid = new URL(page.url()).searchParams.get('uid')!;
      assert.equal(await page.getByTestId('dashboard-title').textContent(), 'E2E board');

      // A multi-value variable over the jobs.
      await page.getByTestId('open-settings').click();
      await page.getByTestId('add-variable').click();
      await page.getByTestId('variable-name').fill('job');
      await page.getByTestId('variable-query').fill('label_values(up, job)');
      await page.getByTestId('variable-multi').check();
      await page.getByTestId('settings-apply').click();
      await page.getByTestId('var-job').waitFor();

      // Panel 1: time series of up for the chosen jobs, named by job.
      await page.getByTestId('add-panel').click();
      let editor = page.getByTestId('panel-editor');
      await editor.getByTestId('panel-title').fill('Up by job');
      await typeQuery(page, editor.getByRole('textbox', { name: 'Query A' }), 'up{job=~"$job"}');
      await editor.getByRole('textbox', { name: 'Legend A' }).fill('{{job}}');
      await editor.getByTestId('panel-apply').click();
      // Panel 2: a table of every target.
      await page.getByTestId('add-panel').click();
      editor = page.getByTestId('panel-editor');
      await editor.getByTestId('panel-title').fill('Targets');
      await editor.getByTestId('panel-type').selectOption('table');
      await typeQuery(page, editor.getByRole('textbox', { name: 'Query A' }), 'up');
      await editor.getByTestId('panel-apply').click();
      assert.equal(await page.getByTestId('panel').count(), 2);

      // Resize panel 1 by dragging its corner 4 columns wider... it is 12 wide, so 16.
      const cell = page.locator('[data-panel-id="1"]');
      const before = (await cell.boundingBox())!;
      const handle = cell.getByTestId('resize-handle');
      const hb = (await handle.boundingBox())!;
      const colPx = (before.width + 8) / 12;
      await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
      await page.mouse.down();
      await page.mouse.move(hb.x + 4 * colPx, hb.y + 40, { steps: 5 });
      await page.mouse.up();
      // Drag panel 2 by its header to the top-left corner: panel 1 makes room below it.
      // Panel 2 slides down (a CSS transition) as panel 1 grows: measure once it has stopped.
      const title2 = page.locator('[data-panel-id="2"] .dash-panel-title');
      const tb = await settledBox(title2);
      const grid = (await page.getByTestId('dashboard-grid').boundingBox())!;
      const cell2 = await settledBox(page.locator('[data-panel-id="2"]'));
      await page.mouse.move(tb.x + 10, tb.y + 5);
      await page.mouse.down();
      await page.mouse.move(tb.x + 10 - (cell2.x - grid.x), tb.y + 5 - (cell2.y - grid.y), {
        steps: 8,
      });
      await page.mouse.up();
      await page.getByTestId('save-dashboard').click();
      await page.getByTestId('edit-dashboard').waitFor();

      const saved = (await (await fetch(`${vigil.url}/api/v1/dashboards/${uid}`)).json()) as {
        data: {
          dashboard: {
            panels: { id: number; gridPos: { x: number; y: number; w: number; h: number } }[];
          };
        };
      };
      const p1 = saved.data.dashboard.panels.find((p) => p.id === 1)!;
      const p2 = saved.data.dashboard.panels.find((p) => p.id === 2)!;
      assert.equal(p1.gridPos.w, 16);
      assert.ok(p1.gridPos.h > 8, `height ${p1.gridPos.h}`);
      assert.deepEqual([p2.gridPos.x, p2.gridPos.y], [0, 0]);
      assert.equal(p1.gridPos.y, p2.gridPos.h);

      // Reload: the saved dashboard with both panels; the variable's saved choice is one job.
      await page.reload();
      const chart = page.locator('[data-panel-id="1"]').getByTestId('chart');
      await chart.waitFor();
      assert.equal(await page.getByTestId('panel').count(), 2);
      assert.equal(await chart.getAttribute('data-series-count'), '1');
      const table = page.locator('[data-panel-id="2"]').getByTestId('panel-table-row');
      await table.first().waitFor();
      assert.equal(await table.count(), jobs);

      // A second job in the variable: the panel's query now matches two series.
      await page.getByTestId('var-job').click();
      await page.getByRole('group', { name: 'Values of job' }).getByLabel('vigil').check();
      await page.waitForURL(/var-job=node&var-job=vigil|var-job=vigil&var-job=node/);
      await page.waitForSelector(TWO_SERIES);
      const legend = (await chart.locator('.u-legend').textContent()) ?? '';
      assert.match(legend, /vigil/);
      assert.match(legend, /node/);
      await saveScreenshot(page, 'ui-dashboards-custom');
      // The URL holds the choice: a reload keeps it.
      await page.reload();
      await page.waitForSelector(TWO_SERIES);

      // Auto-refresh: the URL holds the interval and the panels query again without blanking.
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
      await page.waitForSelector(TWO_SERIES);
      await page.getByTestId('auto-refresh').selectOption('');

      // The time picker: a quick range goes to the URL and the panels query it.
      await page.getByTestId('time-picker').click();
      await page.getByRole('button', { name: 'Last 5 minutes' }).click();
      await page.waitForURL(/from=now-5m&to=now/);
      await page.waitForSelector(TWO_SERIES);
      assert.equal(await page.getByTestId('time-picker').textContent(), 'Last 5 minutes');

      // Dragging across a graph zooms the whole dashboard to that span: absolute times in the URL.
      await dragAcross(page, page.locator(`${TWO_SERIES} .u-over`), 0.78, 0.98, () =>
        page.waitForURL(/from=\d{13}&to=\d{13}/, { timeout: 10_000 }),
      );
      const zoomed = new URL(page.url()).searchParams;
      const span = Number(zoomed.get('to')) - Number(zoomed.get('from'));
      // A fifth of the 5 minutes shown, give or take the plot's edges.
      assert.ok(span > 30_000 && span < 100_000, `zoomed to ${span} ms`);
      await page.waitForSelector(TWO_SERIES);
      await page.goBack();
      await page.waitForURL(/from=now-5m&to=now/);

      // Import pasted JSON: a new dashboard opens with its stat panel.
      await page.goto(`${vigil.url}/dashboards`);
      await page.getByTestId('import-dashboard').click();
      await page.getByTestId('import-json').fill(
        JSON.stringify({
          dashboard: {
            uid: 'imported',
            title: 'Imported board',
            panels: [
              {
                id: 1,
                type: 'stat',
                title: 'Targets up',
                gridPos: { x: 0, y: 0, w: 6, h: 4 },
                targets: [{ expr: 'sum(up)', instant: true }],
              },
            ],
          },
        }),
      );
      await page.getByTestId('import-submit').click();
      await page.waitForURL(/uid=imported/);
      const stat = page.getByRole('region', { name: 'Targets up' }).getByTestId('stat-value');
      await stat.waitFor();
      assert.equal(await stat.textContent(), String(jobs));
      // Importing it again: the uid is taken, and the dialog says so.
      await page.goto(`${vigil.url}/dashboards`);
      await page.getByTestId('import-dashboard').click();
      await page.getByTestId('import-json').fill(JSON.stringify({ uid: 'imported', title: 'x' }));
      await page.getByTestId('import-submit').click();
      assert.match(
        (await page.getByTestId('import-error').textContent()) ?? '',
        /uid "imported" exists/,
      );
      await page.keyboard.press('Escape');

      // Duplicate a built-in dashboard, then delete the copy.
      await page.getByRole('button', { name: 'Duplicate Node', exact: true }).click();
      const copyRow = page.getByTestId('dashboard-row').filter({ hasText: 'Node (copy)' });
      await copyRow.waitFor();
      assert.equal(await copyRow.getByText('provisioned').count(), 0);
      await copyRow.getByRole('button', { name: 'Delete Node (copy)' }).click();
      await copyRow.waitFor({ state: 'detached' });
      await saveScreenshot(page, 'ui-dashboards-list');

      // Built-in dashboards open.
      await page.goto(`${vigil.url}/dashboards`);
      await page.getByTestId('dashboard-search').fill('kubernetes');
      assert.equal(await page.getByTestId('dashboard-row').count(), 1);
      await page.getByRole('link', { name: 'Kubernetes cluster' }).click();
      await page.waitForURL(/uid=vigil-kubernetes/);
      const volume = page.getByTestId('log-volume').first();
      await volume.waitFor();
      assert.equal(await volume.getAttribute('data-total'), String(logLines));
      const errorVolume = page.locator('[data-panel-id="11"]').getByTestId('log-volume');
      await errorVolume.waitFor();
      assert.equal(await errorVolume.getAttribute('data-total'), String(logLines / 3));
      const errorLines = page.locator('[data-panel-id="12"]').getByTestId('log-line');
      await errorLines.first().waitFor();
      assert.equal(await errorLines.count(), logLines / 3);
      await saveScreenshot(page, 'ui-dashboards-kubernetes');

      await page.goto(`${vigil.url}/dashboards?uid=vigil-self`);
      await page.getByTestId('dashboard-title').waitFor();
      assert.equal(await page.getByTestId('dashboard-title').textContent(), 'Vigil itself');
      const headSeries = page
        .getByRole('region', { name: 'Head series' })
        .getByTestId('stat-value');
      await headSeries.waitFor();
      assert.match((await headSeries.textContent()) ?? '', /^\d/);
      await page.locator('[data-panel-id="7"]').getByTestId('chart').waitFor();
      // The version stat shows the build_info label, as the status API reports it.
      const info = (await (await fetch(`${vigil.url}/api/v1/status/buildinfo`)).json()) as {
        data: { version: string };
      };
      const version = page.getByRole('region', { name: 'Version' }).getByTestId('stat-value');
      assert.equal(await version.textContent(), info.data.version);
      // Every time series panel has data once the variable is resolved (no empty-value query).
      await page.locator('[data-panel-id="15"]').getByTestId('chart').waitFor();
      await saveScreenshot(page, 'ui-dashboards-vigil');

      await page.goto(`${vigil.url}/dashboards?uid=vigil-node`);
      const cores = page.getByRole('region', { name: 'CPU cores' }).getByTestId('stat-value');
      await cores.waitFor();
      assert.match((await cores.textContent()) ?? '', /^[1-9]\d*$/);
      await page.locator('[data-panel-id="7"]').getByTestId('chart').waitFor();
      await saveScreenshot(page, 'ui-dashboards-node');
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);
