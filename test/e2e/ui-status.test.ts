import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAgent } from '../harness/agent.js';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil, tempDir } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

test(
  'the web app loads at / and its Status page shows live version and uptime',
  { skip: noChromium },
  async (t) => {
    const vigil = await startVigil(t);
    const build = (await (await fetch(`${vigil.url}/api/v1/status/buildinfo`)).json()) as {
      data: { version: string };
    };
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/`);
      const nav = page.locator('nav');
      for (const section of ['Logs', 'Metrics', 'Dashboards', 'Alerts', 'Targets', 'Status']) {
        await nav.getByText(section, { exact: true }).waitFor();
      }
      await nav.getByRole('link', { name: 'Status' }).click();
      await page.waitForURL(/\/status$/);
      const version = page.getByTestId('version');
      await version.waitFor();
      assert.equal((await version.textContent())?.trim(), build.data.version);

      const uptime = page.getByTestId('uptime');
      await uptime.waitFor();
      const first = await uptime.textContent();
      assert.match(first ?? '', /\d+s/);
      // Live: the uptime moves on without a reload.
      const deadline = Date.now() + 5_000;
      while ((await uptime.textContent()) === first) {
        assert.ok(Date.now() < deadline, `uptime stuck at ${first}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await page.getByTestId('ready').waitFor();
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'the Status page shows TSDB figures, log indices with their documents and connected agents',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const vigil = await startVigil(t, { config: 'global:\n  scrape_interval: 1s\n' });
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ message: `line ${i}` }));
    const ingest = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-status`, {
      method: 'POST',
      body: `${lines.join('\n')}\n`,
    });
    assert.equal(ingest.status, 200);

    // An agent on node "status-node-1" tails a file and ships it to the server.
    const dir = tempDir(t);
    writeFileSync(join(dir, 'app.log'), 'first\nsecond\nthird\n');
    const config = join(dir, 'agent.yml');
    writeFileSync(
      config,
      `node_name: status-node-1\ndata_dir: ${join(dir, 'state')}\n` +
        `inputs:\n  - name: app\n    include: ['${dir}/*.log']\n` +
        `outputs:\n  - { name: v, type: vigil, url: '${vigil.url}', index: logs-agent }\n`,
    );
    const agent = startAgent(t, ['--config', config]);
    await agent.url;

    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/status`);
      // The head fills with the built-in scrapes: more than a handful of series.
      const series = page.getByTestId('head-series');
      await series.waitFor();
      await waitFor(async () => Number((await series.textContent())?.replace(/,/g, '')) > 10);
      assert.ok(
        Number((await page.getByTestId('head-chunks').textContent())?.replace(/,/g, '')) > 0,
      );
      await page
        .getByTestId('series-by-metric')
        .locator('tr[data-name="vigil_http_requests_total"]')
        .waitFor();
      await page.getByTestId('values-by-label').locator('tr[data-name="__name__"]').waitFor();
      await page.getByTestId('series-by-pair').locator('tr[data-name="job=vigil"]').waitFor();

      const index = page.locator('[data-testid="index-row"][data-index="logs-status"]');
      await index.waitFor();
      // Documents become visible to reads within a second of their write.
      await waitFor(async () => (await index.getByTestId('index-docs').textContent()) === '25');
      assert.match((await index.textContent()) ?? '', /30d/);

      const row = page.locator('[data-testid="agent-row"][data-node="status-node-1"]');
      await row.waitFor({ timeout: 20_000 });
      assert.match((await row.getByTestId('agent-last-seen').textContent()) ?? '', /\d+s ago/);
      assert.equal(await row.getByTestId('agent-docs').textContent(), '3');
      // Everything in its file was read by the time it sent: nothing unread.
      assert.equal(await row.getByTestId('agent-unread').textContent(), '0 B');
      const version = (await page.getByTestId('version').textContent())?.trim() ?? '';
      assert.match((await row.textContent()) ?? '', new RegExp(version.replace(/\./g, '\\.')));
      await saveScreenshot(page, 'ui-status-figures');
    });
    await agent.kill('SIGTERM');
  },
);

async function waitFor(ok: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    assert.ok(Date.now() < deadline, 'timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 250));
  }
}
