/**
 * @module
 * CPU cost of the scrape path in one process: real scrape loops fetch realistic bodies over
 * HTTP from the target server of `bench/scrape.bench.ts` (a child process, so serving is not
 * billed here) and append them into a real TSDB in a temp dir. The first rounds create the
 * series and warm up; the measured rounds are the steady state a long-running server sees.
 *   node --expose-gc --import tsx src/metrics/scrape/loop.bench.ts [targets=200] [series=1000] [rounds=10] [concurrency=8] [--paced=seconds] [--cpu-prof]
 * Prints CPU seconds (user + system, `process.cpuUsage`, all threads) per million samples
 * appended, per round and as the median; CPU, not wall time, because the machine is shared.
 * No forced GC between rounds: collecting a round's garbage is part of its cost. Rounds run
 * back to back with `concurrency` scrapes in flight, unless `--paced`: then, after the first
 * round (which creates the series), the loops run on their own timers with that interval in
 * seconds, each target at its own offset, as in a server, and a round is a window of that
 * length. Only a paced run shows the full GCs a server pays for: back to back, 1 000 targets
 * ran rounds without one, while paced (and in `vigil server`) a mark-compact of the ~1 GiB heap
 * came every ~11 s, each started by V8's external-memory trigger (64 MiB more ArrayBuffers
 * than after the last one) and each costing 1–3 s of marking CPU. Each round also reports its
 * full and young collections and the main thread's pause in them. With
 * `--cpu-prof` it writes a V8 CPU profile of the measured rounds only (the warm-up rounds create
 * the series, which a steady-state profile should not show) into the current directory.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
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
const PACED_S = Number(process.argv.find((a) => a.startsWith('--paced='))?.slice(8) ?? 0);
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
        interval: PACED_S > 0 ? PACED_S * 1000 : INTERVAL,
        timeout: 10_000,
        job,
        client,
        appendable: db,
        log,
      }),
  );
  const perM: number[] = [];
  const gcs: string[] = [];
  const gc = { major: 0, minor: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // A 'gc' entry's detail says which collector ran; @types/node leaves it untyped.
      const kind = (e as unknown as { detail: { kind: number } }).detail.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
      gc.ms += e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  // Paced loops append at the current time, so the first round's samples must be older.
  const t0 = Date.now() - (PACED_S > 0 ? 60_000 : 0);
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
      const appended = db.head.stats.samplesAppended;
      Object.assign(gc, { major: 0, minor: 0, ms: 0 });
      if (PACED_S > 0 && round > 0) {
        // The loops run on their own timers, as in a server: a round is a window of time.
        if (round === 1) for (const loop of loops) loop.start();
        await sleep(PACED_S * 1000);
      } else {
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < loops.length) await loops[next++]!.scrapeOnce(t);
          }),
        );
      }
      const used = process.cpuUsage(cpu);
      // The observer reports a collection in a later tick: let the last ones arrive.
      await sleep(0);
      const down = loops.filter((l) => l.health !== 'up');
      if (down.length > 0) throw new Error(`${down.length} targets down: ${down[0]!.lastError}`);
      if (round < WARMUP) continue;
      const samples = db.head.stats.samplesAppended - appended;
      perM.push((used.user + used.system) / 1e6 / (samples / 1e6));
      const { heapUsed, external } = process.memoryUsage();
      gcs.push(
        `${gc.major} full + ${gc.minor} young, ${gc.ms.toFixed(0)} ms paused; ` +
          `heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB, external ${(external / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    if (PROFILE) {
      const { profile } = await session.post('Profiler.stop');
      const file = `loop-bench-${Date.now()}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the measured rounds: ${file}`);
    }
  } finally {
    await Promise.all(loops.map((loop) => loop.stop(false)));
    observer.disconnect();
    server.kill();
    client.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...perM].sort((a, b) => a - b);
  gcs.forEach((line, i) => console.log(`round ${i + 1}: ${perM[i]!.toFixed(2)}; ${line}`));
  console.log(
    `${TARGETS} targets x ${SERIES} series, ${ROUNDS} rounds, ` +
      `${PACED_S > 0 ? `paced over ${PACED_S} s` : `concurrency ${CONCURRENCY}`}: ` +
      `CPU s / M samples median ${sorted[sorted.length >> 1]!.toFixed(2)} ` +
      `(rounds: ${perM.map((x) => x.toFixed(2)).join(' ')})`,
  );
}

await main();
