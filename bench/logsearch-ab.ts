/**
 * A/B of the log store's search path on a kept store (`LOGBENCH_DIR` of `logstore.bench.ts`),
 * for a machine whose load makes two separate runs incomparable: the search code of two (or
 * more) source trees is loaded into one process over the same segments, and each query runs on
 * each tree in turn, round after round, so both see the same load. Read-only: it opens the
 * segment files and calls `searchStore` as the store does (no catalog, WAL or worker), with the
 * queries and callbacks of `logstore.bench.ts`.
 *
 *   node --expose-gc --import tsx bench/logsearch-ab.ts STORE_DIR ROUNDS QUERIES TREE [TREE…]
 *
 * QUERIES: comma-separated from rare, raredocs, hist, phrase, terms. TREE: a checkout's root
 * (`git archive <commit> src package.json | tar -x -C /tmp/base` makes one of another commit;
 * without package.json's `"type": "module"` tsx compiles the tree as CommonJS, where
 * `import.meta.resolve` is missing and worker threads of the search, such as the page scan's,
 * cannot start: the search then silently does their work itself), optionally
 * `TREE@STORE_DIR` to read another store on that side (a writer change: the same documents
 * written by each tree). Prints per
 * query and tree the wall and the process CPU (`process.cpuUsage`, every thread: the thread
 * pool's decompression counts) and the main thread's CPU alone (`/proc/self/task/<pid>/schedstat`,
 * Linux: on a loaded machine the wall time says little, and these two bound what a quiet one
 * would see), and the CPU of the busiest other thread (a worker's: with the main thread's, a
 * bound on what a quiet machine with enough cores would take), p50 and p95 or minimum, after
 * one round not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { parseAggregations } from '../src/logs/query/aggs/parse.js';
import type { Query } from '../src/logs/query/query.js';
import type { ResultBlock, SearchRequest } from '../src/logs/store/interface.js';
import type { SearchContext } from '../src/logs/store/local/store-search.js';

const [dir, roundsArg, queriesArg, ...trees] = process.argv.slice(2);
if (dir === undefined || queriesArg === undefined || trees.length === 0) {
  console.error('usage: logsearch-ab.ts STORE_DIR ROUNDS QUERIES TREE [TREE…]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const DAY0 = Date.UTC(2026, 10, 29);

const m = (text: string, path?: string): Query => ({
  kind: 'match',
  field: path ? { kind: 'path', path } : { kind: 'any' },
  text,
  phrases: [text.split(' ')],
});

interface Case {
  readonly req: Omit<SearchRequest, 'indices'>;
  readonly limit: number;
  readonly onDoc?: (b: ResultBlock, i: number) => void;
  /** Per round, with the side's tree's aggregations, what takes each block whole. */
  readonly blocks?: (aggs: ParseAggregations) => (b: ResultBlock) => void;
}

type ParseAggregations = typeof parseAggregations;

const hist = new Float64Array(48);
const cases: Record<string, Case> = {
  rare: { req: { query: m('kraken'), order: 'desc' }, limit: 100 },
  raredocs: {
    req: { query: m('kraken'), order: 'desc', sources: true },
    limit: 100,
    onDoc: (b, i) => [b.id(i), b.source(i)],
  },
  hist: {
    req: { query: m('error'), order: 'none' },
    limit: Infinity,
    onDoc: (b, i) => {
      hist[Math.floor((b.ms[i]! - DAY0) / 1_800_000)]!++;
    },
  },
  phrase: {
    req: {
      query: {
        kind: 'and',
        children: [m('payments', 'kubernetes.namespace'), m('connection refused')],
      },
      order: 'desc',
    },
    limit: 100,
  },
  // The search API's terms aggregation, as `logstore.bench.ts` runs it.
  terms: {
    req: { query: { kind: 'all' }, order: 'none', fields: ['kubernetes.namespace'] },
    limit: Infinity,
    blocks: (aggs) => {
      const a = aggs({ ns: { terms: { field: 'kubernetes.namespace', size: 20 } } }, { now: 0 })
        .create()
        .get('ns')!;
      return (b) => {
        if (a.collectAll !== undefined) a.collectAll(b);
        else for (let i = 0; i < b.length; i++) a.collect(b, i);
      };
    },
  },
};

/** The segment files of the store at `store`. */
const segmentsOf = (store: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.seg')) out.push(p);
    }
  };
  walk(join(store, 'indices'));
  return out;
};

type SearchFn = (
  req: SearchRequest,
  onBlock: (b: ResultBlock) => boolean | void,
  ctx: SearchContext,
) => Promise<unknown>;

const sides = await Promise.all(
  trees.map(async (arg) => {
    const [tree, store = dir] = arg.split('@') as [string, string?];
    const segments = segmentsOf(store);
    const root = resolve(tree);
    const reader = (await import(join(root, 'src/logs/store/local/segment-reader.ts'))) as {
      SegmentReader: { open(path: string): SearchContext['live'][number]['reader'] };
    };
    const search = (await import(join(root, 'src/logs/store/local/store-search.ts'))) as {
      searchStore: SearchFn;
    };
    const aggs = (await import(join(root, 'src/logs/query/aggs/parse.ts'))) as {
      parseAggregations: ParseAggregations;
    };
    const ctx: SearchContext = {
      live: segments.map((f) => ({
        entry: { index: 'logs-k8s' },
        reader: reader.SegmentReader.open(f),
      })),
      parts: [],
      hidden: new Map(),
      limits: { maxDocsScanned: Infinity, timeoutMs: 3_600_000 },
    };
    return {
      tree: arg,
      search: search.searchStore,
      aggs: aggs.parseAggregations,
      ctx,
      cpu: [] as number[],
      main: [] as number[],
      other: [] as number[],
      wall: [] as number[],
    };
  }),
);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], q: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
/** ns the main thread has run (Linux). */
const mainNs = (): number =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
/** ns each other thread of the process has run, by thread id (Linux). */
const otherNs = (): Map<string, number> => {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    if (tid === String(process.pid)) continue;
    try {
      out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
};
/** The most any one thread ran between two {@link otherNs} readings, in ms. */
const busiest = (before: Map<string, number>, after: Map<string, number>): number => {
  let most = 0;
  for (const [tid, ns] of after) most = Math.max(most, ns - (before.get(tid) ?? 0));
  return most / 1e6;
};

for (const name of queriesArg.split(',')) {
  const c = cases[name];
  if (c === undefined)
    throw new Error(`unknown query ${name}: one of ${Object.keys(cases).join(', ')}`);
  for (const s of sides) {
    s.cpu = [];
    s.main = [];
    s.other = [];
    s.wall = [];
  }
  let hits = 0;
  for (let r = 0; r <= rounds; r++) {
    for (const s of sides) {
      hits = 0;
      const onBlock = c.blocks?.(s.aggs);
      const c0 = process.cpuUsage();
      const m0 = mainNs();
      const o0 = otherNs();
      const t0 = performance.now();
      await s.search(
        { indices: ['logs-*'], ...c.req },
        (b) => {
          if (onBlock !== undefined) {
            onBlock(b);
            hits += b.length;
            return true;
          }
          for (let i = 0; i < b.length && hits < c.limit; i++, hits++) c.onDoc?.(b, i);
          return hits < c.limit;
        },
        s.ctx,
      );
      const wall = performance.now() - t0;
      const main = (mainNs() - m0) / 1e6;
      const other = busiest(o0, otherNs());
      const cpu = process.cpuUsage(c0);
      if (r === 0) continue;
      s.wall.push(wall);
      s.cpu.push((cpu.user + cpu.system) / 1000);
      s.main.push(main);
      s.other.push(other);
    }
  }
  for (const s of sides) {
    console.log(
      `${name.padEnd(8)} ${s.tree.padEnd(30)} wall p50 ${at(s.wall, 0.5).toFixed(1)} p95 ${at(s.wall, 0.95).toFixed(1)} ms; ` +
        `cpu p50 ${at(s.cpu, 0.5).toFixed(1)} min ${Math.min(...s.cpu).toFixed(1)} ms; ` +
        `main thread p50 ${at(s.main, 0.5).toFixed(1)} min ${Math.min(...s.main).toFixed(1)} ms; ` +
        `busiest other thread p50 ${at(s.other, 0.5).toFixed(1)} ms; ${hits} hits; load ${load()}`,
    );
  }
}
