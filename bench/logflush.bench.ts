/**
 * The log store's flush on its own: what the worker thread does with a frozen memory part
 * (`jobs.ts` `runJob`: blocks, column encoding, token indexes, compression, the id set), in
 * this thread, round after round on the same part. The ingest benchmark's worker figure moves
 * with the main thread's load and both threads' GC; this one is steady enough to compare
 * changes to the segment writer (a few % apart) in a few rounds.
 *
 *   node --expose-gc --import tsx bench/logflush.bench.ts [DOCS=200000] [ROUNDS=8]
 *
 * The part holds DOCS generated lines (`log-lines.ts`, each parsed from its JSON text as
 * `_bulk` does), walked as ingest walks them; the job is cloned as `postMessage` clones it.
 * Prints per round the CPU time and the segment bytes, then the median of the rounds after the
 * first (which warms up the JIT).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLines } from './log-lines.js';
import { segmentPath } from '../src/logs/store/local/catalog.js';
import { type FlushJob, runJob } from '../src/logs/store/local/jobs.js';
import { IndexMapping } from '../src/logs/store/local/mapping.js';
import { MemIndex } from '../src/logs/store/local/memory-part.js';
import { parseTime } from '../src/logs/model/timestamp.js';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 8);

const doc = logLines(N, Date.UTC(2026, 10, 29));
const mem = new MemIndex();
const mapping = new IndexMapping();
for (let i = 0; i < N; i++) {
  const json = JSON.stringify(doc(i));
  const source = JSON.parse(json) as Record<string, unknown>;
  const t = parseTime(source['@timestamp'])!;
  mem.add(`id-${i}`, t.ms, t.ns, source, json, Buffer.byteLength(json), mapping);
}
const part = mem.flushPart('logs-k8s');

const times: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-flushbench-'));
  try {
    const job = structuredClone<FlushJob>({
      kind: 'flush',
      dir,
      toSeq: 1,
      parts: [part],
      unindexed: {},
      codec: 'brotli',
    });
    global.gc?.();
    const c0 = process.cpuUsage();
    const written = runJob(job);
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    const bytes = written.reduce((n, e) => n + statSync(segmentPath(dir, e)).size, 0);
    if (r > 0) times.push(ms);
    console.log(
      `round ${r}: ${ms.toFixed(0)} ms CPU, ${((ms * 1000) / N).toFixed(2)} µs a line, ${bytes} bytes (${(bytes / N).toFixed(1)} B a line)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `flush of ${N} lines: median ${median.toFixed(0)} ms CPU (${((median * 1000) / N).toFixed(2)} µs a line), min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}`,
);
