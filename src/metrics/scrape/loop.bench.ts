/**
 * @module
 * CPU cost of the scrape path in one process: real scrape loops fetch realistic bodies over
 * HTTP from the target server of `bench/scrape.bench.ts` (a child process, so serving is not
 * billed here) and append them into a real TSDB in a temp dir. The first rounds create the
 * series and warm up; the measured rounds are the steady state a long-running server sees.
 *   node --expose-gc --import tsx src/metrics/scrape/loop.bench.ts [targets=200] [series=1000] [rounds=10] [concurrency=8] [--cpu-prof]
 * Prints CPU seconds (user + system, `process.cpuUsage`, all threads) per million samples
 * appended, per round and as the median; CPU, not wall time, because the machine is shared.
 * No forced GC between rounds: collecting a round's garbage is part of its cost. With
 * `--cpu-prof` it writes a V8 CPU profile of the measured rounds only (the warm-up rounds create
 * the series, which a steady-state profile should not show) into the current directory.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../lib/http-client/client.js';
import { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import { Tsdb } from '../tsdb/db.js';
import { ScrapeLoop, type LoopJob } from './loop.js';

const args = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);
const PROFILE = process.argv.includes('--cpu-prof');
const TARGETS = args[0] || 200;
const SERIES = args[1] || 1000;
const ROUNDS = args[2] || 10;
const CONCURRENCY = args[3] || 8;
const WARMUP = 3;
const INTERVAL = 15_000;

const job: LoopJob = {
  honor_labels: false,
  honor_timestamps: true,
  track_timestamps_staleness: false,
  scrape_protocols: [
    'OpenMetricsText1.0.0',
    'OpenMetricsText0.0.1',
    'PrometheusText1.0.0',
    'PrometheusText0.0.4',
  ],
  enable_compression: true,
  metric_relabel_configs: [],
  sample_limit: 0,
  label_limit: 0,
  label_name_length_limit: 0,
  label_value_length_limit: 0,
  body_size_limit: 0,
};

async function main(): Promise<void> {
  const serverFile = fileURLToPath(new URL('../../../bench/scrape.bench.ts', import.meta.url));
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', serverFile, '--serve', String(TARGETS), String(SERIES)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n'))
        resolve((JSON.parse(out.slice(0, out.indexOf('\n'))) as { port: number }).port);
    });
    server.once('exit', (code) => reject(new Error(`target server exited with ${code}`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-loop-bench-'));
  const db = Tsdb.open(dir);
  const client = new HttpClient({
    tls_config: { insecure_skip_verify: false },
    follow_redirects: true,
  });
  const log = new Logger({ level: 'error', write: () => {} });
  const loops = Array.from(
    { length: TARGETS },
    (_, i) =>
      new ScrapeLoop({
        url: `http://127.0.0.1:${port}/t/${i}`,
        labels: Labels.fromRecord({ job: 'bench', instance: `host-${i}:9100`, zone: `z${i % 3}` }),
        interval: INTERVAL,
        timeout: 10_000,
        job,
        client,
        appendable: db,
        log,
      }),
  );
  const perM: number[] = [];
  const t0 = Date.now();
  const session = new Session();
  try {
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      if (PROFILE && round === WARMUP) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      const t = t0 + round * INTERVAL;
      const cpu = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < loops.length) await loops[next++]!.scrapeOnce(t);
        }),
      );
      const used = process.cpuUsage(cpu);
      const down = loops.filter((l) => l.health !== 'up');
      if (down.length > 0) throw new Error(`${down.length} targets down: ${down[0]!.lastError}`);
      if (round < WARMUP) continue;
      const samples = TARGETS * (SERIES + 5);
      perM.push((used.user + used.system) / 1e6 / (samples / 1e6));
    }
    if (PROFILE) {
      const { profile } = await session.post('Profiler.stop');
      const file = `loop-bench-${Date.now()}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the measured rounds: ${file}`);
    }
  } finally {
    server.kill();
    client.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...perM].sort((a, b) => a - b);
  console.log(
    `${TARGETS} targets x ${SERIES} series, ${ROUNDS} rounds, concurrency ${CONCURRENCY}: ` +
      `CPU s / M samples median ${sorted[sorted.length >> 1]!.toFixed(2)} ` +
      `(rounds: ${perM.map((x) => x.toFixed(2)).join(' ')})`,
  );
}

await main();
