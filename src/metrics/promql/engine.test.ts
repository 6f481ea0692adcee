import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../model/labels.js';
import { Head } from '../tsdb/head/head.js';
import { Engine } from './engine.js';
import {
  QueryExecutionError,
  QueryParseError,
  QueryTimeoutError,
  QueryTooManySamplesError,
} from './errors.js';
import { FUNCTIONS } from './parser/functions.js';
import { FUNCTION_REGISTRY } from './functions/index.js';
import { FunctionRegistry, FunctionRegistryError } from './functions/registry.js';
import { formatQueryData } from './value.js';

/** A head with `series` counters sampled every minute for `minutes` minutes. */
async function head(series: number, minutes: number): Promise<Head> {
  const h = new Head();
  const app = h.appender();
  for (let s = 0; s < series; s++) {
    const labels = Labels.fromRecord({ __name__: 'm', i: String(s) });
    for (let t = 0; t <= minutes; t++) app.append(0, labels, t * 60_000, t * (s + 1));
  }
  await app.commit();
  return h;
}

test('instant and range queries return Prometheus API shapes', async () => {
  const db = await head(2, 10);
  const engine = new Engine();
  const vector = await engine.instantQuery(db, 'm{i="1"} / 4', 90_500);
  assert.equal(
    formatQueryData(vector),
    '{"resultType":"vector","result":[{"metric":{"i":"1"},"value":[90.500,"0.5"]}]}',
  );
  const scalar = await engine.instantQuery(db, '1 / 0', 1000);
  assert.equal(formatQueryData(scalar), '{"resultType":"scalar","result":[1,"+Inf"]}');
  const str = await engine.instantQuery(db, '"a<b"', 1000);
  assert.equal(formatQueryData(str), '{"resultType":"string","result":[1,"a\\u003cb"]}');
  const matrix = await engine.rangeQuery(db, 'sum(m)', 0, 120_000, 60_000);
  assert.equal(
    formatQueryData(matrix),
    '{"resultType":"matrix","result":[{"metric":{},"values":[[0,"0"],[60,"3"],[120,"6"]]}]}',
  );
  const scalarRange = await engine.rangeQuery(db, 'time()', 0, 60_000, 60_000);
  assert.equal(
    formatQueryData(scalarRange),
    '{"resultType":"matrix","result":[{"metric":{},"values":[[0,"0"],[60,"60"]]}]}',
  );
});

test('instant vectors come sorted by labels unless the query orders them', async () => {
  const db = await head(3, 1);
  const engine = new Engine();
  const plain = await engine.instantQuery(db, 'm', 60_000);
  assert.deepEqual(plain.resultType === 'vector' && plain.result.map((s) => s.labels.get('i')), [
    '0',
    '1',
    '2',
  ]);
  const sorted = await engine.instantQuery(db, 'sort_desc(m)', 60_000);
  assert.deepEqual(sorted.resultType === 'vector' && sorted.result.map((s) => s.labels.get('i')), [
    '2',
    '1',
    '0',
  ]);
});

test('parse errors keep the parser message and position', async () => {
  const engine = new Engine();
  await assert.rejects(engine.instantQuery(new Head(), 'sum(', 0), (err: unknown) => {
    assert.ok(err instanceof QueryParseError);
    assert.match(err.message, /^1:5: parse error: /);
    assert.ok(err.parseError !== undefined);
    return true;
  });
  await assert.rejects(
    engine.rangeQuery(new Head(), 'm[5m]', 0, 60_000, 60_000),
    new QueryParseError(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    ),
  );
  await assert.rejects(
    new Engine({ enableAtModifier: false }).instantQuery(new Head(), 'm @ 10', 0),
    new QueryParseError('@ modifier is disabled'),
  );
  await assert.rejects(engine.instantQuery(new Head(), 'limitk(1, m)', 0), QueryParseError);
  assert.throws(() => engine.rangeQuery(new Head(), 'm', 0, 1, 0), RangeError);
});

test('execution errors carry Prometheus messages', async () => {
  const db = await head(2, 1);
  await assert.rejects(
    new Engine().instantQuery(db, 'm + on() m', 60_000),
    new QueryExecutionError(
      'found duplicate series for the match group {} on the right hand-side of the operation: [{__name__="m", i="1"}, {__name__="m", i="0"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ),
  );
});

test('a query may override the lookback delta', async () => {
  const db = await head(1, 1);
  const engine = new Engine();
  // The last sample is at 60 s, 140 s before the query.
  const count = async (lookbackDelta?: number): Promise<number> => {
    const r = await engine.instantQuery(db, 'm', 200_000, { lookbackDelta });
    return r.resultType === 'vector' ? r.result.length : -1;
  };
  assert.equal(await count(), 1);
  assert.equal(await count(60_000), 0);
});

test('functions without an implementation fail the query, not the process', async () => {
  await assert.rejects(
    new Engine({ experimentalFunctions: true }).instantQuery(new Head(), 'info(m)', 0),
    new QueryExecutionError('function info() is not supported by this engine'),
  );
});

test('the sample limit counts samples as Prometheus does', async () => {
  const db = await head(2, 10);
  // 2 series × 11 steps are selected, then 11 points of the sum are produced.
  const q = (max: number) =>
    new Engine({ maxSamples: max }).rangeQuery(db, 'sum(m)', 0, 600_000, 60_000);
  await assert.rejects(q(21), QueryTooManySamplesError);
  await assert.doesNotReject(q(22));
  await assert.rejects(
    new Engine({ maxSamples: 5 }).instantQuery(db, 'm[10m]', 600_000),
    /query processing would load too many samples into memory in query execution/,
  );
});

test('a long query times out and yields to the event loop while it runs', async () => {
  const db = await head(50, 24 * 60);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await assert.rejects(
      new Engine({ timeout: 200 }).rangeQuery(db, 'sum(rate(m[1h]))', 0, 86_400_000, 1000),
      new QueryTimeoutError('expression evaluation'),
    );
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 0, 'timers ran during the query');
});

test('every function of the parser table has an implementation, except info()', () => {
  for (const name of FUNCTIONS.keys()) {
    if (name === 'info') continue;
    assert.ok(FUNCTION_REGISTRY.has(name), name);
  }
  assert.throws(
    () => FUNCTION_REGISTRY.get('nope'),
    /cannot find function "nope" \(known: abs, absent/,
  );
  const f = { kind: 'elementwise', name: 'x', fn: (v: number) => v } as const;
  assert.throws(() => new FunctionRegistry([f, f]), FunctionRegistryError);
});
