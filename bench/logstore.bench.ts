/**
 * Log store benchmark: ingest throughput, bytes on disk against raw input, search latency
 * (rare term, common term histogram, field filter plus phrase, terms aggregation on namespace)
 * and peak memory, on the local log store, with generated Kubernetes-style lines.
 *
 *   node --expose-gc --max-old-space-size=8192 --import tsx bench/logstore.bench.ts [docs=1000000] [codec=brotli]
 *
 * With `LOGBENCH_DIR=path` the store is kept there, and a later run with the same document count
 * skips ingest and only searches it: for A/B runs and profiles of the search path. With
 * `LOGBENCH_INGEST_ONLY=1` it skips the searches: for A/B runs and profiles of the write path.
 * A run on a store of its own (no `LOGBENCH_DIR`) ends with 20 000 writes with ids
 * ({@link createsWithIds}). `LOGBENCH_THREADS=1` prints each thread's CPU seconds in the timed parts (main, the store's
 * worker, V8's GC helpers). With `LOGBENCH_PARSE=1` only each line's JSON text is generated
 * ahead and the timed part parses it (`JSON.parse`) before handing it to the store, as `_bulk`
 * does: the documents then live only as long as the store keeps them.
 *
 * Pinned to one core (`taskset -c 0 node …`) the ingest figures are much steadier, which A/B
 * runs need: on a 2-vCPU AMD EPYC VM (2026-12-02), 1 M lines pinned gave 78 700 and 77 800 docs
 * per CPU-second in two runs, unpinned 53 000 to 76 000 in six. At 10 M lines pinned and
 * unpinned agreed (73 700 and 73 500).
 *
 * Lines: bench/log-lines.ts (Kubernetes-style JSON and klog lines, one `kraken` per 100 000),
 * times spread evenly over one UTC day. Documents are generated 200 000 at a time, untimed,
 * and written 1 000 per batch with 4 batches in flight, as a shipper with a few connections
 * would; each timed part ends when the store has no flush or merge running or due (`settle()`),
 * the last when every document is in segments (`flush()`), so the worker thread's encoding is
 * inside them. Each document goes with its JSON text, as `_bulk` hands the store the line it
 * parsed.
 */
import { logLines } from './log-lines.js';
import { du } from './logstore-size.js';
import { addThreadCpu, threadCpuS, threadSnapshot, threadTimes } from './thread-cpu.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { forEachField } from '../src/logs/model/fields.js';
import { forEachToken } from '../src/logs/model/tokenize.js';
import { parseAggregations } from '../src/logs/query/aggs/parse.js';
import type { Query } from '../src/logs/query/query.js';
import type { ResultBlock } from '../src/logs/store/interface.js';
import { bloomAdd, bloomSize, hashKey } from '../src/logs/store/local/bloom.js';
import { BLOCK_DOCS } from '../src/logs/store/local/segment-format.js';
import { whenAccepted } from './store-busy.js';
import { type LocalLogStore, openLocalStore } from '../src/logs/store/local/store.js';
import type { Codec } from '../src/logs/store/local/segment-format.js';

const N = Number(process.argv[2] ?? 1_000_000);
const CODEC = (process.argv[3] ?? 'brotli') as Codec;
const DAY0 = Date.UTC(2026, 10, 29);
const BATCH = 1000;
const PARSE = process.env.LOGBENCH_PARSE === '1';
const IN_FLIGHT = 4;

const doc = logLines(N, DAY0);

/**
 * The alternatives the segment format was chosen against, measured on a sample of blocks:
 * keeping the source as compressed JSON (instead of rebuilding it from columns and shapes), and
 * an inverted index (token → blocks) instead of per-block token blooms.
 */
function compareLayouts(sample: Record<string, unknown>[]): void {
  let jsonBytes = 0;
  let bloomBytes = 0;
  let bloomMs = 0;
  let postingsMs = 0;
  const postings = new Map<string, number[]>();
  const h = new Uint32Array(2);
  for (let b = 0; b * BLOCK_DOCS < sample.length; b++) {
    const block = sample.slice(b * BLOCK_DOCS, (b + 1) * BLOCK_DOCS);
    jsonBytes += brotliCompressSync(Buffer.from(block.map((d) => JSON.stringify(d)).join('\n')), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_LGWIN]: 22 },
    }).length;
    const tokens = new Set<string>();
    for (const d of block) forEachField(d, (_, v) => forEachToken(String(v), (t) => tokens.add(t)));
    let t = performance.now();
    const bits = new Uint8Array(bloomSize(tokens.size));
    for (const tok of tokens) {
      hashKey(tok, h);
      bloomAdd(bits, h);
    }
    bloomMs += performance.now() - t;
    bloomBytes += bits.length;
    t = performance.now();
    for (const tok of tokens) {
      const list = postings.get(tok);
      if (list === undefined) postings.set(tok, [b]);
      else list.push(b);
    }
    postingsMs += performance.now() - t;
  }
  // A postings file: sorted dictionary (token bytes + a length byte) and per entry a block
  // number delta (1 byte at these sizes) plus a list length byte per token.
  let postingsBytes = 0;
  for (const [tok, list] of postings) postingsBytes += Buffer.byteLength(tok) + 2 + list.length;
  const n = sample.length;
  console.log(
    `layout sample (${n} docs): source as brotli JSON per block ${(jsonBytes / n).toFixed(1)} B/doc; ` +
      `token blooms ${(bloomBytes / n).toFixed(2)} B/doc (${bloomMs.toFixed(0)} ms to build); ` +
      `token→block postings ≈ ${(postingsBytes / n).toFixed(2)} B/doc uncompressed (${postingsMs.toFixed(0)} ms to build, ${postings.size} distinct tokens)`,
  );
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (x: number) => x.toFixed(1);

async function ingest(store: LocalLogStore): Promise<void> {
  let rawBytes = 0;
  let timedMs = 0;
  // Ingest CPU = the whole process's CPU from start to end, minus every thread's CPU while the
  // main thread generated documents beside an idle store (see `settle` below): the generation's
  // own garbage collection, on V8's helper threads, included. Until 2026-12-02 only the main
  // thread's share was left out, and the store was not idle: the GC of the generated documents
  // (~1.2 CPU-s per million on its own) counted as ingest, while the worker's flushes during
  // generation were left out of the wall time.
  let genCpuS = 0;
  let genAllS = 0;
  /** Per thread, its CPU seconds in the timed parts (the main thread's is its pid's). */
  const ingestThreads = new Map<string, number>();
  const cpu0 = process.cpuUsage();
  // Generated in chunks of 200 000 so the pending documents do not weigh on the store's GC.
  const CHUNK = Math.min(N, 200_000);
  for (let base = 0; base < N; base += CHUNK) {
    const g0 = threadCpuS();
    const p0 = process.cpuUsage();
    const docs: Record<string, unknown>[] = [];
    const texts: string[] = [];
    for (let i = base; i < Math.min(N, base + CHUNK); i++) {
      const d = doc(i);
      const json = JSON.stringify(d);
      rawBytes += Buffer.byteLength(json) + 1;
      docs.push(d);
      texts.push(json);
    }
    if (base === 0) compareLayouts(docs.slice(0, 200_000));
    // Only the texts stay: each is parsed as it is written, as `_bulk` does.
    if (PARSE) docs.length = 0;
    const g1 = threadCpuS();
    if (g0 !== undefined && g1 !== undefined) genCpuS += g1 - g0;
    const p1 = process.cpuUsage(p0);
    genAllS += (p1.user + p1.system) / 1e6;
    const threads0 = threadSnapshot();
    const t0 = performance.now();
    let next = 0;
    const writer = async () => {
      while (next < texts.length) {
        const start = next;
        next += BATCH;
        const batch = texts.slice(start, start + BATCH).map((json, k) => ({
          index: 'logs-k8s',
          op: 'index' as const,
          source: PARSE ? (JSON.parse(json) as Record<string, unknown>) : docs[start + k]!,
          json,
        }));
        await whenAccepted(() => store.write(batch));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
    // The flushes and merges due finish here, inside the timed part, so that the next
    // generation runs beside an idle store and all the CPU it takes can be left out.
    await store.settle();
    timedMs += performance.now() - t0;
    addThreadCpu(ingestThreads, threads0);
  }
  const threads1 = threadSnapshot();
  const t1 = performance.now();
  await store.flush();
  timedMs += performance.now() - t1;
  addThreadCpu(ingestThreads, threads1);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6 - genAllS;
  const cpuMainGenS = (cpu.user + cpu.system) / 1e6 - genCpuS;
  const disk = du(dir);
  if (process.env.LOGBENCH_THREADS === '1')
    console.log(
      `ingest CPU by thread (pid ${process.pid} the main thread): ${threadTimes(ingestThreads)}`,
    );
  console.log(
    `docs ${N}, raw ${(rawBytes / 2 ** 20).toFixed(1)} MiB (${Math.round(rawBytes / N)} B/doc), codec ${CODEC}`,
  );
  console.log(
    `ingest: ${Math.round(N / (timedMs / 1000))} docs/s wall (main + worker thread), ${Math.round(N / cpuS)} docs per CPU-second (all threads, ${fmt(cpuS)} s; generating the documents, ${fmt(genAllS)} s on all threads, not counted; ${Math.round(N / cpuMainGenS)} leaving out only the main thread's ${fmt(genCpuS)} s of it, as before 2026-12-02)`,
  );
  console.log(
    `disk: ${(disk / 2 ** 20).toFixed(1)} MiB = ${((disk / rawBytes) * 100).toFixed(2)} % of raw (${(disk / N).toFixed(1)} B/doc)`,
  );
}

const keep = process.env.LOGBENCH_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'vigil-logbench-'));
try {
  const store = await openLocalStore(dir, { codec: CODEC, maxFrozenParts: 2 });
  const stored = (await store.indices()).reduce((n, i) => n + i.docs, 0);
  if (stored === N) console.log(`searching the ${N} documents kept in ${dir}`);
  else if (stored === 0) await ingest(store);
  else throw new Error(`${dir} holds ${stored} documents, not ${N}: remove it or pass ${stored}`);
  if (process.env.LOGBENCH_INGEST_ONLY !== '1') await searches(store);
  // It adds documents, which a kept store's next run would not expect.
  if (keep === undefined) await createsWithIds(store);
  console.log(
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ${cpus().length} CPUs (this process may use ${availableParallelism()}), ${cpus()[0]?.model}`,
  );
  await store.close();
} finally {
  if (keep === undefined) rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes with ids, as the agent's outputs send every record (`create` with its own `_id`): each
 * is checked against every segment of the index, which the ingest above (ids assigned by the
 * store) never is. Until 2026-12-02 these ran at ~800 a second into a 10 M-line store.
 */
async function createsWithIds(store: LocalLogStore): Promise<void> {
  const n = 20_000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let created = 0;
  for (let b = 0; b < n; b += 500) {
    const batch = Array.from({ length: 500 }, (_, k) => {
      const source = doc(b + k);
      return { index: 'logs-k8s', op: 'create' as const, id: `agent-${b + k}`, source };
    });
    created += (await store.write(batch)).filter((r) => r.status === 'created').length;
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `creates with new ids (${created} of ${n}, 500 a batch) into the full store: ${Math.round(n / s)} docs/s wall, ${Math.round(n / ((cpu.user + cpu.system) / 1e6))} per CPU-second`,
  );
}

async function searches(store: LocalLogStore): Promise<void> {
  const run = async (
    name: string,
    req: {
      query: Query;
      order: 'desc' | 'asc' | 'none';
      sources?: boolean;
      fields?: readonly string[];
    },
    reps: number,
    limit: number,
    onDoc?: (b: ResultBlock, i: number) => void,
    /** Per round, what takes each block whole (instead of `onDoc`). */
    blocks?: () => (b: ResultBlock) => void,
  ) => {
    // The first run is reported on its own: it reads the blocks from disk or a cold cache (the
    // first search after a restart), and in 20 runs it alone was the p95.
    const times: number[] = [];
    let first = 0;
    let hits = 0;
    let scanned = 0;
    for (let r = 0; r <= reps; r++) {
      hits = 0;
      const onBlock = blocks?.();
      const t = performance.now();
      const stats = await store.search({ indices: ['logs-*'], ...req }, (b) => {
        if (onBlock !== undefined) {
          onBlock(b);
          hits += b.length;
          return true;
        }
        for (let i = 0; i < b.length && hits < limit; i++, hits++) onDoc?.(b, i);
        return hits < limit;
      });
      scanned = stats.docsScanned;
      if (r === 0) first = performance.now() - t;
      else times.push(performance.now() - t);
    }
    console.log(
      `${name}: p50 ${fmt(quantile(times, 0.5))} ms, p95 ${fmt(quantile(times, 0.95))} ms over ${reps} runs after the first (${fmt(first)} ms) (${hits} hits, ${scanned} docs scanned)`,
    );
  };
  const m = (text: string, path?: string): Query => ({
    kind: 'match',
    field: path ? { kind: 'path', path } : { kind: 'any' },
    text,
    phrases: [text.split(' ')],
  });
  await run('rare term `kraken`, newest 100', { query: m('kraken'), order: 'desc' }, 20, 100);
  // What a search page costs: the hits' ids, and their documents rebuilt from every column of
  // their blocks, as the search API returns them.
  await run(
    'rare term `kraken`, newest 100 with their ids and documents',
    { query: m('kraken'), order: 'desc', sources: true },
    20,
    100,
    (b, i) => [b.id(i), b.source(i)],
  );
  const hist = new Float64Array(48);
  await run(
    'common term `error`, 24 h histogram (30 min buckets), order none',
    { query: m('error'), order: 'none' },
    5,
    Infinity,
    (b, i) => {
      hist[Math.floor((b.ms[i]! - DAY0) / 1_800_000)]!++;
    },
  );
  await run(
    'kubernetes.namespace:payments and "connection refused", newest 100',
    {
      query: {
        kind: 'and',
        children: [m('payments', 'kubernetes.namespace'), m('connection refused')],
      },
      order: 'desc',
    },
    20,
    100,
  );
  // The search API's own terms aggregation (`query/aggs`), as `_search` with `aggs` runs it.
  const terms = parseAggregations(
    { ns: { terms: { field: 'kubernetes.namespace', size: 20 } } },
    { now: Date.now() },
  );
  await run(
    'terms aggregation on kubernetes.namespace over all docs',
    { query: { kind: 'all' }, order: 'none', fields: ['kubernetes.namespace'] },
    3,
    Infinity,
    undefined,
    () => {
      const a = terms.create().get('ns')!;
      return (b) => a.collectAll!(b);
    },
  );
}
