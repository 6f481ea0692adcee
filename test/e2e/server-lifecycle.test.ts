import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { runVigil, startVigil } from '../harness/vigil.js';

test('health, readiness and build info answer once started', async (t) => {
  const vigil = await startVigil(t);
  const healthy = await fetch(`${vigil.url}/-/healthy`);
  assert.equal(healthy.status, 200);
  const ready = await fetch(`${vigil.url}/-/ready`, { method: 'HEAD' });
  assert.equal(ready.status, 200);

  const build = (await (await fetch(`${vigil.url}/api/v1/status/buildinfo`)).json()) as {
    status: string;
    data: Record<string, string>;
  };
  assert.equal(build.status, 'success');
  assert.match(build.data.version!, /^\d+\.\d+\.\d+/);
  assert.match(build.data.revision!, /^([0-9a-f]{40}|unknown)$/);

  const components = (await (await fetch(`${vigil.url}/api/v1/status/components`)).json()) as {
    data: { ready: boolean; components: { name: string; state: string }[] };
  };
  assert.equal(components.data.ready, true);
  assert.ok(components.data.components.every((c) => c.state === 'running'));

  const missing = await fetch(`${vigil.url}/api/v1/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    status: 'error',
    errorType: 'not_found',
    error: 'no such endpoint: GET /api/v1/nope',
  });
  assert.equal((await vigil.stop()).code, 0);
});

test('a second server on the same data directory exits at once with a clear error', async (t) => {
  const first = await startVigil(t);
  const second = await runVigil([
    'server',
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    first.dataDir,
    '--log.format',
    'logfmt',
  ]);
  assert.equal(second.code, 1);
  // A start takes 1–2 s, several at CI's load; waiting on the lock would never end.
  assert.ok(second.ms < 15_000, `took ${second.ms} ms`);
  assert.match(
    second.stderr,
    /level=error .*is held by process \d+; another Vigil server is using this data directory/,
  );
  // The first server is unaffected.
  assert.equal((await fetch(`${first.url}/-/ready`)).status, 200);
  assert.equal((await first.stop()).code, 0);
});

test('SIGTERM and SIGINT exit 0 within 10 s, and the lock is released', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const vigil = await startVigil(t);
    const exit = await vigil.stop(signal);
    assert.equal(exit.code, 0, `${signal}: ${JSON.stringify(vigil.logs)}`);
    assert.ok(exit.ms < 10_000, `${signal} took ${exit.ms} ms`);
    // The data directory is free again for the next server.
    const next = await startVigil(t, { dataDir: vigil.dataDir });
    assert.equal((await next.stop()).code, 0);
  }
});

test('after kill -9 the stale lock does not block the next start', async (t) => {
  const vigil = await startVigil(t);
  await vigil.stop('SIGKILL');
  const next = await startVigil(t, { dataDir: vigil.dataDir });
  assert.equal((await next.stop()).code, 0);
});

test('SIGHUP reloads the configuration; a broken file keeps the old one running', async (t) => {
  const vigil = await startVigil(t, { config: 'log:\n  level: info\n' });
  const configFile = String((await vigil.waitForLog((l) => l.msg === 'Vigil is ready')).config);
  const metric = async (name: string) => {
    const text = await (await fetch(`${vigil.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1]);
  };
  assert.equal(await metric('vigil_config_last_reload_successful'), 1);

  writeFileSync(configFile, 'log:\n  level: loud\n');
  vigil.child.kill('SIGHUP');
  const failed = await vigil.waitForLog((l) => l.msg.startsWith('cannot reload configuration'));
  assert.match(String(failed.err), /vigil\.yml:2:3: log\.level: invalid value "loud"/);
  assert.equal(await metric('vigil_config_last_reload_successful'), 0);
  assert.equal((await fetch(`${vigil.url}/-/ready`)).status, 200);
  const runtime = (await (await fetch(`${vigil.url}/api/v1/status/runtimeinfo`)).json()) as {
    data: { reloadConfigSuccess: boolean };
  };
  assert.equal(runtime.data.reloadConfigSuccess, false);

  writeFileSync(configFile, 'log:\n  level: debug\n');
  vigil.child.kill('SIGHUP');
  await vigil.waitForLog((l) => l.msg === 'configuration reloaded');
  assert.equal(await metric('vigil_config_last_reload_successful'), 1);
  const config = (await (await fetch(`${vigil.url}/api/v1/status/config`)).json()) as {
    data: { yaml: string };
  };
  assert.match(config.data.yaml, /level: debug/);
  // The new level is in force: debug request lines now appear.
  await fetch(`${vigil.url}/-/healthy`);
  await vigil.waitForLog((l) => l.level === 'debug' && l.url === '/-/healthy');
  assert.equal((await vigil.stop()).code, 0);
});

test('the web app is served at / with deep links falling back to it', async (t) => {
  const vigil = await startVigil(t);
  // What browsers send; `/` answers clients that do not accept HTML as Elasticsearch.
  const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  for (const path of ['/', '/status', '/logs?q=error']) {
    const res = await fetch(`${vigil.url}${path}`, { headers: { accept } });
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assert.match(await res.text(), /<div id="root">/);
  }
  const asset = await fetch(`${vigil.url}/assets/missing.js`);
  assert.equal(asset.status, 404);
  assert.equal((await vigil.stop()).code, 0);
});
