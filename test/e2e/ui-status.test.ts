import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { startVigil } from '../harness/vigil.js';

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
