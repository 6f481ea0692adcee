// Vigil's remote write sender against Debian's VictoriaMetrics: what reaches Vigil reaches the
// remote, through write_relabel_configs and basic auth; while the remote is down for 30 s, and
// while Vigil itself restarts in that time, nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import { Labels } from '../../src/metrics/model/labels.js';
import { encodeLabels, encodeWriteRequest } from '../../src/metrics/remote/send/encode.js';
import { HAVE_VICTORIA_METRICS, victoriaMetrics } from '../harness/victoria-metrics.js';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

const SKIP = !HAVE_VICTORIA_METRICS && !process.env.CI ? 'victoria-metrics not installed' : false;
const SERIES = 10;
const STEP_MS = 50;

/** Writes one sample per series at `t` into Vigil through its remote write receiver. */
async function push(vigil: VigilServer, t: number): Promise<void> {
  const series = Array.from({ length: SERIES }, (_, i) => ({
    encodedLabels: encodeLabels(Labels.fromRecord({ __name__: 'sender_e2e', i: String(i) })),
  }));
  const values = new Float64Array(SERIES).map((_, i) => t * 10 + i);
  const body = encodeWriteRequest({
    length: SERIES,
    series,
    ts: new Float64Array(SERIES).fill(t),
    valueBytes: new Uint8Array(values.buffer),
  });
  const res = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    body: snappyEncode(body),
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
  });
  assert.equal(res.status, 204, await res.text());
}

/** What VictoriaMetrics holds for `sender_e2e`, as `labels → t=v` lines, sorted. */
async function exported(url: string, auth: string): Promise<Map<string, string[]>> {
  const res = await fetch(
    `${url}/api/v1/export?match[]=${encodeURIComponent('{__name__="sender_e2e"}')}`,
    {
      headers: { authorization: auth },
    },
  );
  assert.equal(res.status, 200, await res.clone().text());
  const out = new Map<string, string[]>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as {
      metric: Record<string, string>;
      values: number[];
      timestamps: number[];
    };
    const labels = Object.entries(row.metric).filter(([name]) => name !== '__name__');
    const key = JSON.stringify(labels.sort());
    out.set(
      key,
      row.timestamps.map((t, k) => `${t}=${row.values[k]}`),
    );
  }
  return out;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test(
  'samples reach VictoriaMetrics, none lost while it is down and Vigil restarts',
  { skip: SKIP, timeout: 180_000 },
  async (t) => {
    const vm = await victoriaMetrics(t, tempDir(t), [
      '-httpAuth.username=vigil',
      '-httpAuth.password=s3cret',
    ]);
    await vm.start();
    const auth = `Basic ${Buffer.from('vigil:s3cret').toString('base64')}`;
    const config = `
remote_write:
  - url: ${vm.url}/api/v1/write
    name: vm
    basic_auth: { username: vigil, password: s3cret }
    write_relabel_configs:
      - { source_labels: [i], regex: "9", action: drop }
      - { target_label: sent_by, replacement: vigil }
    queue_config:
      batch_send_deadline: 100ms
      min_backoff: 50ms
      max_backoff: 500ms
`;
    const dataDir = tempDir(t);
    let vigil = await startVigil(t, { config, dataDir });
    const pushed: number[] = [];
    let t0 = 0;
    const pushFor = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // Never ahead of the clock: VictoriaMetrics exports nothing newer than now.
        t0 = Math.max(t0 + 1, Date.now());
        await push(vigil, t0);
        pushed.push(t0);
        await new Promise((r) => setTimeout(r, STEP_MS));
      }
    };

    await pushFor(3000);
    await vm.stop();
    // Down for 30 s: Vigil keeps taking samples, retries, and restarts half-way through.
    await pushFor(15_000);
    const retried = metric(
      await (await fetch(`${vigil.url}/metrics`)).text(),
      'vigil_remote_storage_samples_retried_total',
    );
    assert.ok(retried > 0, `retried ${retried}`);
    assert.equal((await vigil.stop()).code, 0);
    vigil = await startVigil(t, { config, dataDir });
    await pushFor(15_000);
    await vm.start();
    await pushFor(2000);

    const want = new Map<string, string[]>();
    for (let i = 0; i < SERIES - 1; i++) {
      const key = JSON.stringify([
        ['i', String(i)],
        ['sent_by', 'vigil'],
      ]);
      want.set(
        key,
        pushed.map((ts) => `${ts}=${ts * 10 + i}`),
      );
    }
    let got = new Map<string, string[]>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      got = await exported(vm.url, auth);
      if ([...want].every(([k, v]) => (got.get(k)?.length ?? 0) >= v.length)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual(
      [...got.keys()].sort(),
      [...want.keys()].sort(),
      'series (i="9" dropped by relabeling)',
    );
    for (const [key, samples] of want) {
      const have = new Set(got.get(key));
      const missing = samples.filter((s) => !have.has(s));
      assert.deepEqual(
        missing.slice(0, 5),
        [],
        `${key}: ${missing.length} of ${samples.length} missing`,
      );
    }
    const text = await (await fetch(`${vigil.url}/metrics`)).text();
    assert.equal(metric(text, 'vigil_remote_storage_samples_failed_total'), 0);
  },
);
