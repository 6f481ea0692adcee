/**
 * The real peer reads our data and we read its: Debian's promtool and prometheus (2.42) against
 * a TSDB directory written by Vigil (blocks plus WAL), and Vigil against blocks promtool made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Labels } from '../model/labels.js';
import { Matcher } from '../model/matcher.js';
import { Tsdb } from './db.js';
import { tempDir } from '../../../test/harness/temp.js';

const PROMTOOL = '/usr/bin/promtool';
const PROMETHEUS = '/usr/bin/prometheus';
const missing = (bin: string) =>
  !existsSync(bin) && !process.env.CI ? `${bin} not installed (apt-get install prometheus)` : false;

const HOUR = 3600_000;
// A 2 h boundary, so the blocks Vigil cuts are aligned as Prometheus would cut them.
const T0 = 1_699_999_200_000;
const STEP = 60_000;
const SERIES = 4;
const SPAN = 5 * HOUR;

const value = (i: number, k: number) => (i === 3 ? k * 0.25 : k + i * 1000);

/** `promtool tsdb dump` lines for what {@link writeWithVigil} writes. */
function expectedDump(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < SERIES; i++) {
    for (let k = 0; k * STEP < SPAN; k++) {
      lines.push(
        `{__name__="vigil_interop", i="${i}", job="test"} ${value(i, k)} ${T0 + k * STEP}`,
      );
    }
  }
  return lines.sort();
}

async function writeWithVigil(dir: string): Promise<void> {
  const db = Tsdb.open(dir);
  const refs = new Array<number>(SERIES).fill(0);
  for (let k = 0; k * STEP < SPAN; k++) {
    const app = db.appender();
    for (let i = 0; i < SERIES; i++) {
      const labels = Labels.fromRecord({ __name__: 'vigil_interop', job: 'test', i: String(i) });
      refs[i] = app.append(refs[i]!, labels, T0 + k * STEP, value(i, k));
    }
    await app.commit();
  }
  await db.compact();
  assert.equal(db.blocks.length, 1, 'the first 2 h are in a block, the rest in the head and WAL');
  await db.close();
}

test(
  'promtool lists, analyzes and dumps exactly what Vigil wrote (block and WAL)',
  { skip: missing(PROMTOOL) },
  async (t) => {
    const dir = tempDir(t, 'vigil-interop-');
    await writeWithVigil(dir);
    const list = spawnSync(PROMTOOL, ['tsdb', 'list', dir], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(`\\s${T0}\\s+${T0 + 2 * HOUR}\\s+2h0m0s\\s+${SERIES * 120}\\s`),
    );
    const analyze = spawnSync(PROMTOOL, ['tsdb', 'analyze', dir], { encoding: 'utf8' });
    assert.equal(analyze.status, 0, analyze.stderr);
    assert.match(analyze.stdout, new RegExp(`^Series: ${SERIES}$`, 'm'));
    const dump = spawnSync(PROMTOOL, ['tsdb', 'dump', dir], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(dump.status, 0, dump.stderr);
    const lines = dump.stdout.trim().split('\n').sort();
    assert.deepEqual(lines, expectedDump());
  },
);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('Prometheus serves the blocks Vigil wrote', { skip: missing(PROMETHEUS) }, async (t) => {
  const dir = tempDir(t, 'vigil-interop-');
  const vigilDir = join(dir, 'vigil');
  await writeWithVigil(vigilDir);
  // Blocks only: the peer must read our block format, not replay our WAL.
  const promDir = join(dir, 'prometheus');
  cpSync(vigilDir, promDir, {
    recursive: true,
    filter: (src) => !src.includes(`${join(vigilDir, 'wal')}`),
  });
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const prom = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${promDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
    ],
    { stdio: 'ignore' },
  );
  t.after(() => prom.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while ((await fetch(`${base}/-/ready`).catch(() => null))?.status !== 200) {
    assert.ok(Date.now() < deadline, 'prometheus did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const params = new URLSearchParams({
    query: 'vigil_interop',
    start: String(T0 / 1000),
    end: String((T0 + 2 * HOUR - STEP) / 1000),
    step: '60',
  });
  const res = (await (await fetch(`${base}/api/v1/query_range?${params}`)).json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  assert.equal(res.status, 'success');
  assert.equal(res.data.result.length, SERIES);
  for (const s of res.data.result) {
    const i = Number(s.metric.i);
    assert.equal(s.values.length, 120);
    s.values.forEach(([ts, v], k) => {
      assert.equal(ts * 1000, T0 + k * STEP);
      assert.equal(Number(v), value(i, k));
    });
  }
});

test(
  'Vigil reads blocks made by promtool create-blocks-from openmetrics',
  { skip: missing(PROMTOOL) },
  async (t) => {
    const dir = tempDir(t, 'vigil-interop-');
    const lines = ['# TYPE peer_metric gauge'];
    const want = new Map<string, [number, number][]>();
    for (let i = 0; i < 3; i++) {
      const samples: [number, number][] = [];
      for (let k = 0; k < 300; k++) {
        const ts = T0 + k * 30_000 + (k % 7) * 11;
        const v = Math.round(Math.sin(k / 10) * 1e6) / 1e3 + i;
        samples.push([ts, v]);
        lines.push(`peer_metric{shard="${i}"} ${v} ${ts / 1000}`);
      }
      want.set(`{__name__="peer_metric", shard="${i}"}`, samples);
    }
    // OpenMetrics wants each metric's samples together and in time order.
    writeFileSync(join(dir, 'in.om'), lines.join('\n') + '\n# EOF\n');
    const data = join(dir, 'data');
    const made = spawnSync(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), data],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(made.status, 0, made.stderr);
    const db = Tsdb.open(data);
    assert.ok(db.blocks.length >= 1);
    const set = db
      .querier(0, Number.MAX_SAFE_INTEGER)
      .select([new Matcher('=', '__name__', 'peer_metric')]);
    const got = new Map<string, [number, number][]>();
    while (set.next()) {
      const samples: [number, number][] = [];
      for (const it = set.at().iterator(); it.next();) samples.push([it.atT(), it.atV()]);
      got.set(set.at().labels.toString(), samples);
    }
    await db.close();
    assert.deepEqual(got, want);
  },
);
