import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HttpClient } from '../../lib/http-client/client.js';
import { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { relabelConfigsSchema } from '../model/relabel/config.js';
import { Tsdb } from '../tsdb/db.js';
import { ScrapeLoop, type LoopJob } from './loop.js';
import { acceptHeader, effectiveContentType } from './scraper.js';

const STALE_BITS = 0x7ff0000000000002n;

/** A target whose next answer the test sets. */
async function target(t: TestContext) {
  let answer: (res: ServerResponse) => void = (res) => res.end('');
  const server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    serve(fn: (res: ServerResponse) => void) {
      answer = fn;
    },
    text(body: string) {
      answer = (res) =>
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    },
  };
}

const job: LoopJob = {
  honor_labels: false,
  honor_timestamps: true,
  track_timestamps_staleness: false,
  scrape_protocols: ['OpenMetricsText1.0.0', 'PrometheusText0.0.4'],
  enable_compression: true,
  metric_relabel_configs: [],
  sample_limit: 0,
  label_limit: 0,
  label_name_length_limit: 0,
  label_value_length_limit: 0,
  body_size_limit: 0,
};

function setup(t: TestContext, url: string, overrides: Partial<LoopJob> = {}, timeout = 2000) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-'));
  const db = Tsdb.open(dir);
  const client = new HttpClient({
    tls_config: { insecure_skip_verify: false },
    follow_redirects: true,
  });
  t.after(async () => {
    client.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const loop = new ScrapeLoop({
    url,
    labels: Labels.fromRecord({ job: 'j', instance: 'i:1' }),
    interval: 60_000,
    timeout,
    job: { ...job, ...overrides },
    client,
    appendable: db,
    log: new Logger({ level: 'error', write: () => {} }),
  });
  return { db, loop };
}

/** Every series of the TSDB as `labels → [t, value or 'stale']`. */
function dump(db: Tsdb): Record<string, [number, number | 'stale'][]> {
  const q = db.querier(-Infinity, Infinity);
  const out: Record<string, [number, number | 'stale'][]> = {};
  const set = q.select([new Matcher('=~', '__name__', '.+')]);
  const bits = new Float64Array(1);
  while (set.next()) {
    const it = set.at().iterator();
    const samples: [number, number | 'stale'][] = [];
    while (it.next()) {
      bits[0] = it.atV();
      const stale = new BigUint64Array(bits.buffer)[0] === STALE_BITS;
      samples.push([it.atT(), stale ? 'stale' : it.atV()]);
    }
    out[set.at().labels.toString()] = samples;
  }
  q.close();
  return out;
}

test('samples get the target labels; clashes become exported_; report series follow', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url);
  tg.text('# TYPE a counter\na_total{job="inner"} 1\nb 2 1500\n');
  await loop.scrapeOnce(1000);
  assert.equal(loop.health, 'up');
  const d = dump(db);
  assert.deepEqual(d['{__name__="a_total", exported_job="inner", instance="i:1", job="j"}'], [
    [1000, 1],
  ]);
  // honor_timestamps: the exposed timestamp is kept.
  assert.deepEqual(d['{__name__="b", instance="i:1", job="j"}'], [[1500, 2]]);
  assert.deepEqual(d['{__name__="up", instance="i:1", job="j"}'], [[1000, 1]]);
  assert.deepEqual(d['{__name__="scrape_samples_scraped", instance="i:1", job="j"}'], [[1000, 2]]);
  assert.deepEqual(d['{__name__="scrape_series_added", instance="i:1", job="j"}'], [[1000, 2]]);
  assert.deepEqual(loop.metadata.get('a'), { type: 'counter', help: '', unit: '' });
});

test('honor_labels keeps the scraped value; metric relabeling drops and rewrites', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url, {
    honor_labels: true,
    metric_relabel_configs: relabelConfigsSchema.parse([
      { source_labels: ['__name__'], regex: 'drop_me', action: 'drop' },
      { target_label: 'env', replacement: 'prod' },
    ]),
  });
  tg.text('a{job="inner"} 1\ndrop_me 3\n');
  await loop.scrapeOnce(1000);
  const d = dump(db);
  assert.deepEqual(d['{__name__="a", env="prod", instance="i:1", job="inner"}'], [[1000, 1]]);
  assert.equal(
    Object.keys(d).some((k) => k.includes('drop_me')),
    false,
  );
  assert.deepEqual(
    d['{__name__="scrape_samples_post_metric_relabeling", instance="i:1", job="j"}'],
    [[1000, 1]],
  );
});

test('a series gone from the next scrape, and every series after a failed one, turn stale', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url);
  tg.text('a 1\nb 1\n');
  await loop.scrapeOnce(1000);
  tg.text('a 2\n');
  await loop.scrapeOnce(2000);
  tg.serve((res) => res.writeHead(500).end('oops'));
  await loop.scrapeOnce(3000);
  assert.equal(loop.health, 'down');
  assert.equal(loop.lastError, 'server returned HTTP status 500 Internal Server Error');
  const d = dump(db);
  assert.deepEqual(d['{__name__="a", instance="i:1", job="j"}'], [
    [1000, 1],
    [2000, 2],
    [3000, 'stale'],
  ]);
  assert.deepEqual(d['{__name__="b", instance="i:1", job="j"}'], [
    [1000, 1],
    [2000, 'stale'],
  ]);
  assert.deepEqual(d['{__name__="up", instance="i:1", job="j"}']!.at(-1), [3000, 0]);
});

test('series that move, appear, vanish and return get every sample and stale marker', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url, {
    metric_relabel_configs: relabelConfigsSchema.parse([
      { source_labels: ['__name__'], regex: 'drop_me', action: 'drop' },
    ]),
  });
  // Each scrape lists its series in body order; null is a failed scrape.
  const scrapes: (string[] | null)[] = [
    ['a', 'b{l="1"}', 'c', 'd', 'drop_me'],
    ['a', 'x', 'b{l="1"}', 'c', 'd', 'drop_me'],
    ['a', 'b{l="1"}', 'd', 'drop_me'],
    ['d', 'b{l="1"}', 'a', 'c'],
    ['d', 'b{l="1"}', 'a', 'c', 'e'],
    ['d', 'b{l="1"}', 'a', 'c', 'e'],
    null,
    ['d', 'b{l="1"}', 'a', 'c'],
    ['x', 'd', 'b{l="2"}', 'a', 'c'],
  ];
  const added = [4, 1, 0, 0, 1, 0, 0, 0, 2];
  const want: Record<string, [number, number | 'stale'][]> = {};
  let previous: string[] = [];
  for (const [i, series] of scrapes.entries()) {
    const ts = 1000 * (i + 1);
    tg.text((series ?? []).map((s, k) => `${s} ${10 * i + k}\n`).join(''));
    if (series === null) tg.serve((res) => res.writeHead(500).end());
    await loop.scrapeOnce(ts);
    assert.equal(loop.health, series === null ? 'down' : 'up', loop.lastError);
    const kept = (series ?? []).filter((s) => s !== 'drop_me');
    for (const s of previous) if (!kept.includes(s)) (want[s] ??= []).push([ts, 'stale']);
    for (const s of kept) (want[s] ??= []).push([ts, 10 * i + series!.indexOf(s)]);
    previous = kept;
    const d = dump(db);
    const report = d['{__name__="scrape_series_added", instance="i:1", job="j"}']!;
    if (series !== null) assert.deepEqual(report.at(-1), [ts, added[i]], `scrape ${i}`);
  }
  const d = dump(db);
  for (const [s, samples] of Object.entries(want)) {
    const name = s.split('{')[0]!;
    const l = s.includes('{') ? `l="${s.slice(s.indexOf('"') + 1, -2)}", ` : '';
    assert.deepEqual(
      d[`{__name__="${name}", instance="i:1", job="j", ${l}}`.replace(', }', '}')],
      samples,
      s,
    );
  }
  assert.equal(
    Object.keys(d).some((k) => k.includes('drop_me')),
    false,
  );
});

test('a target switching between the text format and OpenMetrics keeps its series', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url);
  const om = (body: string) => (res: ServerResponse) =>
    res
      .writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0' })
      .end(`${body}# EOF\n`);
  tg.text('a{x="1"} 1\nb 1\n');
  await loop.scrapeOnce(1000);
  tg.serve(om('a{x="1"} 2\nb 2\n'));
  await loop.scrapeOnce(2000);
  tg.serve(om('a{x="1"} 3\nb 3\n'));
  await loop.scrapeOnce(3000);
  tg.text('a{x="1"} 4\nb 4\n');
  await loop.scrapeOnce(4000);
  assert.equal(loop.health, 'up', loop.lastError);
  const d = dump(db);
  const want = [1, 2, 3, 4].map((v) => [1000 * v, v]);
  assert.deepEqual(d['{__name__="a", instance="i:1", job="j", x="1"}'], want);
  assert.deepEqual(d['{__name__="b", instance="i:1", job="j"}'], want);
});

test('stopping a loop whose target went away marks its series stale', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url);
  tg.text('a 1\n');
  await loop.scrapeOnce(1000);
  await loop.stop(true);
  const d = dump(db);
  assert.equal(d['{__name__="a", instance="i:1", job="j"}']!.at(-1)![1], 'stale');
  assert.equal(d['{__name__="up", instance="i:1", job="j"}']!.at(-1)![1], 'stale');
});

test('limits fail the whole scrape with Prometheus words; nothing of it is stored', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url, { sample_limit: 2, label_value_length_limit: 5 });
  tg.text('a 1\nb 1\nc 1\n');
  await loop.scrapeOnce(1000);
  assert.equal(loop.lastError, 'sample limit exceeded');
  assert.equal(dump(db)['{__name__="a", instance="i:1", job="j"}'], undefined);
  tg.text('a{x="toolong"} 1\n');
  await loop.scrapeOnce(2000);
  assert.match(loop.lastError, /^label_value_length_limit exceeded \(metric: a, label name: x/);
});

test('gzip bodies are read; bodies over body_size_limit and slow targets fail', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url, { body_size_limit: 1000 }, 300);
  tg.serve((res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end(gzipSync('a 1\n')),
  );
  await loop.scrapeOnce(1000);
  assert.equal(loop.health, 'up', loop.lastError);
  assert.deepEqual(dump(db)['{__name__="a", instance="i:1", job="j"}'], [[1000, 1]]);
  tg.serve((res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end(gzipSync(`a 1\n${'# x\n'.repeat(1000)}`)),
  );
  await loop.scrapeOnce(2000);
  assert.equal(loop.lastError, 'body size limit exceeded');
  tg.serve(() => {
    /* hangs */
  });
  await loop.scrapeOnce(3000);
  assert.equal(loop.lastError, `Get "${tg.url}": context deadline exceeded`);
  tg.text('this is not { metrics\n');
  await loop.scrapeOnce(4000);
  assert.equal(loop.health, 'down');
  assert.notEqual(loop.lastError, '');
});

test('a gzip body of several members is read whole', async (t) => {
  const tg = await target(t);
  const { db, loop } = setup(t, tg.url);
  const big = Array.from({ length: 5000 }, (_, i) => `b{i="${i}"} ${i}\n`).join('');
  tg.serve((res) =>
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end(Buffer.concat([gzipSync(big), gzipSync('a 1\n')])),
  );
  await loop.scrapeOnce(1000);
  assert.equal(loop.health, 'up', loop.lastError);
  const d = dump(db);
  assert.deepEqual(d['{__name__="a", instance="i:1", job="j"}'], [[1000, 1]]);
  assert.deepEqual(d['{__name__="b", i="4999", instance="i:1", job="j"}'], [[1000, 4999]]);
});

test('series with their own timestamps are not marked stale unless track_timestamps_staleness', async (t) => {
  for (const track of [false, true]) {
    const tg = await target(t);
    const { db, loop } = setup(t, tg.url, { track_timestamps_staleness: track });
    tg.text('a 1 500\nb 1\n');
    await loop.scrapeOnce(1000);
    tg.text('');
    await loop.scrapeOnce(2000);
    const d = dump(db);
    assert.deepEqual(d['{__name__="b", instance="i:1", job="j"}']!.at(-1), [2000, 'stale']);
    assert.deepEqual(
      d['{__name__="a", instance="i:1", job="j"}']!.at(-1),
      track ? [2000, 'stale'] : [500, 1],
      `track_timestamps_staleness: ${track}`,
    );
  }
});

test('the Accept header follows scrape_protocols; unknown Content-Types use the fallback', () => {
  assert.equal(
    acceptHeader(['OpenMetricsText1.0.0', 'PrometheusText0.0.4']),
    'application/openmetrics-text;version=1.0.0;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.4',
  );
  assert.equal(
    effectiveContentType('text/plain; version=0.0.4', 'OpenMetricsText1.0.0'),
    'text/plain; version=0.0.4',
  );
  assert.equal(
    effectiveContentType('', 'OpenMetricsText1.0.0'),
    'application/openmetrics-text;version=1.0.0',
  );
  assert.equal(effectiveContentType('application/json', undefined), 'text/plain;version=0.0.4');
});
