// Remote write 1.0 against the built server: hand-built requests (every answer the receiver
// gives), Debian's Prometheus as a real sender, and Prometheus' own receiver decoding what our
// Snappy encoder and protobuf writer produce (the path the remote write sender will take).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import { Matcher } from '../../src/metrics/model/matcher.js';
import {
  encodeWriteRequest,
  type SeriesSpec,
} from '../../src/metrics/remote/testdata/write-request.js';
import { Tsdb } from '../../src/metrics/tsdb/db.js';
import { startVigil, type VigilServer } from '../harness/vigil.js';
import { HAVE_PROMETHEUS, startPrometheus } from '../harness/prometheus.js';

const SKIP = !HAVE_PROMETHEUS && !process.env.CI ? 'prometheus not installed' : false;
// Shutdown would otherwise wait up to a minute to flush the remote write queue.
const FLUSH = ['--storage.remote.flush-deadline=1s'];
const STALE_NAN = 0x7ff0000000000002n;
const HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

// Not `new Float64Array([v])`: V8 quiets a signalling NaN (the staleness marker) in number arrays.
const scratch = new DataView(new ArrayBuffer(8));
function bitsOf(v: number): bigint {
  scratch.setFloat64(0, v);
  return scratch.getBigUint64(0);
}

function post(url: string, body: Uint8Array, headers: Record<string, string> = HEADERS) {
  return fetch(url, { method: 'POST', body, headers });
}

/** Every sample of the series matching `matchers`, as `labels → [t, value bits][]`. */
async function readBack(
  dataDir: string,
  matchers: Matcher[],
): Promise<Record<string, [number, bigint][]>> {
  const db = Tsdb.open(join(dataDir, 'metrics'));
  const q = db.querier(-Infinity, Infinity);
  try {
    const out: Record<string, [number, bigint][]> = {};
    const set = q.select(matchers);
    while (set.next()) {
      const it = set.at().iterator();
      const samples: [number, bigint][] = [];
      while (it.next()) samples.push([it.atT(), bitsOf(it.atV())]);
      out[set.at().labels.toString()] = samples;
    }
    return out;
  } finally {
    q.close();
    await db.close();
  }
}

/** The value of the first sample of `name` on Vigil's /metrics, or 0 when absent. */
async function metric(vigil: VigilServer, name: string): Promise<number> {
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

test('remote write: stored samples, partial refusals and every error status', async (t) => {
  const vigil = await startVigil(t, { config: 'server:\n  max_request_body_size: 64KiB\n' });
  const url = `${vigil.url}/api/v1/write`;
  const write = (series: SeriesSpec[], metadata = 0) =>
    post(url, snappyEncode(encodeWriteRequest(series, metadata)));
  const now = Date.now();
  const expectText = async (res: Response, status: number, body: RegExp) => {
    assert.equal(res.status, status);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await res.text(), body);
  };

  const ok = await write(
    [
      {
        labels: [
          ['__name__', 'rw_e2e'],
          ['job', 'e2e'],
          ['instance', 'a'],
        ],
        samples: [
          [now - 3000, 1.5],
          [now - 2000, -2],
          [now - 1000, STALE_NAN],
        ],
        exemplars: 1,
      },
      {
        labels: [
          ['zone', 'eu'],
          ['__name__', 'rw_e2e'],
          ['job', 'e2e'],
        ],
        samples: [[now - 1000, Infinity]],
        histograms: 2,
      },
    ],
    3,
  );
  assert.equal(ok.status, 204);
  assert.equal(await ok.text(), '');

  // An out-of-order sample is refused; the good one in the same request is stored.
  await expectText(
    await write([
      {
        labels: [
          ['__name__', 'rw_e2e'],
          ['instance', 'a'],
          ['job', 'e2e'],
        ],
        samples: [[now - 5000, 9]],
      },
      { labels: [['__name__', 'rw_e2e_late']], samples: [[now, 42]] },
    ]),
    400,
    new RegExp(
      String.raw`^out of order sample \(1 of 2 samples rejected, the rest stored\): cannot append sample: out of order: series \{__name__="rw_e2e", instance="a", job="e2e"\} at ${now - 5000}, newest sample at ${now - 1000}\n$`,
    ),
  );
  await expectText(
    await write([{ labels: [['__name__', 'rw_e2e_late']], samples: [[now, 43]] }]),
    400,
    /^duplicate sample for timestamp \(1 of 1 samples rejected/,
  );
  await expectText(
    await write([{ labels: [['__name__', 'rw_e2e_late']], samples: [[now + 3_600_000, 1]] }]),
    400,
    /^out of bounds: timestamp is too far in the future \(1 of 1 samples rejected/,
  );
  await expectText(
    await write([{ labels: [['job', 'x']], samples: [[now, 1]] }]),
    400,
    /^invalid labels \(1 of 1 samples rejected, the rest stored\): cannot append series \{job="x"\}: no metric name/,
  );

  // Missing headers mean remote write 1.0, as Prometheus' receiver assumes.
  const bare = snappyEncode(
    encodeWriteRequest([{ labels: [['__name__', 'rw_e2e_bare']], samples: [[now, 7]] }]),
  );
  assert.equal((await post(url, bare, {})).status, 204);

  await expectText(
    await post(url, Uint8Array.of(0x05, 0x01, 0x00)),
    400,
    /^cannot decode snappy block at offset 1: copy offset 0 is outside the 0 bytes decoded so far\n$/,
  );
  await expectText(
    await post(url, snappyEncode(Uint8Array.of(0x08, 0x01))),
    400,
    /^cannot decode remote write request at offset 0: WriteRequest.timeseries has wire type 0, want 2\n$/,
  );
  await expectText(
    await post(url, bare, { ...HEADERS, 'content-type': 'application/json' }),
    415,
    /^unsupported content type "application\/json": expected application\/x-protobuf\n$/,
  );
  await expectText(
    await post(url, bare, { ...HEADERS, 'content-encoding': 'gzip' }),
    415,
    /^unsupported content encoding "gzip": expected snappy\n$/,
  );
  await expectText(
    await post(url, bare, {
      ...HEADERS,
      'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
    }),
    415,
    /^unsupported protobuf message "io.prometheus.write.v2.Request": only prometheus.WriteRequest/,
  );
  // A header declaring 33 MiB: refused before anything is allocated for it.
  await expectText(
    await post(url, Uint8Array.of(0x80, 0x80, 0x80, 0x11, 0x00)),
    413,
    /^cannot decode snappy block at offset 0: uncompressed length 35651584 exceeds the limit of 33554432 bytes\n$/,
  );
  await expectText(
    await post(url, new Uint8Array(65 * 1024)),
    413,
    /^Request body is too large\n$/,
  );

  assert.equal(await metric(vigil, 'vigil_remote_write_received_samples_total'), 10);
  for (const [reason, n] of [
    ['out_of_order', 1],
    ['duplicate', 1],
    ['too_far_in_future', 1],
    ['invalid_labels', 1],
    ['out_of_bounds', 0],
  ] as const) {
    assert.equal(
      await metric(vigil, `vigil_remote_write_rejected_samples_total{reason="${reason}"}`),
      n,
    );
  }
  for (const [kind, n] of [
    ['histogram', 2],
    ['exemplar', 1],
    ['metadata', 0],
  ] as const) {
    assert.equal(await metric(vigil, `vigil_remote_write_ignored_total{kind="${kind}"}`), n);
  }
  assert.equal(await metric(vigil, 'vigil_remote_write_received_metadata_total'), 3);

  assert.equal((await vigil.stop()).code, 0);
  assert.deepEqual(await readBack(vigil.dataDir, [new Matcher('=~', '__name__', 'rw_e2e.*')]), {
    '{__name__="rw_e2e", instance="a", job="e2e"}': [
      [now - 3000, bitsOf(1.5)],
      [now - 2000, bitsOf(-2)],
      [now - 1000, STALE_NAN],
    ],
    '{__name__="rw_e2e", job="e2e", zone="eu"}': [[now - 1000, bitsOf(Infinity)]],
    '{__name__="rw_e2e_bare"}': [[now, bitsOf(7)]],
    '{__name__="rw_e2e_late"}': [[now, bitsOf(42)]],
  });
});

test(
  "Prometheus' remote_write sends its own scrapes to Vigil",
  { skip: SKIP, timeout: 40_000 },
  async (t) => {
    const vigil = await startVigil(t);
    const prometheus = await startPrometheus(
      t,
      (port) => `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:${port}']
remote_write:
  - url: ${vigil.url}/api/v1/write
    queue_config:
      batch_send_deadline: 1s
      min_backoff: 100ms
      max_backoff: 1s
    metadata_config:
      send_interval: 1s
`,
      FLUSH,
    );
    // Vigil has its samples once both metrics have series and the metadata Prometheus sends
    // every send_interval has arrived; the first scrape comes some 5 s after Prometheus starts.
    const deadline = Date.now() + 25_000;
    const metadataOf = async (family: string) => {
      const res = await fetch(`${vigil.url}/api/v1/metadata?metric=${family}`);
      return ((await res.json()) as { data: Record<string, unknown[]> }).data[family];
    };
    for (;;) {
      const res = await fetch(`${vigil.url}/api/v1/status/tsdb?limit=100000`);
      const names = new Set(
        (
          (await res.json()) as { data: { seriesCountByMetricName: { name: string }[] } }
        ).data.seriesCountByMetricName.map((e) => e.name),
      );
      const metadata = await metadataOf('prometheus_build_info');
      if (names.has('up') && names.has('prometheus_build_info') && metadata !== undefined) break;
      assert.ok(Date.now() < deadline, `nothing arrived; prometheus log:\n${prometheus.log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // One more scrape's batch, so the series arrive a second time (the sender's steady state).
    const firstScrape = await metric(vigil, 'vigil_remote_write_received_samples_total');
    assert.ok(firstScrape > 100, `${firstScrape} samples`);
    while ((await metric(vigil, 'vigil_remote_write_received_samples_total')) < 2 * firstScrape) {
      assert.ok(Date.now() < deadline, `no second scrape; prometheus log:\n${prometheus.log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // Metadata of the families Prometheus scraped from itself, as its own API shows it.
    const ownMetadata = (await (await fetch(`${prometheus.url}/api/v1/metadata`)).json()) as {
      data: Record<string, unknown[]>;
    };
    for (const family of ['prometheus_build_info', 'prometheus_http_request_duration_seconds']) {
      assert.deepEqual(await metadataOf(family), ownMetadata.data[family], family);
    }
    assert.deepEqual(await metadataOf('prometheus_http_request_duration_seconds'), [
      { type: 'histogram', help: 'Histogram of latencies for HTTP requests.', unit: '' },
    ]);
    assert.equal(
      await metric(vigil, 'vigil_remote_write_ignored_total{kind="metadata"}'),
      0,
      'metadata entries dropped',
    );
    // Through the query API, the scraped series read as Prometheus reads them itself.
    type Vector = {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    const instant = async (base: string, query: string) =>
      (
        (await (
          await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`)
        ).json()) as Vector
      ).data.result.map((r) => [r.metric, r.value[1]]);
    for (const query of ['up{job="prometheus"}', 'prometheus_build_info']) {
      assert.deepEqual(
        await instant(vigil.url, query),
        await instant(prometheus.url, query),
        query,
      );
    }
    const stoppedAt = Date.now();
    await prometheus.stop();
    assert.doesNotMatch(prometheus.log(), /component=remote level=(error|warn)/);
    assert.equal((await vigil.stop()).code, 0);
    assert.deepEqual(
      vigil.logs.filter((l) => l.level === 'error'),
      [],
    );

    const instance = `127.0.0.1:${prometheus.port}`;
    const up = await readBack(vigil.dataDir, [
      new Matcher('=', '__name__', 'up'),
      new Matcher('=', 'job', 'prometheus'),
    ]);
    assert.deepEqual(Object.keys(up), [
      `{__name__="up", instance="${instance}", job="prometheus"}`,
    ]);
    // A scrape of itself that Prometheus starts while it shuts down fails (up 0) and is still
    // sent: only the samples from before the stop say what it scraped.
    const samples = Object.values(up)[0]!.filter(([ts]) => ts < stoppedAt);
    assert.ok(samples.length >= 2, `${samples.length} samples`);
    assert.ok(
      samples.every(([, v]) => v === bitsOf(1)),
      JSON.stringify(samples.map(String)),
    );
    const build = await readBack(vigil.dataDir, [
      new Matcher('=', '__name__', 'prometheus_build_info'),
    ]);
    const [labels, buildSamples] = Object.entries(build)[0]!;
    assert.match(labels, /version="2\.\d+\.\d+/);
    assert.ok(buildSamples.every(([, v]) => v === bitsOf(1)));
    t.diagnostic(`${samples.length} up samples, ${buildSamples.length} build_info samples`);
  },
);

test(
  "Prometheus' receiver reads what our Snappy encoder and protobuf writer produce",
  { skip: SKIP, timeout: 20_000 },
  async (t) => {
    const prometheus = await startPrometheus(t, () => 'global:\n  scrape_interval: 1m\n', [
      ...FLUSH,
      '--web.enable-remote-write-receiver',
    ]);
    // Label text that compresses unevenly (literals of every length class, copies near and
    // far), and values whose decimal forms round-trip through Prometheus' JSON.
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    let blob = '';
    while (blob.length < 40_000) {
      blob +=
        rnd() < 0.1
          ? Math.floor(rnd() * 1e15)
              .toString(36)
              .repeat(5)
          : words[Math.floor(rnd() * 8)]!;
      blob += rnd() < 0.5 ? '-' : String(Math.floor(rnd() * 100));
    }
    const now = Date.now();
    const series: SeriesSpec[] = Array.from({ length: 40 }, (_, i) => ({
      labels: [
        ['__name__', 'vigil_snappy_interop'],
        ['i', String(i)],
        ['blob', blob.slice(i * 500, i * 500 + 3000 + i * 97)],
        [
          'noise',
          Array.from({ length: 300 + i }, () => Math.floor(rnd() * 36).toString(36)).join(''),
        ],
      ],
      samples: Array.from({ length: 10 }, (_, k): [number, number] => [
        now - 60_000 + k * 1000,
        (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20),
      ]),
    }));
    const raw = encodeWriteRequest(series);
    const body = snappyEncode(raw);
    // Over 3 blocks of 64 KiB, with literals of all three length forms and both copy forms.
    assert.ok(
      raw.length > 3 * 65536 && body.length < raw.length / 3,
      `${raw.length} → ${body.length}`,
    );
    const res = await post(`${prometheus.url}/api/v1/write`, body);
    assert.equal(res.status, 204, await res.text());

    const query = encodeURIComponent('vigil_snappy_interop[10m]');
    const got = (await (
      await fetch(`${prometheus.url}/api/v1/query?query=${query}&time=${now / 1000}`)
    ).json()) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    assert.equal(got.data.result.length, series.length);
    for (const r of got.data.result) {
      const s = series[Number(r.metric.i)]!;
      assert.equal(r.metric.blob, s.labels[2]![1]);
      assert.equal(r.metric.noise, s.labels[3]![1]);
      assert.deepEqual(
        r.values.map(([ts, v]) => [Math.round(ts * 1000), Number(v)]),
        s.samples,
      );
    }

    // Prometheus answers an out-of-order sample as Vigil does: 400, "out of order sample".
    const late = await post(
      `${prometheus.url}/api/v1/write`,
      snappyEncode(
        encodeWriteRequest([
          { labels: series[0]!.labels, samples: [[now - 120_000, 1]] },
          { labels: [['__name__', 'vigil_snappy_interop_good']], samples: [[now, 1]] },
        ]),
      ),
    );
    assert.equal(late.status, 400);
    assert.match(await late.text(), /^out of order sample/);
    const good = (await (
      await fetch(
        `${prometheus.url}/api/v1/query?query=vigil_snappy_interop_good&time=${now / 1000}`,
      )
    ).json()) as { data: { result: unknown[] } };
    t.diagnostic(
      `Prometheus kept the good sample of a partly refused request: ${good.data.result.length > 0}`,
    );
    await prometheus.stop();
  },
);
