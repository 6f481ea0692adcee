/**
 * The log agent's throughput: `vigil agent` (the built dist/, a real process) reads 2 M CRI
 * lines from 20 files — a third JSON, the rest text, every 20th line split into two partials —
 * through its parser, Kubernetes metadata, disk buffer and Vigil output, into a local sink that
 * speaks the native ingest API and only counts. Reports lines/s, CPU seconds per million lines
 * and peak RSS of the agent process. Targets (issue 8): ≥ 150 000 lines/s on one core, peak
 * RSS ≤ 80 MB.
 *
 * `node --import tsx bench/agent.bench.ts [lines]` (needs `npm run build`). `AGENT_NODE_ARGS`
 * gives the agent process node flags; `AGENT_VARIANTS='a=<flags>;b=<flags>'` runs one agent per
 * variant over the same files, one after the other, to compare them within one run (`<flags>@<path
 * of another build's vigil.js>` runs that build: `git archive <rev> | tar -x -C /tmp/old`, then
 * `npx tsc -p tsconfig.build.json` there); `AGENT_OUTPUT_EXTRA` adds keys to the output's flow mapping (`batch: { max_records: 1000 }`).
 */

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const LINES = Number(process.argv[2] ?? 2_000_000);
const FILES = 20;
const VIGIL = new URL('../dist/cli/vigil.js', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function generate(): number {
  const chunks: string[][] = Array.from({ length: FILES }, () => []);
  let records = 0;
  const base = Date.parse('2024-05-06T07:08:09Z');
  for (let i = 0; i < LINES;) {
    const f = i % FILES;
    const stream = i % 3 === 0 ? 'stderr' : 'stdout';
    const ts = `${new Date(base + Math.floor(i / 10)).toISOString().slice(0, 23)}${String(i % 1_000_000).padStart(6, '0')}Z`;
    const text =
      i % 3 === 1
        ? `{"level":"info","msg":"request served","path":"/api/users/${i}","status":200,"duration_ms":${i % 97}}`
        : `GET /api/users/${i} HTTP/1.1 200 ${i % 9000} "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
    if (i % 20 === 7 && i + 1 < LINES) {
      chunks[f]!.push(
        `${ts} ${stream} P ${text.slice(0, 30)}`,
        `${ts} ${stream} F ${text.slice(30)}`,
      );
      i += 2;
    } else {
      chunks[f]!.push(`${ts} ${stream} F ${text}`);
      i += 1;
    }
    records++;
  }
  chunks.forEach((lines, f) => {
    const podDir = join(dir, 'pods', `bench_pod-${f}_uid-${f}`, 'app');
    mkdirSync(podDir, { recursive: true });
    writeFileSync(join(podDir, '0.log'), `${lines.join('\n')}\n`);
  });
  return records;
}

function procStat(pid: number): { cpuS: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS: ticks / 100, peakRssMb: Number(hwm?.[1] ?? 0) / 1024 };
}

const records = generate();

/** One agent run over the generated files: wall seconds, agent CPU seconds, peak RSS. */
async function run(nodeArgs: string[], vigil: string, dataDir: string) {
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = gunzipSync(Buffer.concat(chunks));
      let n = 0;
      for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) n++;
      received += n;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { created: n, exists: 0, rejected: [] } }));
      if (received >= records) done();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const port = (sink.address() as AddressInfo).port;
  const config = join(dir, 'agent.yml');
  writeFileSync(
    config,
    `node_name: bench\ninputs:\n  - name: pods\n    include: ['${dir}/pods/*/*/*.log']\n` +
      `outputs:\n  - { name: sink, type: vigil, url: 'http://127.0.0.1:${port}', ${process.env.AGENT_OUTPUT_EXTRA ?? ''} }\n`,
  );
  const started = process.hrtime.bigint();
  const agent = spawn(
    process.execPath,
    [
      ...nodeArgs,
      vigil,
      'agent',
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--listen',
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<never>((_, reject) =>
    agent.on('exit', (code) => reject(new Error(`agent exited (${code}) after ${received} lines`))),
  );
  await Promise.race([finished, exited]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { cpuS, peakRssMb } = procStat(agent.pid!);
  agent.kill('SIGTERM');
  await exited.catch(() => {});
  sink.close();
  return { seconds, cpuS, peakRssMb };
}

// AGENT_VARIANTS='a=<node flags>;b=<node flags>' runs the agent once per variant over the same
// files, one after the other (A/B on a shared machine); AGENT_NODE_ARGS gives one run's flags.
const variants = (process.env.AGENT_VARIANTS ?? `default=${process.env.AGENT_NODE_ARGS ?? ''}`)
  .split(';')
  .map((v) => {
    const eq = v.indexOf('=');
    const [flags = '', vigil = VIGIL] = (eq === -1 ? '' : v.slice(eq + 1)).split('@');
    return {
      label: eq === -1 ? v : v.slice(0, eq),
      flags: flags.split(' ').filter(Boolean),
      vigil,
    };
  });
console.log(`${LINES} lines (${records} records)`);
for (const [i, v] of variants.entries()) {
  const { seconds, cpuS, peakRssMb } = await run(v.flags, v.vigil, join(dir, `data-${i}`));
  console.log(
    `${v.label}: ${seconds.toFixed(2)} s wall, ${Math.round(LINES / seconds)} lines/s wall, ` +
      `${Math.round(LINES / cpuS)} lines per CPU-s (${((cpuS * 1e6) / LINES).toFixed(2)} CPU s ` +
      `per million lines), peak RSS ${peakRssMb.toFixed(1)} MB`,
  );
}
