import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matcher } from '../../src/metrics/model/matcher.js';
import { Tsdb } from '../../src/metrics/tsdb/db.js';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';

const PROMTOOL = '/usr/bin/promtool';
const T0 = 1_700_000_000;

function openMetrics(): { text: string; samples: Map<string, [number, number][]> } {
  const lines = ['# TYPE backfilled counter'];
  const samples = new Map<string, [number, number][]>();
  for (let i = 0; i < 3; i++) {
    const list: [number, number][] = [];
    for (let k = 0; k < 1000; k++) {
      list.push([(T0 + k * 30) * 1000, k * 2 + i]);
      lines.push(`backfilled_total{shard="${i}"} ${k * 2 + i} ${T0 + k * 30}`);
    }
    samples.set(`{__name__="backfilled_total", shard="${i}"}`, list);
  }
  return { text: lines.join('\n') + '\n# EOF\n', samples };
}

test('vigil import openmetrics writes blocks that Vigil and promtool read back exactly', async (t) => {
  const dir = tempDir(t);
  const { text, samples } = openMetrics();
  writeFileSync(join(dir, 'in.om'), text);
  const r = await runVigil([
    'import',
    'openmetrics',
    join(dir, 'in.om'),
    '--data-dir',
    join(dir, 'data'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 3000 samples of 3 series into 5 blocks/);

  const db = Tsdb.open(join(dir, 'data', 'metrics'));
  const set = db
    .querier(0, Number.MAX_SAFE_INTEGER)
    .select([new Matcher('=', '__name__', 'backfilled_total')]);
  const got = new Map<string, [number, number][]>();
  while (set.next()) {
    const list: [number, number][] = [];
    for (const it = set.at().iterator(); it.next();) list.push([it.atT(), it.atV()]);
    got.set(set.at().labels.toString(), list);
  }
  await db.close();
  assert.deepEqual(got, samples);

  if (existsSync(PROMTOOL) || process.env.CI) {
    mkdirSync(join(dir, 'data', 'metrics', 'wal'), { recursive: true });
    const dump = spawnSync(PROMTOOL, ['tsdb', 'dump', join(dir, 'data', 'metrics')], {
      encoding: 'utf8',
    });
    assert.equal(dump.status, 0, dump.stderr);
    assert.equal(dump.stdout.trim().split('\n').length, 3000);
  }
});

test('vigil import rejects bad input with its line, and a data directory in use', async (t) => {
  const dir = tempDir(t);
  const f = async (name: string, body: string, want: RegExp) => {
    writeFileSync(join(dir, name), body);
    const r = await runVigil([
      'import',
      'openmetrics',
      join(dir, name),
      '--data-dir',
      join(dir, `data-${name}`),
    ]);
    assert.equal(r.code, 1, name);
    assert.match(r.stderr, want, name);
  };
  await f(
    'no-ts.om',
    '# TYPE m gauge\nm 1 1700000000\nm 2\n# EOF\n',
    /line 3: sample m has no timestamp/,
  );
  await f(
    'order.om',
    '# TYPE m gauge\nm 1 1700000010\nm 2 1700000000\n# EOF\n',
    /line 3: cannot append sample: out of order/,
  );
  await f('syntax.om', '# TYPE m gauge\nm{a=1} 1 1700000000\n# EOF\n', /line 2/);
  await f('no-eof.om', '# TYPE m gauge\nm 1 1700000000\n', /EOF/);

  const server = await startVigil(t);
  writeFileSync(join(dir, 'ok.om'), '# TYPE m gauge\nm 1 1700000000\n# EOF\n');
  const r = await runVigil([
    'import',
    'openmetrics',
    join(dir, 'ok.om'),
    '--data-dir',
    server.dataDir,
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /another Vigil server is using this data directory/);
  assert.equal((await server.stop()).code, 0);
});
