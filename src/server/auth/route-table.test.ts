import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../../../test/harness/temp.js';
import { ServerAlertmanager } from '../../cli/server-alertmanager.js';
import { defaultConfig } from '../../config/load.js';
import { Registry } from '../../lib/instrument/index.js';
import { Logger } from '../../lib/log/logger.js';
import { PushStore } from '../../metrics/pushgateway/store.js';
import { MemoryMetadataStore } from '../../metrics/storage/metadata.js';
import { createHttpServer, routeCatalogOf } from '../http.js';
import type { StatusSource } from '../status.js';
import { allows, type Access, type Principal, type Role } from './access.js';
import { AuditLog } from './audit.js';
import { Authenticator } from './authenticator.js';
import { LoginLimiter } from './login-limiter.js';
import { ROUTE_TABLE, routeAccess } from './route-table.js';
import { SessionStore } from './sessions.js';
import { AuthStore } from './store.js';

/** The whole server, every optional part included, with auth on. */
async function fullServer(t: TestContext) {
  const dir = tempDir(t);
  const uiDir = join(dir, 'ui');
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>t</title>');
  const store = AuthStore.open(dir);
  const pushgateway = PushStore.open({ dir: join(dir, 'pushgateway') });
  t.after(() => pushgateway.close());
  const authenticator = new Authenticator({
    store,
    sessions: new SessionStore(60_000, 60_000),
    limiter: new LoginLimiter({ maxFailures: 5, baseDelayMs: 1000, maxDelayMs: 60_000 }),
  });
  const logger = new Logger({ level: 'error', format: 'json', write: () => {} });
  const registry = new Registry();
  const app = await createHttpServer({
    config: defaultConfig().server,
    logger,
    registry,
    status: {} as StatusSource,
    appendable: () => null,
    queryable: () => null,
    metadata: new MemoryMetadataStore(),
    exporter: new Registry(),
    pushgateway,
    dashboards: () => null,
    savedSearches: () => null,
    logs: { store: () => null, lokiIndex: 'logs-loki' },
    uiDir,
    auth: {
      authenticator,
      store,
      audit: new AuditLog(store.dir),
      secureCookies: false,
      sessionMaxAgeMs: 60_000,
    },
  });
  // What `vigil server` mounts beside the routes of createHttpServer.
  const am = ServerAlertmanager.open(
    { config: defaultConfig(), file: null },
    dir,
    registry,
    logger,
    () => 'http://127.0.0.1:9700',
  );
  await am!.register(app, registry, logger);
  t.after(() => app.close());
  return { app, store };
}

test('every route the server registers has a row in the route table', async (t) => {
  const { app } = await fullServer(t);
  await app.ready();
  const entries = routeCatalogOf(app).entries();
  assert.ok(entries.length > 100, `only ${entries.length} routes`);
  const missing = entries.filter((e) => e.access === undefined).map((e) => `${e.method} ${e.url}`);
  assert.deepEqual(missing, [], 'add these routes to ROUTE_TABLE in route-table.ts');
});

test('every row of the route table names a route the server registers', async (t) => {
  const { app } = await fullServer(t);
  await app.ready();
  const registered = new Set(
    routeCatalogOf(app)
      .entries()
      .map((e) => `${e.method} ${e.url}`),
  );
  const stale = ROUTE_TABLE.flatMap((r) => r.methods.map((m) => `${m} ${r.url}`)).filter(
    (k) => !registered.has(k),
  );
  assert.deepEqual(stale, []);
});

test('a route missing from the table is refused even to an admin (fail closed)', async (t) => {
  const { app, store } = await fullServer(t);
  app.get('/api/v1/unlisted', async () => 'secret');
  const { token } = store.createToken({ name: 'root', owner: 'cli', scopes: ['admin'] });
  const res = await app.inject({
    url: '/api/v1/unlisted',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /not classified/);
  const listed = await app.inject({
    url: '/api/v1/status/buildinfo',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.notEqual(listed.statusCode, 403);
});

test('HEAD needs what GET needs; unknown methods and routes have no row', () => {
  assert.deepEqual(routeAccess('HEAD', '/api/v1/query'), ['read']);
  assert.deepEqual(routeAccess('DELETE', '/:index'), ['admin']);
  assert.equal(routeAccess('DELETE', '/api/v1/query'), undefined);
  assert.equal(routeAccess('GET', '/api/v1/nothing'), undefined);
});

test('roles and scopes grant what docs/security.md says', () => {
  const user = (role: Role): Principal => ({
    kind: 'user',
    name: 'u',
    role,
    via: 'session',
  });
  const token = (...scopes: ('read' | 'logs:write' | 'metrics:write' | 'admin')[]): Principal => ({
    kind: 'token',
    id: 'x',
    name: 'x',
    owner: 'cli',
    scopes,
  });
  const levels: Access[] = [
    'public',
    'session',
    'read',
    'logs:write',
    'metrics:write',
    'write',
    'admin',
  ];
  const grants = (p: Principal) => levels.filter((a) => allows(p, [a]));
  assert.deepEqual(grants(user('viewer')), ['public', 'session', 'read']);
  assert.deepEqual(grants(user('editor')), levels.slice(0, 6));
  assert.deepEqual(grants(user('admin')), levels);
  assert.deepEqual(grants(token('logs:write')), ['public', 'session', 'logs:write']);
  assert.deepEqual(grants(token('read', 'metrics:write')), [
    'public',
    'session',
    'read',
    'metrics:write',
  ]);
  assert.deepEqual(grants(token('admin')), levels);
});
