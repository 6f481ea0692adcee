/**
 * The Elasticsearch `_bulk` path above the store, per line: splitting and parsing a body
 * (`parseBulk`), then the whole request as the route runs it (`bulk()` into a real store that
 * flushes in its worker thread, the answer serialized as fastify does, with and without the
 * `filter_path` shippers send). The store's own share is `logstore.bench.ts`'s.
 *
 *   node --expose-gc --import tsx bench/es-bulk.bench.ts [LINES=200000] [ROUNDS=5]
 *
 * Bodies of 1 000 generated lines (`log-lines.ts`), each after `{"create":{"_index":…}}` as
 * Fluent Bit and Vector write them. Prints per round µs per line of `parseBulk` and CPU µs per
 * line of the whole path (every thread: the store's worker and V8's GC helpers count), and the
 * answer's bytes per line; then the medians of the rounds after the first (JIT warm-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLines } from './log-lines.js';
import { bulk, parseBulk } from '../src/logs/ingest/es-bulk.js';
import { whenAccepted } from './store-busy.js';
import { openLocalStore } from '../src/logs/store/local/store.js';
import { applyFilterPath, parseFilterPath } from '../src/server/api/es/filter-path.js';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const BODY_LINES = 1000;
const IN_FLIGHT = 4;

const doc = logLines(N, Date.UTC(2026, 10, 29));
const bodies: string[] = [];
for (let b = 0; b < N; b += BODY_LINES) {
  const lines: string[] = [];
  for (let i = b; i < Math.min(N, b + BODY_LINES); i++) {
    lines.push('{"create":{"_index":"logs-k8s"}}', JSON.stringify(doc(i)));
  }
  bodies.push(lines.join('\n') + '\n');
}
const agentFilter = parseFilterPath('errors,items.*.status,items.*.error')!;

/** CPU µs per line of the whole path, and answer bytes per line. */
async function wholePath(filtered: boolean): Promise<{ us: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bulk-bench-'));
  const store = await openLocalStore(dir, { maxFrozenParts: 2 });
  try {
    let next = 0;
    let bytes = 0;
    const c0 = process.cpuUsage();
    const sender = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await whenAccepted(() => bulk(store, body, {}));
        bytes += JSON.stringify(filtered ? applyFilterPath(res, agentFilter) : res).length;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    await store.flush();
    const c = process.cpuUsage(c0);
    return { us: (c.user + c.system) / N, bytes: bytes / N };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: number[][] = [];
for (let r = 0; r < ROUNDS; r++) {
  globalThis.gc?.();
  const t0 = process.cpuUsage();
  for (const body of bodies) parseBulk(body, {});
  const t = process.cpuUsage(t0);
  const parse = (t.user + t.system) / N;
  const plain = await wholePath(false);
  const agent = await wholePath(true);
  rows.push([parse, plain.us, agent.us]);
  console.log(
    `round ${r}: parseBulk ${parse.toFixed(2)} µs/line; bulk + answer ${plain.us.toFixed(2)} µs/line (${plain.bytes.toFixed(0)} B/line answered), with filter_path ${agent.us.toFixed(2)} µs/line (${agent.bytes.toFixed(0)} B/line)`,
  );
}
const median = (k: number) => {
  const xs = rows
    .slice(1)
    .map((row) => row[k]!)
    .sort((a, b) => a - b);
  return xs.length === 0 ? NaN : xs[Math.floor(xs.length / 2)]!;
};
console.log(
  `${N} lines, medians: parseBulk ${median(0).toFixed(2)} µs/line; bulk + answer ${median(1).toFixed(2)} µs/line (${Math.round(1e6 / median(1))} lines per CPU-second); with filter_path ${median(2).toFixed(2)} µs/line`,
);
