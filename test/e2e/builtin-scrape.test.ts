// By default the server scrapes itself: its own /metrics (job vigil), its host and container
// exporter (job node) and its Pushgateway (job pushgateway, honor_labels), so a fresh install
// has data to look at and pushed metrics become queryable with their own job label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startVigil } from '../harness/vigil.js';

test(
  'the built-in jobs scrape Vigil, its exporter and its Pushgateway',
  { timeout: 60_000 },
  async (t) => {
    const vigil = await startVigil(t, { config: 'global:\n  scrape_interval: 1s\n' });
    const push = await fetch(`${vigil.url}/pushgateway/metrics/job/backup/instance/db1`, {
      method: 'PUT',
      body: '# TYPE backup_bytes gauge\nbackup_bytes 1200\n',
    });
    assert.equal(push.status, 200, await push.text());
    const query = async (q: string) => {
      const res = await fetch(`${vigil.url}/api/v1/query?query=${encodeURIComponent(q)}`);
      return (
        (await res.json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        }
      ).data.result;
    };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await query('up');
      if (up.length === 3 && up.every((r) => r.value[1] === '1')) break;
      assert.ok(Date.now() < deadline, `up: ${JSON.stringify(up)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual((await query('up')).map((r) => r.metric.job).sort(), [
      'node',
      'pushgateway',
      'vigil',
    ]);
    // The Pushgateway's first scrape may have run before the push landed; the next one has it.
    let pushed = await query('backup_bytes');
    while (pushed.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      pushed = await query('backup_bytes');
    }
    assert.deepEqual(
      pushed.map((r) => [r.metric.job, r.metric.instance, r.value[1]]),
      [['backup', 'db1', '1200']],
    );
    assert.equal((await query('vigil_build_info')).length, 1);
    assert.ok((await query('node_memory_MemTotal_bytes'))[0]!.value[1] !== '0');
  },
);

test(
  'SIGHUP applies scrape_configs: a new job starts, a removed one stops',
  { timeout: 60_000 },
  async (t) => {
    const vigil = await startVigil(t, {
      config: 'server:\n  builtin_scrape_jobs: false\nglobal:\n  scrape_interval: 1s\n',
    });
    const configFile = String((await vigil.waitForLog((l) => l.msg === 'Vigil is ready')).config);
    const pools = async () => {
      const res = await fetch(`${vigil.url}/api/v1/targets`);
      const data = (
        (await res.json()) as { data: { activeTargets: { scrapePool: string; health: string }[] } }
      ).data;
      return data.activeTargets.map((a) => `${a.scrapePool}:${a.health}`);
    };
    assert.deepEqual(await pools(), []);
    const job = (name: string) =>
      `  - job_name: ${name}\n    static_configs:\n      - targets: ['127.0.0.1:${vigil.port}']\n`;
    writeFileSync(
      configFile,
      `server:\n  builtin_scrape_jobs: false\nglobal:\n  scrape_interval: 1s\nscrape_configs:\n${job('first')}`,
    );
    vigil.child.kill('SIGHUP');
    const until = async (want: string[]) => {
      const deadline = Date.now() + 20_000;
      while (JSON.stringify(await pools()) !== JSON.stringify(want)) {
        assert.ok(
          Date.now() < deadline,
          `targets ${JSON.stringify(await pools())}, want ${JSON.stringify(want)}`,
        );
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await until(['first:up']);
    writeFileSync(
      configFile,
      `server:\n  builtin_scrape_jobs: false\nglobal:\n  scrape_interval: 1s\nscrape_configs:\n${job('second')}`,
    );
    vigil.child.kill('SIGHUP');
    await until(['second:up']);
  },
);
