/**
 * Authentication on a real server: every route the router has is refused without credentials,
 * roles and token scopes are enforced, CSRF, login throttling, path traversal, headers, the
 * audit log, and the server still scraping itself with auth on.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runVigil, startVigil, type VigilServer } from '../harness/vigil.js';

const ADMIN_PASSWORD = 'admin password for tests';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface RouteInfo {
  method: string;
  route: string;
  access: string[] | null;
}

/** A concrete path for a route pattern. */
function pathFor(route: string): string {
  return route
    .replace(/:names?\b/g, 'logs-authtest')
    .replace(/:index\b/g, 'logs-authtest')
    .replace(/:id\b/g, '0123456789ab')
    .replace(/\*$/, 'job/authtest');
}

/** Sends bytes as they are (fetch would normalise `..`); resolves with the whole response. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

async function call(
  vigil: VigilServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Response> {
  return fetch(`${vigil.url}${path}`, {
    method,
    headers,
    ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
}

async function json(res: Response): Promise<{ status: string; data: never; error?: string }> {
  return (await res.json()) as never;
}

test('auth on a running server', async (t) => {
  const vigil = await startVigil(t, {
    config: [
      'server:',
      '  auth:',
      '    enabled: true',
      '    login_max_failures: 3',
      '    login_base_delay: 1s',
      '    login_max_delay: 4s',
      'global:',
      '  scrape_interval: 1s',
      '',
    ].join('\n'),
    env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
  const admin = { authorization: basic('admin', ADMIN_PASSWORD) };
  const routes = (await json(await call(vigil, 'GET', '/api/v1/auth/routes', admin)))
    .data as RouteInfo[];

  await t.test(
    'every route is classified and each non-public one refuses anonymous callers',
    async () => {
      assert.ok(routes.length > 100, `${routes.length} routes`);
      assert.deepEqual(
        routes.filter((r) => r.access === null),
        [],
      );
      const refusedWith = new Map<string, number>();
      for (const r of routes) {
        if (r.access!.includes('public')) continue;
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer vgl_000000000000_wrong' },
        ]) {
          const res = await call(vigil, r.method, pathFor(r.route), headers, '{}');
          await res.arrayBuffer();
          if (res.status !== 401) refusedWith.set(`${r.method} ${r.route}`, res.status);
        }
      }
      assert.deepEqual([...refusedWith], [], 'routes that did not answer 401');
      // An unknown path does not tell an anonymous caller that it does not exist.
      assert.equal((await call(vigil, 'POST', '/no/such/thing')).status, 401);
      // Public ones answer.
      assert.equal((await call(vigil, 'GET', '/-/healthy')).status, 200);
      // The web app's pages load for a browser before login, though `/login` and `/status` are
      // also the Elasticsearch route `GET /:index`, whose API answer still needs credentials.
      for (const path of ['/login', '/status']) {
        const page = await call(vigil, 'GET', path, { accept: 'text/html,application/xhtml+xml' });
        assert.equal(page.status, 200, path);
        assert.match(await page.text(), /<div id="root">/);
        assert.equal((await call(vigil, 'GET', path, { accept: 'application/json' })).status, 401);
      }
    },
  );

  await t.test('an anonymous refusal speaks each API’s error shape', async () => {
    const prom = await call(vigil, 'GET', '/api/v1/query?query=1');
    assert.equal(prom.status, 401);
    assert.match(prom.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await json(prom)).status, 'error');
    const es = await call(
      vigil,
      'POST',
      '/_bulk',
      { 'content-type': 'application/x-ndjson' },
      '\n',
    );
    assert.equal(es.status, 401);
    const body = (await es.json()) as { error: { type: string } };
    assert.equal(body.error.type, 'security_exception');
  });

  const addUser = async (name: string, role: string) => {
    const res = await call(
      vigil,
      'POST',
      '/api/v1/auth/users',
      { ...admin, 'content-type': 'application/json' },
      JSON.stringify({ name, role, password: `${name} password` }),
    );
    assert.equal(res.status, 200, await res.clone().text());
  };
  await addUser('viewer1', 'viewer');
  await addUser('editor1', 'editor');

  await t.test('a viewer can read and cannot change anything', async () => {
    const viewer = { authorization: basic('viewer1', 'viewer1 password') };
    // A dashboard's first burst with basic auth: one password check, no login limit tripped.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(vigil, 'GET', '/api/v1/status/buildinfo', viewer).then((r) => r.status),
      ),
    );
    assert.deepEqual(new Set(burst), new Set([200]));
    assert.equal((await call(vigil, 'GET', '/api/v1/query?query=1', viewer)).status, 200);
    const changed: string[] = [];
    for (const r of routes) {
      const a = r.access!;
      if (a.includes('public') || a.includes('read') || a.includes('session')) continue;
      const res = await call(vigil, r.method, pathFor(r.route), viewer, '{}');
      await res.arrayBuffer();
      if (res.status !== 403) changed.push(`${r.method} ${r.route} → ${res.status}`);
    }
    assert.deepEqual(changed, []);
    // The same through a browser session, CSRF token and all.
    const login = await call(
      vigil,
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'viewer1', password: 'viewer1 password' }),
    );
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrf_token } = (await json(login)).data as { csrf_token: string };
    const del = await call(vigil, 'DELETE', '/api/v1/logs/indices/logs-x', {
      cookie,
      'x-csrf-token': csrf_token,
    });
    assert.equal(del.status, 403);
  });

  await t.test(
    'a logs:write token (made by the CLI beside the running server) cannot read',
    async () => {
      const created = await runVigil([
        'token',
        'create',
        '--name',
        'shipper',
        '--scopes',
        'logs:write',
        '--data-dir',
        vigil.dataDir,
      ]);
      assert.equal(created.code, 0, created.stderr);
      const token = created.stdout.trim();
      const bearer = { authorization: `Bearer ${token}` };
      const ingest = await call(
        vigil,
        'POST',
        '/api/v1/logs/ingest?index=logs-authtest',
        bearer,
        '{"message":"hello from a token"}\n',
      );
      assert.equal(ingest.status, 200, await ingest.clone().text());
      // Elasticsearch clients send the token as the basic-auth password.
      const bulk = await call(
        vigil,
        'POST',
        '/_bulk',
        { authorization: basic('fluent-bit', token), 'content-type': 'application/x-ndjson' },
        '{"index":{"_index":"logs-authtest"}}\n{"message":"bulk"}\n',
      );
      assert.equal(bulk.status, 200, await bulk.clone().text());
      for (const path of [
        '/api/v1/logs/search?index=logs-authtest&q=*',
        '/api/v1/query?query=up',
        '/logs-authtest/_search',
        '/metrics',
        '/api/v1/auth/users',
      ]) {
        assert.equal((await call(vigil, 'GET', path, bearer)).status, 403, path);
      }
      assert.equal((await call(vigil, 'POST', '/api/v1/write', bearer, 'x')).status, 403);
      // Revoked by the CLI: refused at once.
      const id = /^vgl_([0-9a-f]{12})_/.exec(token)![1]!;
      assert.equal((await runVigil(['token', 'revoke', id, '--data-dir', vigil.dataDir])).code, 0);
      const after = await call(vigil, 'POST', '/api/v1/logs/ingest', bearer, '{"message":"x"}\n');
      assert.equal(after.status, 401);
    },
  );

  await t.test(
    'a state-changing request with the session cookie needs the CSRF token',
    async () => {
      const login = await call(
        vigil,
        'POST',
        '/api/v1/auth/login',
        { 'content-type': 'application/json' },
        JSON.stringify({ username: 'editor1', password: 'editor1 password' }),
      );
      assert.equal(login.status, 200);
      const setCookies = login.headers.getSetCookie();
      const session = setCookies.find((c) => c.startsWith('vigil_session='))!;
      assert.match(session, /HttpOnly/);
      assert.match(session, /SameSite=Strict/);
      assert.doesNotMatch(session, /Secure/, 'Secure without TLS would lose the cookie');
      const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
      const { csrf_token } = (await json(login)).data as { csrf_token: string };
      const ingest = (headers: Record<string, string>) =>
        call(
          vigil,
          'POST',
          '/api/v1/logs/ingest?index=logs-authtest',
          { cookie, ...headers },
          '{"m":1}\n',
        );
      assert.equal((await ingest({})).status, 403);
      assert.equal((await ingest({ 'x-csrf-token': 'not-the-token' })).status, 403);
      assert.equal((await ingest({ 'x-csrf-token': csrf_token })).status, 200);
      // A browser that says another site started the request is refused even with the token.
      const cross = await ingest({ 'x-csrf-token': csrf_token, 'sec-fetch-site': 'cross-site' });
      assert.equal(cross.status, 403);
      // Reads need no token, even sent as POST forms; whoami hands it to the web app after a reload.
      const query = await call(
        vigil,
        'POST',
        '/api/v1/query',
        { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        'query=1',
      );
      assert.equal(query.status, 200);
      const who = await json(await call(vigil, 'GET', '/api/v1/auth/whoami', { cookie }));
      assert.deepEqual(who.data, {
        auth_enabled: true,
        kind: 'user',
        user: 'editor1',
        role: 'editor',
        csrf_token,
      });
      // After logout the cookie is worthless.
      const out = await call(vigil, 'POST', '/api/v1/auth/logout', {
        cookie,
        'x-csrf-token': csrf_token,
      });
      assert.equal(out.status, 200);
      assert.equal((await call(vigil, 'GET', '/api/v1/auth/whoami', { cookie })).status, 401);
    },
  );

  await t.test(
    'brute-force logins are slowed: 429 with Retry-After, even for the right password',
    async () => {
      const attempt = (password: string) =>
        call(
          vigil,
          'POST',
          '/api/v1/auth/login',
          { 'content-type': 'application/json' },
          JSON.stringify({ username: 'viewer1', password }),
        );
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt(`guess ${i}`)).status);
      assert.deepEqual(statuses, [401, 401, 401]);
      const limited = await attempt('viewer1 password');
      assert.equal(limited.status, 429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 4, `Retry-After ${retryAfter}`);
      // Basic auth counts against the same limit.
      const viaBasic = await call(vigil, 'GET', '/api/v1/query?query=1', {
        authorization: basic('viewer1', 'yet another guess'),
      });
      assert.equal(viaBasic.status, 429);
      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
      assert.equal((await attempt('viewer1 password')).status, 200);
      // Guesses sent in parallel do not slip through before the first failure is counted.
      const parallel = await Promise.all(
        Array.from({ length: 20 }, (_, i) => attempt(`parallel guess ${i}`).then((r) => r.status)),
      );
      assert.equal(parallel.filter((s) => s === 401).length, 3, parallel.join(' '));
      assert.equal(parallel.filter((s) => s === 429).length, 17);
      // Wait out this address's delay and log in, which clears its count for the tests below.
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await attempt('viewer1 password')).status, 200);
    },
  );

  await t.test(
    'path traversal reaches neither files outside the web app nor other routes',
    async () => {
      const readToken = (
        await json(
          await call(
            vigil,
            'POST',
            '/api/v1/auth/tokens',
            { ...admin, 'content-type': 'application/json' },
            JSON.stringify({ name: 'reader', scopes: ['read', 'metrics:write'] }),
          ),
        )
      ).data as { token: string };
      const auth = `Authorization: Bearer ${readToken.token}\r\n`;
      const secret = readFileSync(join(vigil.dataDir, 'auth', 'users.json'), 'utf8');
      const attacks = [
        'GET /assets/../../../../../../etc/passwd',
        'GET /%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        'GET /assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
        'GET /..%5c..%5c..%5cetc%5cpasswd',
        'GET /assets/%2e%2e%2f%2e%2e%2fpackage.json',
        `GET /assets/..%2f..%2f..%2f..%2f${encodeURIComponent(vigil.dataDir.slice(1))}%2fauth%2fusers.json`,
        'GET /pushgateway/metrics/../../api/v1/auth/users',
        'GET /pushgateway/metrics/job/..%2f..%2f..%2fapi%2fv1%2fauth%2fusers',
        'DELETE /pushgateway/metrics/job/../../../api/v1/auth/users/admin',
        'PUT /pushgateway/metrics/job/..%2F..%2F..%2Fetc',
      ];
      for (const line of attacks) {
        const res = await raw(
          vigil.port,
          `${line} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: text/plain\r\nContent-Length: 8\r\nConnection: close\r\n\r\nm_pg 1\n\n`,
        );
        assert.doesNotMatch(res, /root:x?:0:0/, line);
        assert.doesNotMatch(res, /"devDependencies"/, line);
        assert.doesNotMatch(res, /password_hash|scrypt\$/, line);
        assert.ok(!res.includes(secret.slice(0, 40)), line);
      }
      // The admin still exists: the DELETE above went to the Pushgateway, not the users API.
      const users = (await json(await call(vigil, 'GET', '/api/v1/auth/users', admin))).data as {
        name: string;
      }[];
      assert.ok(users.some((u) => u.name === 'admin'));
    },
  );

  await t.test('the web app is served with security headers', async () => {
    const res = await call(vigil, 'GET', '/', { accept: 'text/html' });
    await res.arrayBuffer();
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    if (res.headers.get('content-type')?.startsWith('text/html')) {
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    }
  });

  await t.test('admin actions are in the audit log; secrets are not', async () => {
    const lines = readFileSync(join(vigil.dataDir, 'auth', 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    const has = (action: string, actor: string, target?: string) =>
      lines.some(
        (l) =>
          l.action === action && l.actor === actor && (target === undefined || l.target === target),
      );
    assert.ok(has('user.add', 'admin', 'viewer1'));
    const cli = `cli:${userInfo().username}`;
    assert.ok(has('token.create', cli, 'shipper'));
    assert.ok(has('token.revoke', cli));
    assert.ok(
      lines.some((l) => l.action === 'login' && l.result === 'wrong user name or password'),
    );
    const text = JSON.stringify(lines);
    assert.ok(!text.includes('viewer1 password') && !text.includes(ADMIN_PASSWORD));
  });

  await t.test(
    'the server still scrapes itself with auth on (its own in-memory token)',
    async () => {
      const deadline = Date.now() + 20_000;
      let health = '';
      while (Date.now() < deadline) {
        const targets = (await json(await call(vigil, 'GET', '/api/v1/targets', admin))).data as {
          activeTargets: { labels: { job: string }; health: string; lastError: string }[];
        };
        const self = targets.activeTargets.find((x) => x.labels.job === 'vigil');
        health = `${self?.health} ${self?.lastError}`;
        if (self?.health === 'up') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.match(health, /^up/);
    },
  );

  assert.equal((await vigil.stop()).code, 0);
});
