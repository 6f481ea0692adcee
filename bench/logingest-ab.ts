/**
 * A/B of the log store's write path, for a machine whose load makes two separate runs of
 * `logstore.bench.ts` incomparable: the store code of two (or more) source trees is loaded into
 * one process, the same generated documents (`log-lines.ts`, generated once, before any round)
 * are written to a fresh store of each tree in turn, round after round, so all see the same
 * load. A round writes them as `logstore.bench.ts` does (1 000 per batch, 4 batches in flight,
 * with each line's JSON text) and ends when every document is in segments.
 *
 *   node --expose-gc --max-old-space-size=8192 --import tsx bench/logingest-ab.ts ROUNDS DOCS TREE [TREE…]
 *
 * TREE: a checkout's root (`git archive <commit> src package.json | tar -x -C /tmp/base` makes
 * one of another commit, with node_modules linked in). Prints per round and tree the process
 * CPU (`process.cpuUsage`, every thread: the store's worker and V8's GC helpers count), the main
 * thread's share (`/proc/thread-self/stat`, Linux) and docs per CPU-second; then per tree the
 * median and the spread of the rounds after the first (the first warms up the JIT: 20–30 % off).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logLines } from './log-lines.js';
import type { LocalLogStore, openLocalStore } from '../src/logs/store/local/store.js';
import { whenAccepted } from './store-busy.js';
import { addThreadCpu, threadCpuS, threadSnapshot, threadTimes } from './thread-cpu.js';

const [roundsArg, docsArg, ...trees] = process.argv.slice(2);
if (docsArg === undefined || trees.length === 0) {
  console.error('usage: logingest-ab.ts ROUNDS DOCS TREE [TREE…]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const n = Number(docsArg);
const BATCH = 1000;
const IN_FLIGHT = 4;

const doc = logLines(n, Date.UTC(2026, 10, 29));
const docs = Array.from({ length: n }, (_, i) => doc(i));
const texts = docs.map((d) => JSON.stringify(d));

type Open = typeof openLocalStore;
const opens: Open[] = [];
for (const tree of trees) {
  const mod = (await import(join(resolve(tree), 'src/logs/store/local/store.ts'))) as {
    openLocalStore: Open;
  };
  opens.push(mod.openLocalStore);
}

async function writeAll(store: LocalLogStore): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < n) {
      const start = next;
      next += BATCH;
      const batch = docs.slice(start, Math.min(n, start + BATCH)).map((source, k) => ({
        index: 'logs-k8s',
        op: 'index' as const,
        source,
        json: texts[start + k]!,
      }));
      await whenAccepted(() => store.write(batch));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  await store.flush();
}

const results = trees.map(() => [] as { all: number; main: number }[]);
for (let r = 0; r < rounds; r++) {
  // Alternate which tree goes first, so neither always runs after the other's garbage.
  const order = trees.map((_, k) => k);
  if (r % 2 === 1) order.reverse();
  for (const k of order) {
    globalThis.gc?.();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-ab-'));
    try {
      const store = await opens[k]!(dir, { codec: 'brotli', maxFrozenParts: 2 });
      const c0 = process.cpuUsage();
      const m0 = threadCpuS() ?? 0;
      const t0 = threadSnapshot();
      await writeAll(store);
      const c = process.cpuUsage(c0);
      const main = (threadCpuS() ?? 0) - m0;
      const threads = new Map<string, number>();
      addThreadCpu(threads, t0);
      await store.close();
      const all = (c.user + c.system) / 1e6;
      results[k]!.push({ all, main });
      const load = readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).join(' ');
      console.log(
        `round ${r} ${trees[k]}: ${Math.round(n / all)} docs per CPU-second (${all.toFixed(2)} s, main ${main.toFixed(2)} s, others ${(all - main).toFixed(2)} s), load ${load}`,
      );
      console.log(`  threads: ${threadTimes(threads)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
for (let k = 0; k < trees.length; k++) {
  const rate = results[k]!.slice(1)
    .map((x) => n / x.all)
    .sort((a, b) => a - b);
  if (rate.length === 0) break;
  const mid = rate[Math.floor(rate.length / 2)]!;
  console.log(
    `${trees[k]}: docs per CPU-second median ${Math.round(mid)}, min ${Math.round(rate[0]!)}, max ${Math.round(rate.at(-1)!)}`,
  );
}
