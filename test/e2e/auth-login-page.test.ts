/**
 * The login page in a real browser: a wrong password is explained, the right one leads to the
 * page named by `next`, a `next` pointing at another site is ignored, and a page whose API calls
 * are refused for want of a login sends the browser to the login page and back.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { startVigil } from '../harness/vigil.js';

const skip =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

test('logging in through the login page', { skip }, async (t) => {
  const vigil = await startVigil(t, {
    config: 'server:\n  auth:\n    enabled: true\n',
    env: { VIGIL_ADMIN_PASSWORD: 'login page password' },
  });
  await withPage(t, async (page) => {
    await page.goto(`${vigil.url}/login?next=${encodeURIComponent('//evil.example/')}`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('login-error').waitFor();
    assert.equal(
      (await page.getByTestId('login-error').textContent())?.trim(),
      'Wrong user name or password.',
    );
    await page.getByLabel('Password').fill('login page password');
    await page.getByRole('button', { name: 'Log in' }).click();
    // `next` went to another site: home instead.
    await page.waitForURL(`${vigil.url}/logs`);

    // A link with a same-origin next goes there.
    await page.context().clearCookies();
    await page.goto(`${vigil.url}/login?next=/status%3Fx%3D1`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('login page password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${vigil.url}/status?x=1`);
    await page.getByTestId('version').waitFor();

    // Without a session, a page's first API call (401) leads to the login page and back.
    await page.context().clearCookies();
    await page.goto(`${vigil.url}/targets?health=down`);
    await page.waitForURL(`${vigil.url}/login?next=${encodeURIComponent('/targets?health=down')}`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('login page password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${vigil.url}/targets?health=down`);
  });
});
