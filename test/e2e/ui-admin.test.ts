/**
 * The admin page (`/admin`) in a real browser with auth on: an admin adds a user, changes their
 * role and password, creates a token whose secret is shown once and works, revokes it, and
 * deletes a user; a viewer sees no Admin entry, gets an explanation on the page, and the API
 * refuses them.
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

async function logIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(`${url}/login?next=/status`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/status');
  await page.locator('nav').getByText('Status', { exact: true }).waitFor();
}

test(
  'admins manage users and tokens on /admin; viewers see neither the page nor its data',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const vigil = await startVigil(t, {
      config: 'server:\n  auth:\n    enabled: true\n',
      env: { VIGIL_ADMIN_PASSWORD: 'admin page password' },
    });
    const status = (headers: Record<string, string>) =>
      fetch(`${vigil.url}/api/v1/status/buildinfo`, { headers }).then((r) => r.status);
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });

    await withPage(t, async (page) => {
      await logIn(page, vigil.url, 'admin', 'admin page password');
      await page.locator('nav').getByRole('link', { name: 'Admin' }).click();
      await page.waitForURL(/\/admin$/);
      const users = page.getByTestId('users');
      await users.locator('[data-user="admin"]').waitFor();

      // Add a viewer.
      const addForm = page.getByRole('form', { name: 'Add user' });
      await addForm.getByLabel('User name').fill('vera');
      await addForm.getByLabel('Role').selectOption('viewer');
      await addForm.getByLabel('Password').fill('vera first password');
      await addForm.getByRole('button', { name: 'Add user' }).click();
      const vera = users.locator('[data-user="vera"]');
      await vera.waitFor();
      assert.equal(await status(basic('vera', 'vera first password')), 200);

      // Promote her, then change her password: the old one stops working.
      await vera.getByLabel('Role of vera').selectOption('editor');
      await page.getByTestId('admin-outcome').getByText('vera is now editor.').waitFor();
      await vera.getByRole('button', { name: 'Set password' }).click();
      await vera.getByLabel('New password for vera').fill('vera second password');
      await vera.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('admin-outcome').getByText('Password of vera changed.').waitFor();
      assert.equal(await status(basic('vera', 'vera first password')), 401);
      assert.equal(await status(basic('vera', 'vera second password')), 200);
      const listed = await fetch(`${vigil.url}/api/v1/auth/users`, {
        headers: basic('admin', 'admin page password'),
      }).then((r) => r.json() as Promise<{ data: { name: string; role: string }[] }>);
      assert.equal(listed.data.find((u) => u.name === 'vera')?.role, 'editor');

      // A token: its secret is shown once and authenticates; revoked, it no longer does.
      const tokenForm = page.getByRole('form', { name: 'Create token' });
      await tokenForm.getByLabel('Token name').fill('ci-reader');
      await tokenForm.getByLabel('logs:write').uncheck();
      await tokenForm.getByLabel('read', { exact: true }).check();
      await tokenForm.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByTestId('token-secret-value').textContent()) ?? '';
      assert.ok(secret.length > 20, `secret ${secret}`);
      const row = page.getByTestId('tokens').locator('[data-token="ci-reader"]');
      await row.waitFor();
      assert.equal(await row.getByTestId('token-scopes').textContent(), 'read');
      assert.equal(await status({ authorization: `Bearer ${secret}` }), 200);
      await saveScreenshot(page, 'ui-admin');
      await page.getByRole('button', { name: 'Done' }).click();
      assert.equal(await page.getByTestId('token-secret').count(), 0, 'the secret is gone');

      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByRole('button', { name: 'Revoke ci-reader?' }).click();
      await row.waitFor({ state: 'detached' });
      assert.equal(await status({ authorization: `Bearer ${secret}` }), 401);

      // The last admin cannot be removed; the server's reason is shown.
      const admin = users.locator('[data-user="admin"]');
      await admin.getByRole('button', { name: 'Delete' }).click();
      await admin.getByRole('button', { name: 'Delete admin?' }).click();
      await page
        .getByTestId('admin-outcome')
        .getByText(/last admin/)
        .waitFor();

      // Add a viewer to log in as, and delete vera.
      await addForm.getByLabel('User name').fill('victor');
      await addForm.getByLabel('Password').fill('victor password');
      await addForm.getByLabel('Role').selectOption('viewer');
      await addForm.getByRole('button', { name: 'Add user' }).click();
      await users.locator('[data-user="victor"]').waitFor();
      await vera.getByRole('button', { name: 'Delete' }).click();
      await vera.getByRole('button', { name: 'Delete vera?' }).click();
      await vera.waitFor({ state: 'detached' });
      assert.equal(await status(basic('vera', 'vera second password')), 401);

      // A viewer: no Admin entry, an explanation on /admin, and the API says no.
      await page.context().clearCookies();
      await logIn(page, vigil.url, 'victor', 'victor password');
      assert.equal(await page.locator('nav').getByText('Admin', { exact: true }).count(), 0);
      await page.goto(`${vigil.url}/admin`);
      await page.getByTestId('admin-refused').waitFor();
      const refused = await fetch(`${vigil.url}/api/v1/auth/users`, {
        headers: basic('victor', 'victor password'),
      });
      assert.equal(refused.status, 403);
    });
  },
);
