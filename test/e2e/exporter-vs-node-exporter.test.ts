/**
 * `vigil exporter` against Debian's prometheus-node-exporter on the same machine: the metrics both
 * expose must have the same label names, the same identity label values (CPUs, modes, devices,
 * mount points), and stable gauges read at the same moment must agree. Both exporters get
 * upstream node_exporter's default mount point exclusion, because Debian's package widens it (it
 * also drops /run, /mnt and /media).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createParser } from '../../src/metrics/model/textparse/parser.js';
import { DEFAULT_MOUNT_POINTS_EXCLUDE } from '../../src/metrics/exporter/host/filesystem.js';
import { freePort } from '../harness/ports.js';
import { runVigil, VIGIL_BIN } from '../harness/vigil.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PROMTOOL = '/usr/bin/promtool';
const skip =
  (!existsSync(NODE_EXPORTER) || !existsSync(PROMTOOL)) && !process.env.CI
    ? 'needs Debian packages prometheus-node-exporter and prometheus'
    : false;

/** Labels whose values name the thing measured; other labels (help-like info) may differ. */
const IDENTITY = ['cpu', 'mode', 'device', 'mountpoint', 'fstype', 'clocksource'];

/** Names the comparison must cover, so that an empty intersection cannot pass. */
const REQUIRED = [
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_Active_anon_bytes',
  'node_load1',
  'node_filesystem_size_bytes',
  'node_filesystem_avail_bytes',
  'node_disk_read_bytes_total',
  'node_network_receive_bytes_total',
  'node_boot_time_seconds',
  'node_context_switches_total',
  'node_forks_total',
  'node_intr_total',
  'node_procs_running',
  'node_uname_info',
  'node_time_seconds',
];

/** Gauges that change slowly enough to compare, with an absolute slack for the small ones. */
const STABLE: readonly [name: string, absolute: number][] = [
  ['node_memory_MemTotal_bytes', 0],
  ['node_memory_SwapTotal_bytes', 0],
  ['node_memory_MemAvailable_bytes', 0],
  ['node_filesystem_size_bytes', 0],
  ['node_filesystem_files', 0],
  ['node_filesystem_avail_bytes', 0],
  ['node_boot_time_seconds', 1],
  ['node_load1', 0.5],
  ['node_load5', 0.5],
  ['node_load15', 0.5],
  ['node_time_seconds', 5],
  ['node_uname_info', 0],
];

interface Series {
  labels: Record<string, string>;
  value: number;
}

function parse(body: string): Map<string, Series[]> {
  const byName = new Map<string, Series[]>();
  const p = createParser(body, 'text/plain; version=0.0.4');
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e !== 'series') continue;
    const labels = p.labels().toRecord();
    const name = labels.__name__!;
    delete labels.__name__;
    let list = byName.get(name);
    if (list === undefined) byName.set(name, (list = []));
    list.push({ labels, value: p.value() });
  }
  return byName;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}:\n${out}`)),
      ms,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`exited before ${pattern}:\n${out}`)));
  });
}

function startProcess(
  t: { after(fn: () => void): void },
  cmd: string,
  args: string[],
): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function get(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return res.text();
}

function promtoolProblems(body: string): string[] {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
  return (r.stdout + r.stderr).split('\n').filter((l) => l.trim() !== '');
}

test('vigil exporter matches node_exporter', { skip, timeout: 120_000 }, async (t) => {
  const nePort = await freePort();
  const ne = startProcess(t, NODE_EXPORTER, [
    `--web.listen-address=127.0.0.1:${nePort}`,
    `--collector.filesystem.mount-points-exclude=${DEFAULT_MOUNT_POINTS_EXCLUDE.source}`,
  ]);
  const vigil = startProcess(t, process.execPath, [
    VIGIL_BIN,
    'exporter',
    '--listen',
    '127.0.0.1:0',
    '--log.format',
    'json',
  ]);
  const [, address] = await Promise.all([
    waitForOutput(ne, /(Listening on)/, 30_000),
    waitForOutput(vigil, /"msg":"listening","address":"([^"]+)"/, 30_000),
  ]);

  // Read at the same moment, so gauges have had no time to move.
  const [neBody, ourBody] = await Promise.all([
    get(`http://127.0.0.1:${nePort}/metrics`),
    get(`http://${address}/metrics`),
  ]);
  const theirs = parse(neBody);
  const ours = parse(ourBody);
  const shared = [...ours.keys()].filter((n) => theirs.has(n)).sort();
  console.log(`comparing ${shared.length} metric names`);
  for (const name of REQUIRED) assert.ok(shared.includes(name), `both expose ${name}`);

  for (const name of shared) {
    const labelNames = (list: Series[]) =>
      [...new Set(list.map((s) => Object.keys(s.labels).sort().join(',')))].sort();
    assert.deepEqual(
      labelNames(ours.get(name)!),
      labelNames(theirs.get(name)!),
      `label names of ${name}`,
    );
    for (const label of IDENTITY) {
      const values = (list: Series[]) =>
        [...new Set(list.flatMap((s) => (label in s.labels ? [s.labels[label]!] : [])))].sort();
      assert.deepEqual(
        values(ours.get(name)!),
        values(theirs.get(name)!),
        `${label} values of ${name}`,
      );
    }
  }

  for (const [name, absolute] of STABLE) {
    const key = (s: Series) => JSON.stringify(Object.entries(s.labels).sort());
    const theirValues = new Map(theirs.get(name)!.map((s) => [key(s), s.value]));
    for (const s of ours.get(name)!) {
      const other = theirValues.get(key(s));
      assert.ok(other !== undefined, `node_exporter has ${name}${key(s)}`);
      const slack = Math.max(absolute, 0.05 * Math.abs(other));
      assert.ok(
        Math.abs(s.value - other) <= slack,
        `${name}${key(s)}: ours ${s.value}, node_exporter ${other}`,
      );
    }
  }

  // promtool's lint wants snake_case, which node_exporter's meminfo names (MemTotal_bytes, …) are
  // not; those names are the point of compatibility, so the only problems allowed are the ones
  // node_exporter's own output has.
  const theirProblems = new Set(promtoolProblems(neBody));
  const ourProblems = promtoolProblems(ourBody);
  for (const problem of ourProblems) {
    assert.match(
      problem,
      /^node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'$/,
    );
    assert.ok(
      theirProblems.has(problem),
      `node_exporter's output has the same problem: ${problem}`,
    );
  }

  const exited = new Promise<number | null>((resolve) =>
    vigil.once('exit', (code) => resolve(code)),
  );
  vigil.kill('SIGTERM');
  assert.equal(await exited, 0);
  ne.kill('SIGTERM');
});

test('vigil exporter: OpenMetrics on request, unknown paths 404, bad collector names refused', async (t) => {
  const vigil = startProcess(t, process.execPath, [
    VIGIL_BIN,
    'exporter',
    '--listen',
    '127.0.0.1:0',
    '--collectors',
    'loadavg,cgroup',
    '--log.format',
    'json',
  ]);
  const address = await waitForOutput(vigil, /"msg":"listening","address":"([^"]+)"/, 30_000);
  const res = await fetch(`http://${address}/metrics`, {
    headers: { accept: 'application/openmetrics-text;version=1.0.0' },
  });
  assert.equal(
    res.headers.get('content-type'),
    'application/openmetrics-text; version=1.0.0; charset=utf-8',
  );
  const body = await res.text();
  assert.match(body, /^node_load1 /m);
  assert.doesNotMatch(body, /^node_cpu_seconds_total/m);
  assert.match(body, /^# EOF\n$/m);
  assert.equal((await fetch(`http://${address}/nope`)).status, 404);
  const exited = new Promise<number | null>((resolve) =>
    vigil.once('exit', (code) => resolve(code)),
  );
  vigil.kill('SIGTERM');
  assert.equal(await exited, 0);

  const bad = await runVigil(['exporter', '--listen', '127.0.0.1:0', '--collectors', 'cpu,gpu']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /cannot enable collector \\"gpu\\": known collectors are cgroup, cpu, /);
});
