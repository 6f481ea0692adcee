/**
 * @module
 * The Alerts page in a real browser: `vigil server` evaluates an always-firing and an
 * always-pending rule and sends to a real `vigil alertmanager`. When the server embeds an
 * Alertmanager at `/alertmanager` the page uses that one; when it does not, the browser's
 * requests to `/alertmanager/*` on the server's origin are forwarded to the standalone one, the
 * path the page uses for an embedded Alertmanager. The test silences the firing alert from its "Silence…" button (matchers prefilled from its labels),
 * sees it silenced, edits the silence, and expires it.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startVigilAlertmanager } from '../harness/alertmanager.js';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil, tempDir } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

const AM_CONFIG = `route:
  receiver: team-pager
receivers:
  - name: team-pager
  - name: blackhole
`;

const RULES = `
groups:
  - name: ui-test
    interval: 1s
    rules:
      - alert: AlwaysOn
        expr: vector(42)
        labels: { severity: page }
        annotations: { summary: 'value is {{ $value }}' }
      - alert: SlowBurn
        expr: vector(1)
        for: 1h
        labels: { severity: ticket }
      - record: answer
        expr: vector(42)
`;

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}

/** Sends the page's `/alertmanager/…` requests to `amUrl`, as an embedding server would. */
async function forwardAlertmanager(page: Page, vigilUrl: string, amUrl: string): Promise<void> {
  await page.route(`${vigilUrl}/alertmanager/**`, async (route) => {
    const url = new URL(route.request().url());
    const target = amUrl + url.pathname.slice('/alertmanager'.length) + url.search;
    await route.fulfill({ response: await route.fetch({ url: target }) });
  });
}

test(
  'Alerts: rules and alerts; silence a firing alert from the page, edit and expire the silence',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const am = await startVigilAlertmanager(t, AM_CONFIG);
    const rulesFile = join(tempDir(t, 'vigil-ui-alerts-'), 'rules.yml');
    writeFileSync(rulesFile, RULES);
    const vigil = await startVigil(t, {
      config: `global:
  evaluation_interval: 1s
rule_files: ['${rulesFile}']
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['${new URL(am.url).host}'] }]
`,
    });
    // A server that embeds the Alertmanager serves it at /alertmanager; otherwise the page's
    // requests there go to the standalone one, as they would to an embedded one.
    const embedded = await fetch(`${vigil.url}/alertmanager/api/v2/status`).then(
      (r) => r.ok && (r.headers.get('content-type') ?? '').includes('application/json'),
      () => false,
    );
    const amBase = embedded ? `${vigil.url}/alertmanager` : am.url;
    const amAlerts = async () =>
      (await (await fetch(`${amBase}/api/v2/alerts`)).json()) as AmAlert[];
    const deadline = Date.now() + 20_000;
    while ((await amAlerts()).length === 0) {
      assert.ok(Date.now() < deadline, `no alert reached the Alertmanager:\n${am.log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const receivers = (
      (await (await fetch(`${amBase}/api/v2/receivers`)).json()) as { name: string }[]
    )
      .map((r) => r.name)
      .sort();

    await withPage(t, async (page) => {
      page.on('dialog', (dialog) => void dialog.accept());
      if (embedded) {
        t.diagnostic('the server embeds an Alertmanager: the page uses it, nothing forwarded');
      } else {
        // Without an Alertmanager behind /alertmanager the page says so instead of failing.
        await page.goto(`${vigil.url}/alerts?tab=silences`);
        await page.getByTestId('no-alertmanager').waitFor();
        await forwardAlertmanager(page, vigil.url, am.url);
      }
      await page.goto(`${vigil.url}/`);
      await page.locator('nav').getByRole('link', { name: 'Alerts' }).click();
      await page.waitForURL(/\/alerts$/);

      const firing = page.locator('[data-testid="alert-item"][data-state="firing"]');
      await firing.waitFor();
      await page.locator('[data-testid="alert-item"][data-state="pending"]').waitFor();
      assert.match((await firing.textContent()) ?? '', /AlwaysOn/);
      assert.match((await firing.textContent()) ?? '', /value is 42/);

      // An alert another sender gave the Alertmanager is listed apart from the rules' alerts.
      const posted = await fetch(`${amBase}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([
          { labels: { alertname: 'FromElsewhere', team: 'db' }, annotations: { summary: 'x' } },
        ]),
      });
      assert.equal(posted.status, 200);
      const other = page.getByTestId('other-alert');
      await other.waitFor({ timeout: 15_000 });
      assert.match((await other.textContent()) ?? '', /FromElsewhere.*team="db"/);

      // Rules: state, health and last evaluation of each.
      await page.getByTestId('tab-rules').click();
      await page.waitForURL(/tab=rules/);
      const alwaysOn = page.locator('[data-testid="rule-row"][data-rule="AlwaysOn"]');
      await alwaysOn.waitFor();
      assert.match((await alwaysOn.getByTestId('rule-state').textContent()) ?? '', /firing/);
      assert.equal(await page.getByTestId('rule-row').count(), 3);
      await saveScreenshot(page, 'ui-alerts-rules');

      // Silence the firing alert from the Alerts tab.
      await page.getByTestId('tab-alerts').click();
      await firing.getByTestId('silence-alert').click();
      const form = page.getByTestId('silence-form');
      await form.waitFor();
      await page.waitForURL(/tab=silences/);
      const matcherRows = form.getByTestId('matcher-row');
      assert.equal(await matcherRows.count(), 2, 'alertname and severity');
      assert.equal(await form.getByLabel('Matcher 1 value').inputValue(), 'AlwaysOn');
      // Submitting without author and comment lists what is missing.
      await form.getByTestId('silence-submit').click();
      assert.match(
        (await form.getByTestId('silence-problems').textContent()) ?? '',
        /who creates the silence.*comment/,
      );
      await form.getByTestId('silence-author').fill('ui-test');
      await form.getByTestId('silence-comment').fill('planned maintenance');
      assert.match(
        (await form.getByTestId('silence-preview').textContent()) ?? '',
        /Silences 1 of the Alertmanager's 2 current alerts/,
      );
      await form.getByTestId('silence-submit').click();
      await form.waitFor({ state: 'detached' });

      const active = page.getByTestId('silences-active');
      await active.waitFor();
      const row = active.getByTestId('silence-row');
      assert.equal(await row.count(), 1);
      assert.match((await row.textContent()) ?? '', /alertname="AlwaysOn"/);
      assert.match((await row.textContent()) ?? '', /planned maintenance/);
      const silenceId = await row.getAttribute('data-silence-id');
      const held = (await amAlerts()).find((a) => a.labels.alertname === 'AlwaysOn');
      assert.equal(held?.status.state, 'suppressed');
      assert.deepEqual(held?.status.silencedBy, [silenceId]);

      // The Alerts tab shows it silenced.
      await page.getByTestId('tab-alerts').click();
      await firing.getByTestId('alert-silenced').waitFor();
      await saveScreenshot(page, 'ui-alerts-silenced');

      // Edit: a new comment.
      await page.getByTestId('tab-silences').click();
      await row.getByRole('button', { name: 'Edit' }).click();
      await form.getByTestId('silence-comment').fill('maintenance, extended');
      await form.getByTestId('silence-submit').click();
      await form.waitFor({ state: 'detached' });
      await active.getByText('maintenance, extended').waitFor();
      // Same matchers and start: the Alertmanager updates the silence in place.
      assert.equal(await active.getByTestId('silence-row').count(), 1);
      assert.equal(
        await active.getByTestId('silence-row').getAttribute('data-silence-id'),
        silenceId,
      );
      assert.equal(await page.getByTestId('silences-expired').count(), 0);
      await saveScreenshot(page, 'ui-alerts-silences');

      // Expire: the silence moves to Expired and the alert is active again.
      await active.getByTestId('expire-silence').click();
      await page.getByTestId('silences-expired').waitFor();
      await page.getByTestId('silences-active').waitFor({ state: 'detached' });
      const after = (await amAlerts()).find((a) => a.labels.alertname === 'AlwaysOn');
      assert.equal(after?.status.state, 'active');

      // Receivers from the Alertmanager's configuration.
      await page.getByTestId('tab-receivers').click();
      assert.deepEqual(
        (await page.getByTestId('receivers').locator('li').allTextContents()).sort(),
        receivers,
      );
      if (!embedded) assert.deepEqual(receivers, ['blackhole', 'team-pager']);
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);
