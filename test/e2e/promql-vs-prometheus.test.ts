/**
 * @module
 * Runs every query of testdata/promql-queries.txt through Vigil and through Debian's Prometheus
 * 2.42 on the same OpenMetrics data (testdata/promql-dataset.ts) — as instant queries at three
 * times and as a range query over two hours — and requires identical answers: status, result
 * type, label sets, timestamps, values within 1e-9 relative (NaN equals NaN), order where the
 * query sorts, and `errorType` of errors.
 *
 * Prometheus 2.x and 3.x answer differently where a sample sits exactly on an evaluation time or
 * on a range window's left edge (3.x windows and lookback are left-open), for regexes whose `.`
 * meets a newline (3.x matches it), for `holt_winters` (renamed `double_exponential_smoothing`)
 * and for `le` labels (3.x normalises `1` to `1.0`). Those cases are kept out on purpose: samples
 * lie on whole multiples of 15 s or 30 s from a start aligned to 2 h, every evaluation time has a
 * fractional second and the range step is 47 s, range durations are whole seconds, subquery inner
 * selectors carry `offset 7s` (subquery steps are aligned to sample times), no label value holds a
 * newline, and `le` values are written in normalised form. Error texts are reported, not compared:
 * Vigil prefixes bad_data errors with `invalid parameter "query": ` as Prometheus 3 does. Queries
 * that still differ sit under `# known-differences` in the query file, each with its observed
 * difference, and are skipped.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';
import { freePort } from '../harness/ports.js';
import { promqlDataset, START } from './testdata/promql-dataset.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const QUERIES = new URL('./testdata/promql-queries.txt', import.meta.url);
/** Fractional seconds keep evaluation times and window edges off sample timestamps. */
const INSTANTS = [START + 1_807.123, START + 11_152.456, START + 21_700.789];
const RANGE = { start: START + 7_207.123, end: START + 14_407.123, step: 47 };
const CONCURRENCY = 4;
const MISSING = !existsSync(PROMETHEUS) || !existsSync(PROMTOOL);

interface Answer {
  status: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}
type Point = [number, string];
interface Series {
  metric: Record<string, string>;
  value?: Point;
  values?: Point[];
}

/** Reads the query list; queries after `# known-differences` are returned apart, not compared. */
function readQueries(): { compared: string[]; known: string[] } {
  const compared: string[] = [];
  const known: string[] = [];
  let list = compared;
  for (const raw of readFileSync(QUERIES, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '# known-differences') list = known;
    if (line !== '' && !line.startsWith('#')) list.push(line);
  }
  return { compared, known };
}

async function waitReady(url: string, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}/-/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    if (exited() || Date.now() > deadline)
      throw new Error(`prometheus did not become ready; its log:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Prometheus writes NaN and ±Inf as strings that Number() does not all read. */
function num(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

function sameValue(a: string, b: string): boolean {
  const x = num(a);
  const y = num(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  // The absolute floor accepts cancellation residues such as -1.4e-18 vs -2.9e-17 where the
  // true answer is 0: a different but equally exact summation order produces them.
  return Math.abs(x - y) <= Math.max(1e-9 * Math.max(Math.abs(x), Math.abs(y)), 1e-12);
}

function diffPoints(a: Point[], b: Point[]): string | undefined {
  if (a.length !== b.length) return `${a.length} points vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const [ta, va] = a[i]!;
    const [tb, vb] = b[i]!;
    if (ta !== tb || !sameValue(va, vb)) return `point ${i}: [${ta}, ${va}] vs [${tb}, ${vb}]`;
  }
  return undefined;
}

const key = (m: Record<string, string>) =>
  JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The first difference between Vigil's answer `v` and Prometheus' `p`, or undefined. */
function diff(v: Answer, p: Answer, ordered: boolean): string | undefined {
  if (v.status !== p.status) return `status ${v.status} (${v.error}) vs ${p.status} (${p.error})`;
  if (p.status !== 'success') {
    return v.errorType === p.errorType
      ? undefined
      : `errorType ${v.errorType} (${v.error}) vs ${p.errorType} (${p.error})`;
  }
  const [vd, pd] = [v.data!, p.data!];
  if (vd.resultType !== pd.resultType) return `resultType ${vd.resultType} vs ${pd.resultType}`;
  if (pd.resultType === 'scalar' || pd.resultType === 'string')
    return diffPoints([vd.result as Point], [pd.result as Point]);
  const vs = vd.result as Series[];
  const ps = pd.result as Series[];
  const vKeys = vs.map((s) => key(s.metric));
  const pKeys = ps.map((s) => key(s.metric));
  const missing = pKeys.filter((k) => !vKeys.includes(k));
  const extra = vKeys.filter((k) => !pKeys.includes(k));
  if (missing.length > 0 || extra.length > 0)
    return `series only in Vigil: ${extra.join(' ') || '-'}; only in Prometheus: ${missing.join(' ') || '-'}`;
  // Ties have no defined order, so sorted answers must agree in their value sequence.
  if (ordered) {
    const d = diffPoints(
      vs.map((s) => s.value!),
      ps.map((s) => s.value!),
    );
    if (d !== undefined) return `order: ${d}`;
  }
  for (const s of ps) {
    const k = key(s.metric);
    const o = vs[vKeys.indexOf(k)]!;
    const d = diffPoints(o.values ?? [o.value!], s.values ?? [s.value!]);
    if (d !== undefined) return `${k}: ${d}`;
  }
  return undefined;
}

async function get(base: string, path: string, params: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
  return (await res.json()) as Answer;
}

test(
  'PromQL answers match Prometheus 2.42 on the same data',
  { skip: MISSING && !process.env.CI ? 'prometheus not installed' : false },
  async (t) => {
    const started = Date.now();
    const dir = tempDir(t, 'vigil-promql-');
    const file = join(dir, 'data.om');
    writeFileSync(file, promqlDataset());
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');

    const exec = promisify(execFile);
    const [, imported] = await Promise.all([
      exec(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'prom')]),
      runVigil(['import', 'openmetrics', file, '--data-dir', join(dir, 'vigil')], 60_000),
    ]);
    assert.equal(imported.code, 0, imported.stderr);

    const port = await freePort();
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--storage.tsdb.path=${join(dir, 'prom')}`,
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=100y',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let promLog = '';
    prometheus.stderr.on('data', (c: Buffer) => (promLog += c.toString('utf8')));
    t.after(() => {
      if (prometheus.exitCode === null && prometheus.signalCode === null)
        prometheus.kill('SIGKILL');
    });
    const promUrl = `http://127.0.0.1:${port}`;
    const [vigil] = await Promise.all([
      startVigil(t, {
        dataDir: join(dir, 'vigil'),
        // Only the imported data: Vigil's own scrapes would add series Prometheus does not have.
        config: 'server:\n  builtin_scrape_jobs: false\n',
      }),
      waitReady(
        promUrl,
        () => prometheus.exitCode !== null,
        () => promLog,
      ),
    ]);

    const { compared, known } = readQueries();
    const tasks = compared.flatMap((query) => [
      ...INSTANTS.map((time) => ({ query, path: '/api/v1/query', params: { time: `${time}` } })),
      {
        query,
        path: '/api/v1/query_range',
        params: { start: `${RANGE.start}`, end: `${RANGE.end}`, step: `${RANGE.step}` },
      },
    ]);
    const mismatches: string[] = [];
    const messages = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const { query, path, params } = tasks[next++]!;
        const args = { query, ...params };
        const [v, p] = await Promise.all([get(vigil.url, path, args), get(promUrl, path, args)]);
        const ordered = path === '/api/v1/query' && /^(sort|sort_desc|topk|bottomk)\(/.test(query);
        const d = diff(v, p, ordered);
        const where = `${path} ${JSON.stringify(params)}`;
        if (d !== undefined) mismatches.push(`${query}\n    at ${where}\n    ${d}`);
        else if (p.status !== 'success' && v.error !== p.error)
          messages.add(`${query}\n    Vigil: ${v.error}\n    Prometheus: ${p.error}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    console.log(
      `promql-vs-prometheus: ${compared.length} queries, ${tasks.length} comparisons, ` +
        `${mismatches.length} mismatches, ${known.length} known differences skipped, ` +
        `${messages.size} differing error messages, ${Date.now() - started} ms`,
    );
    if (messages.size > 0) console.log(`error messages that differ:\n${[...messages].join('\n')}`);
    assert.deepEqual(mismatches, [], `answers differ:\n${mismatches.join('\n')}`);
  },
);
