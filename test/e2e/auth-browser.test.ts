/**
 * The web app in a real browser (Debian's chromium) under Vigil's security headers: it runs
 * without Content-Security-Policy violations, and with auth on a session cookie set by the
 * login API carries its requests while scripts cannot read it.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { startVigil } from '../harness/vigil.js';

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

/** Runs `body` (an async function body, as text: tsx's helpers cannot travel) in the page. */
function inPage<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(async () => { ${body} })()`) as Promise<T>;
}

test('the web app runs under its Content-Security-Policy', { skip: noChromium }, async (t) => {
  const vigil = await startVigil(t);
  await withPage(t, async (page) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${vigil.url}/`);
    assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    await page.locator('nav').getByText('Status', { exact: true }).waitFor();
    // Every page the app has: it grows (issue 10), and each loads its own chunks and styles.
    for (const path of ['/', '/status', '/logs', '/alerts']) {
      await page.goto(`${vigil.url}${path}`);
      await page.locator('nav').getByText('Status', { exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`${vigil.url}/status`);
    await page.getByTestId('version').waitFor();
    assert.deepEqual(violations, []);
  });
});

test(
  'with auth on, a login session carries the web app; scripts cannot read the cookie',
  { skip: noChromium },
  async (t) => {
    const vigil = await startVigil(t, {
      config: 'server:\n  auth:\n    enabled: true\n',
      env: { VIGIL_ADMIN_PASSWORD: 'browser admin password' },
    });
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/`);
      const status = "return (await fetch('/api/v1/status/buildinfo')).status;";
      assert.equal(await inPage<number>(page, status), 401);
      const login = await inPage<{ status: number; cookies: string }>(
        page,
        `const r = await fetch('/api/v1/auth/login', {
           method: 'POST',
           headers: { 'content-type': 'application/json' },
           body: JSON.stringify({ username: 'admin', password: 'browser admin password' }),
         });
         return { status: r.status, cookies: document.cookie };`,
      );
      assert.equal(login.status, 200);
      assert.match(login.cookies, /vigil_csrf=/);
      assert.doesNotMatch(login.cookies, /vigil_session/);
      await page.reload();
      assert.equal(await inPage<number>(page, status), 200);
      // A write from the page needs the CSRF token the page can read from its cookie.
      const writes = await inPage<number[]>(
        page,
        `const csrf = /vigil_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
         const send = (headers) => fetch('/api/v1/logs/ingest?index=logs-browser',
           { method: 'POST', headers, body: '{"m":1}\\n' }).then((r) => r.status);
         return [await send({}), await send({ 'x-csrf-token': csrf })];`,
      );
      assert.deepEqual(writes, [403, 200]);
    });
  },
);
