import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil } from '../harness/vigil.js';

test('the server opens its TSDB under <data-dir>/metrics and reports on it', async (t) => {
  // Without Vigil scraping itself: the assertions are about exactly the data written here.
  const vigil = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
  assert.ok(existsSync(join(vigil.dataDir, 'metrics', 'wal')));
  assert.ok(readdirSync(join(vigil.dataDir, 'metrics', 'wal')).length > 0);
  const status = (await (await fetch(`${vigil.url}/api/v1/status/tsdb`)).json()) as {
    status: string;
    data: { headStats: { numSeries: number }; seriesCountByMetricName: unknown[] };
  };
  assert.equal(status.status, 'success');
  assert.equal(status.data.headStats.numSeries, 0);
  assert.deepEqual(status.data.seriesCountByMetricName, []);
  const bad = await fetch(`${vigil.url}/api/v1/status/tsdb?limit=x`);
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { errorType: string }).errorType, 'bad_data');
  const components = (await (await fetch(`${vigil.url}/api/v1/status/components`)).json()) as {
    data: { components: { name: string; state: string }[] };
  };
  assert.deepEqual(
    components.data.components.map((c) => [c.name, c.state]),
    [
      ['http', 'running'],
      ['tsdb', 'running'],
      ['logs', 'running'],
      ['dashboards', 'running'],
      ['saved-searches', 'running'],
      ['remote-write', 'running'],
      ['scrape', 'running'],
      ['alertmanager', 'running'],
      ['rules', 'running'],
      ['pushgateway', 'running'],
    ],
  );
  const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
  assert.match(metrics, /^vigil_tsdb_head_series 0$/m);
  assert.equal((await vigil.stop()).code, 0);
});
