/**
 * @module
 * Runs Debian's Pushgateway (1.5.1) and `vigil pushgateway` side by side, sends both the same
 * scripted pushes — PUT, POST and DELETE, grouping keys with several labels and base64, a type
 * conflict, a timestamp, a help conflict, a duplicate series across groups, invalid label names,
 * malformed bodies — and requires the same status code for every request and the same `/metrics`
 * exposition. Compared apart from: the values of `push_time_seconds` and
 * `push_failure_time_seconds` when not 0 (wall-clock times of each process), and the
 * Pushgateway's own metrics (`go_*`, `process_*`, `pushgateway_*`, `promhttp_*`), which Vigil's
 * pushgateway does not expose. Where two groups push one family with different help texts the
 * Pushgateway picks the winner by Go's map order, so for that family either text is accepted.
 * Then Vigil is killed with SIGKILL and restarted on the same data directory, and must expose
 * the same again: every acknowledged push was on disk.
 */

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';
import { VIGIL_BIN } from '../harness/vigil.js';

const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
const SELF_METRICS = /^(# (HELP|TYPE) )?(go_|process_|pushgateway_|promhttp_)/;
const HELP_CONFLICT = 'conflicting_help';

interface Step {
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

const STEPS: Step[] = [
  {
    method: 'PUT',
    path: '/metrics/job/batch/instance/host1',
    body:
      '# TYPE jobs_done counter\n# HELP jobs_done Jobs done.\njobs_done{kind="a"} 42\n' +
      'jobs_done{kind="b"} 7\n# TYPE last_duration gauge\nlast_duration 2398.283\n',
  },
  { method: 'POST', path: '/metrics/job/batch/instance/host1', body: 'last_duration 1.5\n' },
  {
    method: 'POST',
    path: '/metrics/job/batch/instance/host1',
    body: '# TYPE last_duration gauge\nlast_duration 1.5\n',
  },
  { method: 'POST', path: '/metrics/job/batch/instance/host1', body: 'extra{a=""} 1\n' },
  {
    method: 'PUT',
    path: '/metrics/job/batch/instance/host2',
    body: '# TYPE last_duration gauge\nlast_duration 3\n',
  },
  {
    method: 'PUT',
    path: '/metrics/job/batch/instance/host2',
    body: '# TYPE jobs_done counter\njobs_done{kind="a"} 1\n',
  },
  // Base64 job and values, an empty value, a value with a slash, several labels.
  {
    method: 'POST',
    path: '/metrics/job@base64/L3Zhci90bXA/path@base64/L3Zhci90bXA/empty@base64/=/zone/eu',
    body: 'cleaned_bytes{job="overwritten",zone="overwritten"} 1e+06\n',
  },
  {
    method: 'POST',
    path: '/metrics/job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C',
    body: 'fire 1\n',
  },
  { method: 'POST', path: '/metrics/job/titan/name/%CE%A0', body: 'fire 2\n' },
  // A summary and a histogram, `le` spelled differently, a bucket list without +Inf.
  {
    method: 'PUT',
    path: '/metrics/job/latency',
    body:
      '# HELP req_seconds Request latency.\n# TYPE req_seconds histogram\n' +
      'req_seconds_bucket{le="0.5"} 1\nreq_seconds_bucket{le="1.0"} 2\nreq_seconds_bucket{le="+Inf"} 3\n' +
      'req_seconds_sum 4.5\nreq_seconds_count 3\n# TYPE partial histogram\npartial_bucket{le="1"} 1\n' +
      '# TYPE rpc summary\nrpc{quantile="0.5"} 1\nrpc{quantile="0.99"} NaN\nrpc_sum 10\nrpc_count 5\n' +
      'specials{v="inf"} +Inf\nspecials{v="neg"} -Inf\nspecials{v="esc\\\\ \\" \\n"} -0\n',
  },
  // Type conflict with the counter pushed by another group.
  { method: 'POST', path: '/metrics/job/other', body: '# TYPE jobs_done gauge\njobs_done 1\n' },
  // Timestamps are refused, and the group records the failure.
  { method: 'POST', path: '/metrics/job/stamped', body: 'stamped 1 1700000000000\n' },
  { method: 'POST', path: '/metrics/job/batch/instance/host2', body: 'stamped 1 1700000000000\n' },
  // Help texts differ between groups: tolerated.
  {
    method: 'PUT',
    path: '/metrics/job/h1',
    body: `# HELP ${HELP_CONFLICT} First.\n${HELP_CONFLICT} 1\n`,
  },
  {
    method: 'PUT',
    path: '/metrics/job/h2',
    body: `# HELP ${HELP_CONFLICT} Second.\n${HELP_CONFLICT} 2\n`,
  },
  // The same series from two groups.
  { method: 'POST', path: '/metrics/job/dup', body: 'dup_series{instance="i"} 1\n' },
  { method: 'POST', path: '/metrics/job/dup/instance/i', body: 'dup_series 1\n' },
  { method: 'POST', path: '/metrics/job/dup2', body: 'twice 1\ntwice 2\n' },
  // Invalid label names: in the path and in the body.
  { method: 'POST', path: '/metrics/job/bad/1label/x', body: 'x 1\n' },
  { method: 'POST', path: '/metrics/job/bad/__reserved/x', body: 'x 1\n' },
  { method: 'POST', path: '/metrics/job/bad', body: 'x{__reserved="1"} 1\n' },
  // Malformed URLs and bodies.
  { method: 'POST', path: '/metrics/job/bad/odd', body: 'x 1\n' },
  { method: 'POST', path: '/metrics/job/bad/a@base64/!!', body: 'x 1\n' },
  { method: 'POST', path: '/metrics/job@base64/=', body: 'x 1\n' },
  { method: 'POST', path: '/metrics/job/bad', body: 'x 1' },
  { method: 'POST', path: '/metrics/job/bad', body: '# TYPE g gauge\ng 1\n# TYPE g gauge\n' },
  { method: 'POST', path: '/metrics/job/bad', body: '# HELP g a\n# HELP g b\ng 1\n' },
  { method: 'POST', path: '/metrics/job/bad', body: 'x{a="\\q"} 1\n' },
  // Empty bodies: POST only touches the push time, PUT empties the group.
  { method: 'POST', path: '/metrics/job/batch/instance/host2' },
  { method: 'PUT', path: '/metrics/job/latency2', body: 'gone 1\n' },
  { method: 'PUT', path: '/metrics/job/latency2' },
  // DELETE removes one group only, and deleting nothing is fine.
  { method: 'PUT', path: '/metrics/job/temp', body: 'temp 1\n' },
  { method: 'PUT', path: '/metrics/job/temp/instance/x', body: 'temp 2\n' },
  { method: 'DELETE', path: '/metrics/job/temp' },
  { method: 'DELETE', path: '/metrics/job/never' },
  // PUT replaces the whole group; POST replaced only same-named families above.
  { method: 'PUT', path: '/metrics/job/batch/instance/host1', body: 'jobs_done{kind="c"} 1\n' },
  {
    method: 'PUT',
    path: '/metrics/job/batch/instance/host1',
    body: '# TYPE jobs_done counter\njobs_done{kind="c"} 1\n',
  },
];

interface Peer {
  url: string;
  child: ChildProcess;
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const res = await fetch(`${url}/-/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function startPushgateway(t: TestContext): Promise<Peer> {
  const port = await freePort();
  const dir = tempDir(t, 'pushgateway-');
  const child = spawn(
    PUSHGATEWAY,
    [
      `--web.listen-address=127.0.0.1:${port}`,
      `--persistence.file=${join(dir, 'pushgateway.data')}`,
      '--web.enable-admin-api',
    ],
    { stdio: 'ignore' },
  );
  t.after(() => kill(child, 'SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, 'prometheus-pushgateway');
  return { url, child };
}

async function startVigilPushgateway(t: TestContext, dataDir: string): Promise<Peer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      VIGIL_BIN,
      'pushgateway',
      '--listen',
      `127.0.0.1:${port}`,
      '--data-dir',
      dataDir,
      '--enable-admin-api',
    ],
    { stdio: 'ignore' },
  );
  t.after(() => kill(child, 'SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, 'vigil pushgateway');
  return { url, child };
}

async function send(url: string, step: Step): Promise<number> {
  const res = await fetch(url + step.path, {
    method: step.method,
    body: step.body,
    headers: step.headers,
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res.status;
}

/** The exposition without self metrics, with non-zero push times replaced by `T`. */
async function exposition(url: string): Promise<string[]> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200, `${url}/metrics`);
  return (await res.text())
    .split('\n')
    .filter((l) => l !== '' && !SELF_METRICS.test(l))
    .map((l) => l.replace(/^(push_(failure_)?time_seconds\{.*\}) (?!0$).*$/, '$1 T'));
}

function assertSameExposition(vigil: string[], pushgateway: string[], message: string): void {
  const helpLine = `# HELP ${HELP_CONFLICT} `;
  const helps = pushgateway.filter((l) => l.startsWith(helpLine));
  const normalize = (lines: string[]) =>
    lines.map((l) => (l.startsWith(helpLine) ? `${helpLine}<either>` : l));
  assert.deepEqual(normalize(vigil), normalize(pushgateway), message);
  const ours = vigil.find((l) => l.startsWith(helpLine));
  assert.ok(
    ours === `${helpLine}First.` || ours === `${helpLine}Second.`,
    `help of ${HELP_CONFLICT}: ${ours} (pushgateway: ${helps.join(', ')})`,
  );
}

test(
  'vigil pushgateway answers and exposes like prometheus-pushgateway',
  { skip: existsSync(PUSHGATEWAY) ? false : `${PUSHGATEWAY} is not installed`, timeout: 240_000 },
  async (t) => {
    assert.ok(existsSync(VIGIL_BIN), 'run npm run build first');
    const dataDir = tempDir(t);
    const [pg, vigil] = await Promise.all([startPushgateway(t), startVigilPushgateway(t, dataDir)]);

    for (const step of STEPS) {
      const [want, got] = [await send(pg.url, step), await send(vigil.url, step)];
      assert.equal(got, want, `${step.method} ${step.path} ${JSON.stringify(step.body ?? '')}`);
    }
    const want = await exposition(pg.url);
    assert.ok(want.length > 60, `a comparison worth making: ${want.length} lines`);
    assertSameExposition(await exposition(vigil.url), want, 'after the pushes');

    await kill(vigil.child, 'SIGKILL');
    const restarted = await startVigilPushgateway(t, dataDir);
    assertSameExposition(await exposition(restarted.url), want, 'after kill -9 and restart');

    const api = (await (await fetch(`${restarted.url}/api/v1/metrics`)).json()) as {
      status: string;
      data: Record<string, unknown>[];
    };
    assert.equal(api.status, 'success');
    const batch = api.data.find(
      (g) => JSON.stringify(g.labels) === JSON.stringify({ instance: 'host1', job: 'batch' }),
    );
    assert.ok(batch !== undefined, 'group {job="batch",instance="host1"} in /api/v1/metrics');
    assert.equal(batch.last_push_successful, true);

    for (const peer of [pg, restarted]) {
      const wipe = await fetch(`${peer.url}/api/v1/admin/wipe`, { method: 'PUT' });
      assert.equal(wipe.status, 202);
    }
    assert.deepEqual(await exposition(restarted.url), await exposition(pg.url), 'after wipe');
  },
);
