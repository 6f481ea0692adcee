/**
 * Throughput and latency of the built server's cheapest and most-scraped endpoints, measured
 * from a second process over loopback with keep-alive connections. Run after `npm run build`:
 *   node --import tsx bench/http-server.bench.ts [seconds=5] [connections=32]
 * Both processes share the machine's cores, so figures are a floor, not a ceiling. Where
 * Debian's prometheus is installed, the same load runs against its endpoints as a peer.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIGIL_BIN } from '../test/harness/vigil.js';

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 32);

function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${path}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function load(port: number, path: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let bytes = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const t0 = process.hrtime.bigint();
        const n = await get(agent, port, path);
        bytes += n;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
  console.log(
    `${path.padEnd(30)} ${(latencies.length / seconds).toFixed(0).padStart(7)} req/s  ` +
      `p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  ${(bytes / latencies.length).toFixed(0)} B/response`,
  );
}

async function waitReady(port: number) {
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function rss(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return `RSS ${/VmRSS:\s+(\d+ kB)/.exec(status)?.[1]}, peak ${/VmHWM:\s+(\d+ kB)/.exec(status)?.[1]}`;
}

console.log(
  `# ${cpus()[0]?.model} x${cpus().length}, node ${process.version}, ${connections} connections, ${seconds} s each`,
);

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const vigil = spawn(
  process.execPath,
  [
    VIGIL_BIN,
    'server',
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    dataDir,
    '--log.format',
    'json',
    // Measure the server, not the host's logs arriving meanwhile.
    '--no-local-agent',
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
const port = await new Promise<number>((resolve, reject) => {
  let buf = '';
  vigil.stderr.on('data', (c: Buffer) => {
    buf += c.toString();
    const m = /"msg":"listening","address":"[^"]*:(\d+)"/.exec(buf);
    if (m) resolve(Number(m[1]));
  });
  vigil.on('exit', () => reject(new Error(`vigil exited: ${buf}`)));
});
await waitReady(port);
console.log('## vigil');
for (const path of ['/-/healthy', '/metrics', '/api/v1/status/buildinfo', '/status'])
  await load(port, path);
console.log(`vigil ${rss(vigil.pid!)}`);
vigil.kill('SIGTERM');
await new Promise((r) => vigil.on('exit', r));
rmSync(dataDir, { recursive: true, force: true });

if (existsSync('/usr/bin/prometheus')) {
  const promDir = mkdtempSync(join(tmpdir(), 'prom-bench-'));
  const promPort = 19090 + Math.floor(Math.random() * 1000);
  const config = join(promDir, 'prometheus.yml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const prom = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: 'ignore' },
  );
  await waitReady(promPort);
  console.log('## prometheus (Debian package, peer)');
  for (const path of ['/-/healthy', '/metrics', '/api/v1/status/buildinfo'])
    await load(promPort, path);
  console.log(`prometheus ${rss(prom.pid!)}`);
  prom.kill('SIGTERM');
  await new Promise((r) => prom.on('exit', r));
  rmSync(promDir, { recursive: true, force: true });
}
