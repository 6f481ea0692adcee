/**
 * Discover's saved searches: in a real browser, a view (query, time range, columns) saved under
 * a name survives a reload and opens again with its query restored; saving under a taken name
 * offers to replace it; deleting removes it. Over HTTP with auth on, viewers read saved searches
 * and editors write them.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { saveScreenshot } from '../harness/screenshot.js';
import { startVigil } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test(
  'Discover: save a search, reload, open it and see its query, range and columns restored',
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const vigil = await startVigil(t);
    const now = Date.now();
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({
        '@timestamp': new Date(now - 60_000 + i * 1000).toISOString(),
        message: `request ${i}`,
        level: i % 4 === 0 ? 'error' : 'info',
        service: i % 2 === 0 ? 'api' : 'web',
      }),
    );
    const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-saved`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    assert.equal(res.status, 200);
    const hitCount = async (page: Page) =>
      Number(((await page.getByTestId('hit-count').textContent()) ?? '').replace(/,/g, ''));

    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/logs?q=level%3Aerror&from=now-2h&col=service`);
      await page.getByTestId('hit-count').waitFor();
      await waitFor('10 error lines', async () => (await hitCount(page)) === 10);

      const menu = page.getByRole('dialog', { name: 'Saved searches' });
      await page.getByTestId('saved-searches-button').click();
      await menu.getByText('No saved searches yet.').waitFor();
      await menu.getByLabel('Name of the saved search').fill('API errors');
      await menu.getByRole('button', { name: 'Save' }).click();
      await menu.getByTestId('saved-search-message').getByText('Saved as “API errors”.').waitFor();
      await menu.locator('[data-saved-search="API errors"]').waitFor();
      // The button names the saved search the page shows.
      await page.getByTestId('saved-searches-button').getByText('★ API errors').waitFor();

      // A fresh page with nothing in the URL: open the saved search from the list.
      await page.goto(`${vigil.url}/logs`);
      await page.getByTestId('hit-count').waitFor();
      // Empty but for its placeholder.
      assert.doesNotMatch((await page.getByTestId('kql-input').textContent()) ?? '', /^level/);
      await page.getByTestId('saved-searches-button').click();
      await menu.getByRole('button', { name: 'API errors' }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === 'level:error');
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('from'), 'now-2h');
      assert.deepEqual(url.searchParams.getAll('col'), ['service']);
      await waitFor(
        'the query in the editor',
        async () => (await page.getByTestId('kql-input').textContent()) === 'level:error',
      );
      await waitFor('10 error lines', async () => (await hitCount(page)) === 10);
      await saveScreenshot(page, 'ui-saved-search-opened');

      // Saving another view under the same name offers to replace the saved one.
      await page.goto(`${vigil.url}/logs?q=service%3Aweb&from=now-2h`);
      await page.getByTestId('hit-count').waitFor();
      await page.getByTestId('saved-searches-button').click();
      await menu.locator('[data-saved-search="API errors"]').waitFor();
      await menu.getByLabel('Name of the saved search').fill('api ERRORS');
      await menu.getByRole('button', { name: 'Save' }).click();
      await menu.getByText('A saved search named “API errors” exists.').waitFor();
      await menu.getByRole('button', { name: 'Replace it' }).click();
      await menu.getByText('“API errors” replaced.').waitFor();
      const stored = (await (await fetch(`${vigil.url}/api/v1/saved-searches`)).json()) as {
        data: { name: string; query: string; columns: string[] }[];
      };
      assert.deepEqual(
        stored.data.map((s) => [s.name, s.query, s.columns]),
        [['API errors', 'service:web', []]],
      );

      const item = menu.locator('[data-saved-search="API errors"]');
      await item.getByRole('button', { name: 'Delete' }).click();
      await item.getByRole('button', { name: 'Delete API errors?' }).click();
      await menu.getByText('No saved searches yet.').waitFor();
    });
  },
);

test('saved searches with auth on: viewers read, editors write', { timeout: 60_000 }, async (t) => {
  const vigil = await startVigil(t, {
    config: 'server:\n  auth:\n    enabled: true\n',
    env: { VIGIL_ADMIN_PASSWORD: 'saved searches admin' },
  });
  const as = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });
  const json = (headers: Record<string, string>) => ({
    ...headers,
    'content-type': 'application/json',
  });
  const admin = as('admin', 'saved searches admin');
  for (const [name, role] of [
    ['vic', 'viewer'],
    ['eddie', 'editor'],
  ] as const) {
    const r = await fetch(`${vigil.url}/api/v1/auth/users`, {
      method: 'POST',
      headers: json(admin),
      body: JSON.stringify({ name, role, password: `${name} password` }),
    });
    assert.equal(r.status, 200, await r.text());
  }
  const viewer = as('vic', 'vic password');
  const editor = as('eddie', 'eddie password');
  const body = JSON.stringify({ name: 'Errors', query: 'level:error' });
  const url = `${vigil.url}/api/v1/saved-searches`;
  assert.equal((await fetch(url, { method: 'POST', headers: json(viewer), body })).status, 403);
  const created = await fetch(url, { method: 'POST', headers: json(editor), body });
  assert.equal(created.status, 201);
  const saved = ((await created.json()) as { data: { id: string; owner: string } }).data;
  assert.equal(saved.owner, 'eddie');
  const listed = (await (await fetch(url, { headers: viewer })).json()) as {
    data: { name: string }[];
  };
  assert.deepEqual(
    listed.data.map((s) => s.name),
    ['Errors'],
  );
  const one = `${url}/${saved.id}`;
  assert.equal((await fetch(one, { headers: viewer })).status, 200);
  assert.equal((await fetch(one, { method: 'DELETE', headers: viewer })).status, 403);
  assert.equal((await fetch(one, { method: 'PUT', headers: json(viewer), body })).status, 403);
  const bad = await fetch(url, {
    method: 'POST',
    headers: json(editor),
    body: '{"name":""}',
  });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { field: string }).field, 'name');
  if (!noChromium) {
    // In the browser a viewer opens saved searches but is offered neither save nor delete.
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/login?next=/logs`);
      await page.getByLabel('User name').fill('vic');
      await page.getByLabel('Password').fill('vic password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/logs');
      await page.getByTestId('saved-searches-button').click();
      const menu = page.getByRole('dialog', { name: 'Saved searches' });
      await menu.getByRole('button', { name: 'Errors' }).waitFor();
      assert.equal(await menu.getByLabel('Name of the saved search').count(), 0);
      assert.equal(await menu.getByRole('button', { name: 'Delete' }).count(), 0);
    });
  }
  assert.equal((await fetch(one, { method: 'DELETE', headers: editor })).status, 200);
  assert.equal((await fetch(one, { headers: viewer })).status, 404);
});
