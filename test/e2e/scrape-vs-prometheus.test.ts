// Debian's Prometheus and Vigil run the same scrape configuration (static and file_sd targets,
// relabeling, and targets that hang, return garbage, 500 or 50 MB) against targets served here,
// and must show the same targets: the same labels, dropped targets with the same discovered
// labels, the same scrape URLs and health, and the same errors where Prometheus' wording is
// not its parser's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HAVE_PROMETHEUS, startPrometheus } from '../harness/prometheus.js';
import { startVigil, tempDir } from '../harness/vigil.js';

const SKIP = !HAVE_PROMETHEUS && !process.env.CI ? 'prometheus not installed' : false;

interface ApiTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  health: string;
}

interface Targets {
  activeTargets: ApiTarget[];
  droppedTargets: { discoveredLabels: Record<string, string> }[];
}

async function targets(url: string): Promise<Targets> {
  const res = await fetch(`${url}/api/v1/targets`);
  return ((await res.json()) as { data: Targets }).data;
}

const sortKey = (o: unknown) => JSON.stringify(o);

/** Labels as a sorted entry list, for order-independent comparison. */
function canon(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
}

test(
  'the same scrape configuration gives the same targets as Prometheus',
  { skip: SKIP, timeout: 120_000 },
  async (t) => {
    const big = Buffer.alloc(50 * 1024 * 1024, '# padding padding padding padding padding\n');
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return;
      if (path === '/500') return void res.writeHead(500).end('oops');
      if (path === '/garbage') {
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('}{ not metrics\n');
      }
      if (path === '/big')
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(big);
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end('# TYPE m gauge\nm 1\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const alias = `localhost:${(server.address() as AddressInfo).port}`;

    const sdDir = tempDir(t);
    writeFileSync(
      join(sdDir, 'a.json'),
      JSON.stringify([
        { targets: [addr], labels: { team: 'json', tier: 'front' } },
        { targets: [alias], labels: { team: 'json', tier: 'drop' } },
      ]),
    );
    writeFileSync(
      join(sdDir, 'b.yml'),
      `- targets: ['${alias}']\n  labels: { team: yaml, __metrics_path__: /metrics, __param_x: '1' }\n`,
    );
    const config = `
global:
  scrape_interval: 2s
  scrape_timeout: 1s
scrape_configs:
  - job_name: static
    static_configs:
      - targets: ['${addr}', '${alias}']
        labels: { env: prod, __meta_owner: alice }
    relabel_configs:
      - { source_labels: [__meta_owner], target_label: owner }
      - { source_labels: [__address__], regex: 'localhost:.*', target_label: host_kind, replacement: name }
      - { regex: env, action: labelmap, replacement: environment }
  - job_name: files
    params: { module: [m1, m2] }
    file_sd_configs:
      - files: ['${sdDir}/*.json', '${sdDir}/*.yml']
        refresh_interval: 1s
    relabel_configs:
      - { source_labels: [tier], regex: drop, action: drop }
      - { source_labels: [__meta_filepath], regex: '.*/(.*)', target_label: file }
  - job_name: broken
    body_size_limit: 10MB
    static_configs:
      - targets: ['${addr}']
        labels: { case: hang, __metrics_path__: /hang }
      - targets: ['${addr}']
        labels: { case: garbage, __metrics_path__: /garbage }
      - targets: ['${addr}']
        labels: { case: error, __metrics_path__: /500 }
      - targets: ['${addr}']
        labels: { case: big, __metrics_path__: /big }
`;
    const prometheus = await startPrometheus(t, () => config);
    // Vigil's own jobs (itself, its exporter and Pushgateway) have no counterpart there.
    const vigil = await startVigil(t, {
      config: `${config}\nserver:\n  builtin_scrape_jobs: false\n`,
    });

    // Both have scraped every target at least once.
    const settled = async (url: string) => {
      const deadline = Date.now() + 40_000;
      for (;;) {
        const got = await targets(url);
        if (
          got.activeTargets.length === 8 &&
          got.activeTargets.every((a) => a.health !== 'unknown')
        ) {
          return got;
        }
        assert.ok(Date.now() < deadline, `${url} never settled: ${JSON.stringify(got)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const [ours, theirs] = await Promise.all([settled(vigil.url), settled(prometheus.url)]);

    const view = (x: Targets) => ({
      active: x.activeTargets
        .map((a) => ({
          pool: a.scrapePool,
          labels: canon(a.labels),
          url: a.scrapeUrl,
          health: a.health,
        }))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
      dropped: x.droppedTargets.map((d) => canon(d.discoveredLabels)).sort(),
    });
    assert.deepEqual(view(ours), view(theirs));

    const errorOf = (x: Targets, c: string) =>
      x.activeTargets.find((a) => a.labels.case === c)!.lastError;
    // On a loaded machine a scrape of the 50 MB target can time out before the body limit is
    // reached, on either side; the next scrapes then give the error both report when it is not.
    for (const c of ['hang', 'error', 'big']) {
      let [mine, peer] = [errorOf(ours, c), errorOf(theirs, c)];
      for (let i = 0; mine !== peer && i < 10; i++) {
        await new Promise((r) => setTimeout(r, 2000));
        [mine, peer] = [
          errorOf(await targets(vigil.url), c),
          errorOf(await targets(prometheus.url), c),
        ];
      }
      assert.equal(mine, peer, c);
    }
    assert.notEqual(errorOf(ours, 'garbage'), '');

    // Healthy targets kept their schedule while the broken ones failed: scraped twice in the
    // last 7 s (two intervals, and room for one scrape late on a busy machine).
    const up = (await (
      await fetch(
        `${vigil.url}/api/v1/query?query=${encodeURIComponent('count_over_time(up{job="static"}[7s])')}`,
      )
    ).json()) as { data: { result: { value: [number, string] }[] } };
    assert.ok(
      up.data.result.every((r) => Number(r.value[1]) >= 2),
      JSON.stringify(up.data.result),
    );
  },
);
