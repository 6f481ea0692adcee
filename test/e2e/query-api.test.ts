// The Prometheus query API against the built server: samples go in through remote write, then
// instant and range queries, series and label metadata, format_query, GET and POST forms, and
// the error answers Prometheus gives (type, status and text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import {
  encodeWriteRequest,
  type SeriesSpec,
} from '../../src/metrics/remote/testdata/write-request.js';
import { startVigil } from '../harness/vigil.js';

const HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};
const STEP = 15_000;
const POINTS = 41; // ten minutes at 15 s

/** A counter that grows by `perStep` every 15 s from `t0`. */
function counter(t0: number, job: string, instance: string, perStep: number): SeriesSpec {
  return {
    labels: [
      ['__name__', 'http_requests_total'],
      ['job', job],
      ['instance', instance],
    ],
    samples: Array.from({ length: POINTS }, (_, i) => [t0 + i * STEP, i * perStep]),
  };
}

interface Body {
  status: string;
  data?: unknown;
  warnings?: string[];
  infos?: string[];
  errorType?: string;
  error?: string;
}

test('query API: queries, metadata and errors as Prometheus answers them', async (t) => {
  // Without Vigil scraping itself: the assertions are about exactly the data written here.
  const vigil = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
  // Whole minutes, so that step timestamps print as whole seconds.
  const t0 = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;
  const s0 = t0 / 1000;
  const written = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    headers: HEADERS,
    body: snappyEncode(
      encodeWriteRequest([
        counter(t0, 'api', 'a', 1),
        counter(t0, 'api', 'b', 2),
        counter(t0, 'web', 'c', 5),
      ]),
    ),
  });
  assert.equal(written.status, 204);

  const get = async (path: string, params: Record<string, string | string[]> = {}) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) search.append(k, x);
    const res = await fetch(`${vigil.url}${path}?${search}`);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Body,
    };
  };
  const post = async (path: string, params: Record<string, string | string[]>) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) form.append(k, x);
    const res = await fetch(`${vigil.url}${path}`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const ok = (r: { status: number; body: Body }) => {
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'success');
    return r.body.data;
  };
  const fails = (
    r: { status: number; body: Body },
    status: number,
    errorType: string,
    error: string | RegExp,
  ) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.status, 'error');
    assert.equal(r.body.errorType, errorType);
    if (typeof error === 'string') assert.equal(r.body.error, error);
    else assert.match(r.body.error ?? '', error);
  };

  await t.test('instant query: sum by, GET and POST', async () => {
    const params = { query: 'sum by (job) (http_requests_total)', time: String(s0 + 300) };
    const expected = {
      resultType: 'vector',
      result: [
        { metric: { job: 'api' }, value: [s0 + 300, '60'] },
        { metric: { job: 'web' }, value: [s0 + 300, '100'] },
      ],
    };
    const r = await get('/api/v1/query', params);
    assert.equal(r.type, 'application/json; charset=utf-8');
    assert.deepEqual(ok(r), expected);
    assert.equal(r.body.warnings, undefined);
    assert.deepEqual(ok(await post('/api/v1/query', params)), expected);
    // RFC 3339 and a fraction of a second.
    const rfc = ok(
      await get('/api/v1/query', { query: '1', time: new Date(t0 + 1500).toISOString() }),
    );
    assert.deepEqual(rfc, { resultType: 'scalar', result: [s0 + 1.5, '1'] });
  });

  await t.test('instant query: rate, limit, default time', async () => {
    const data = ok(
      await get('/api/v1/query', {
        query: 'rate(http_requests_total{instance="a"}[1m])',
        time: String(s0 + 300),
      }),
    ) as {
      result: { metric: Record<string, string>; value: [number, string] }[];
    };
    assert.equal(data.result.length, 1);
    assert.deepEqual(data.result[0]!.metric, { instance: 'a', job: 'api' });
    assert.ok(Math.abs(Number(data.result[0]!.value[1]) - 1 / 15) < 1e-9, data.result[0]!.value[1]);

    const limited = await get('/api/v1/query', {
      query: 'http_requests_total',
      time: String(s0 + 300),
      limit: '1',
    });
    assert.equal((ok(limited) as { result: unknown[] }).result.length, 1);
    assert.deepEqual(limited.body.warnings, ['results truncated due to limit']);

    // The last samples are at +600 s: 100 s back, inside the default 5 m lookback, not 1 m.
    const late = { query: 'count(http_requests_total)', time: String(s0 + 700) };
    const count = (ok(await get('/api/v1/query', late)) as { result: { value: unknown[] }[] })
      .result;
    assert.equal(count[0]!.value[1], '3');
    const short = ok(await get('/api/v1/query', { ...late, lookback_delta: '1m' }));
    assert.deepEqual(short, { resultType: 'vector', result: [] });

    // Without `time` the query runs now: the samples are 10+ minutes old, past the lookback.
    assert.deepEqual(ok(await get('/api/v1/query', { query: 'http_requests_total' })), {
      resultType: 'vector',
      result: [],
    });
  });

  await t.test('range query', async () => {
    const params = {
      query: 'sum by (job) (http_requests_total{job="api"})',
      start: String(s0 + 60),
      end: String(s0 + 180),
      step: '1m',
    };
    const expected = {
      resultType: 'matrix',
      result: [
        {
          metric: { job: 'api' },
          values: [
            [s0 + 60, '12'],
            [s0 + 120, '24'],
            [s0 + 180, '36'],
          ],
        },
      ],
    };
    assert.deepEqual(ok(await get('/api/v1/query_range', params)), expected);
    assert.deepEqual(ok(await post('/api/v1/query_range', { ...params, step: '60' })), expected);
  });

  await t.test('range query: rate, and Inf/NaN as strings', async () => {
    const data = ok(
      await get('/api/v1/query_range', {
        query: 'rate(http_requests_total{instance="b"}[1m])',
        start: String(s0 + 120),
        end: String(s0 + 180),
        step: '30s',
      }),
    ) as { result: { metric: Record<string, string>; values: [number, string][] }[] };
    assert.equal(data.result.length, 1);
    assert.deepEqual(data.result[0]!.metric, { instance: 'b', job: 'api' });
    assert.deepEqual(
      data.result[0]!.values.map(([ts]) => ts),
      [s0 + 120, s0 + 150, s0 + 180],
    );
    for (const [, v] of data.result[0]!.values) assert.ok(Math.abs(Number(v) - 2 / 15) < 1e-9, v);
    assert.deepEqual(ok(await get('/api/v1/query', { query: '1/0', time: '10' })), {
      resultType: 'scalar',
      result: [10, '+Inf'],
    });
    assert.deepEqual(ok(await get('/api/v1/query', { query: '0/0', time: '10.25' })), {
      resultType: 'scalar',
      result: [10.25, 'NaN'],
    });
  });

  await t.test('series, labels, label values', async () => {
    const series = await get('/api/v1/series', { 'match[]': 'http_requests_total{job="api"}' });
    assert.deepEqual(ok(series), [
      { __name__: 'http_requests_total', instance: 'a', job: 'api' },
      { __name__: 'http_requests_total', instance: 'b', job: 'api' },
    ]);
    // Repeated match[] in a form body: the union, without duplicates.
    const union = await post('/api/v1/series', {
      'match[]': ['{instance="c"}', '{instance=~"a|c"}'],
    });
    assert.deepEqual(ok(union), [
      { __name__: 'http_requests_total', instance: 'a', job: 'api' },
      { __name__: 'http_requests_total', instance: 'c', job: 'web' },
    ]);
    assert.deepEqual(ok(await get('/api/v1/labels')), ['__name__', 'instance', 'job']);
    assert.deepEqual(ok(await post('/api/v1/labels', { 'match[]': '{job="web"}' })), [
      '__name__',
      'instance',
      'job',
    ]);
    assert.deepEqual(ok(await get('/api/v1/label/job/values')), ['api', 'web']);
    assert.deepEqual(ok(await get('/api/v1/label/instance/values', { 'match[]': '{job="web"}' })), [
      'c',
    ]);
    assert.deepEqual(ok(await get('/api/v1/label/nope/values')), []);
    const limited = await get('/api/v1/label/instance/values', { limit: '2' });
    assert.deepEqual(ok(limited), ['a', 'b']);
    assert.deepEqual(limited.body.warnings, ['results truncated due to limit']);
  });

  await t.test('format_query', async () => {
    assert.equal(
      ok(await get('/api/v1/format_query', { query: 'sum by(job)(  foo{a="b"} )' })),
      'sum by (job) (foo{a="b"})',
    );
    assert.equal(ok(await post('/api/v1/format_query', { query: '1+ 2' })), '1 + 2');
  });

  await t.test('errors', async () => {
    fails(
      await get('/api/v1/query', { query: 'sum(' }),
      400,
      'bad_data',
      /^invalid parameter "query": 1:5: parse error: /,
    );
    fails(
      await get('/api/v1/query', { query: 'foo)' }),
      400,
      'bad_data',
      `invalid parameter "query": 1:5: parse error: unexpected right parenthesis ')'`,
    );
    fails(
      await get('/api/v1/query', {}),
      400,
      'bad_data',
      'invalid parameter "query": unknown position: parse error: no expression found in input',
    );
    fails(
      await get('/api/v1/query', { query: '1', time: 'yesterday' }),
      400,
      'bad_data',
      `invalid parameter "time": invalid time value for 'time': cannot parse "yesterday" to a valid timestamp`,
    );
    fails(
      await get('/api/v1/query', { query: '1', timeout: 'soon' }),
      400,
      'bad_data',
      'invalid parameter "timeout": cannot parse "soon" to a valid duration',
    );
    fails(
      await get('/api/v1/query_range', { query: '1', end: '1', step: '1' }),
      400,
      'bad_data',
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    );
    fails(
      await get('/api/v1/query_range', { query: '1', start: '10', end: '5', step: '1' }),
      400,
      'bad_data',
      'invalid parameter "end": end timestamp must not be before start time',
    );
    fails(
      await get('/api/v1/query_range', { query: '1', start: '0', end: '10', step: '0' }),
      400,
      'bad_data',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    fails(
      await post('/api/v1/query_range', { query: '1', start: '0', end: '100000', step: '1' }),
      400,
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
    fails(
      await get('/api/v1/query_range', { query: 'up[5m]', start: '0', end: '10', step: '1' }),
      400,
      'bad_data',
      'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    fails(
      await get('/api/v1/query', { query: '1', lookback_delta: 'x' }),
      400,
      'bad_data',
      'error parsing lookback delta duration: cannot parse "x" to a valid duration',
    );
    fails(await get('/api/v1/series'), 400, 'bad_data', 'no match[] parameter provided');
    fails(
      await get('/api/v1/series', { 'match[]': '{a=""}' }),
      400,
      'bad_data',
      'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
    );
    fails(
      await get('/api/v1/labels', { limit: '-1' }),
      400,
      'bad_data',
      'invalid parameter "limit": limit must be non-negative',
    );
    fails(
      await get('/api/v1/format_query', { query: '1 +' }),
      400,
      'bad_data',
      /^invalid parameter "query": 1:4: parse error: /,
    );
    fails(
      await get('/api/v1/no_such_thing'),
      404,
      'not_found',
      'no such endpoint: GET /api/v1/no_such_thing',
    );
  });
});
