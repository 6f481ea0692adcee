/**
 * XOR chunk throughput: appending and decoding 120-sample chunks of realistic series, and the
 * bytes each sample costs. Appending is timed without keeping the chunks, so the figure is the
 * encoder's, not the garbage collector's; decoding reuses one iterator. Run with
 *   node --expose-gc --import tsx src/metrics/tsdb/chunkenc/xor.bench.ts [chunks=20000]
 * Targets on a developer machine: ≥ 10 M samples/s appended, ≥ 20 M samples/s decoded, about
 * 1.3 bytes/sample for a regular counter (the Gorilla paper reports 1.37).
 */
import { MAX_SAMPLES_PER_CHUNK } from './chunk.js';
import { XorChunk, type XorIterator } from './xor.js';

const CHUNKS = Number(process.argv[2] ?? 20_000);
const N = MAX_SAMPLES_PER_CHUNK;
const ROUNDS = 9;

let seed = 1;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

interface Series {
  name: string;
  ts: Float64Array;
  vs: Float64Array;
}

function series(name: string, jitterMs: number, next: (prev: number) => number): Series {
  const ts = new Float64Array(CHUNKS * N);
  const vs = new Float64Array(CHUNKS * N);
  let v = Math.floor(rand() * 1e6);
  for (let i = 0; i < ts.length; i++) {
    ts[i] = 1_700_000_000_000 + i * 15_000 + Math.round((rand() * 2 - 1) * jitterMs);
    vs[i] = v = next(v);
  }
  return { name, ts, vs };
}

const all = [
  series('slow counter, 15 s exact', 0, (v) => v + Math.floor(rand() * 3)),
  series('counter, 15 s exact', 0, (v) => v + Math.floor(rand() * 10)),
  series('counter, 15 s ± 3 ms', 3, (v) => v + Math.floor(rand() * 10)),
  series('gauge random walk, 15 s ± 3 ms', 3, (v) => v + rand() - 0.5),
  series('gauge 2-decimal walk, 15 s', 0, (v) => Math.round((v + rand() - 0.5) * 100) / 100),
];

/** Encodes every chunk of `s`; keeps them in `out` if given (retaining them costs GC time). */
function appendAll(s: Series, out?: XorChunk[]): number {
  const { ts, vs } = s;
  let bytes = 0;
  for (let c = 0; c < CHUNKS; c++) {
    const chunk = new XorChunk();
    const app = chunk.appender();
    for (let i = c * N, end = i + N; i < end; i++) app.append(ts[i]!, vs[i]!);
    bytes += chunk.bytes().length;
    if (out !== undefined) out[c] = chunk;
  }
  return bytes;
}

let sink = 0;
function decodeAll(chunks: XorChunk[]): void {
  let it: XorIterator | undefined;
  let sum = 0;
  for (const chunk of chunks) {
    it = chunk.iterator(it);
    while (it.next()) sum += it.atT() + it.atV();
  }
  sink += sum;
}

/**
 * Best seconds of `fn` over ROUNDS runs after a warm-up run: on a shared machine the fastest run
 * is the one least disturbed by other processes.
 */
function time(fn: () => void): number {
  fn();
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return Math.min(...runs);
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const samples = CHUNKS * N;
console.log(`${CHUNKS} chunks × ${N} samples, best of ${ROUNDS} runs, node ${process.version}`);
for (const s of all) {
  const appendS = time(() => appendAll(s));
  const chunks = new Array<XorChunk>(CHUNKS);
  const bytes = appendAll(s, chunks);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const decodeS = time(() => decodeAll(chunks));
  const heapGrowth = process.memoryUsage().heapUsed - heap0;
  console.log(
    `${s.name.padEnd(32)} append ${(samples / appendS / 1e6).toFixed(1).padStart(5)} M/s  ` +
      `decode ${(samples / decodeS / 1e6).toFixed(1).padStart(5)} M/s  ` +
      `${(bytes / samples).toFixed(3)} B/sample  ` +
      `decode heap growth ${(heapGrowth / CHUNKS / (ROUNDS + 1)).toFixed(0)} B/chunk`,
  );
}
if (sink === 42) console.log('');
