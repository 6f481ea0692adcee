/**
 * Searches of the log store's memory part: documents written and not yet flushed, as a live
 * view or a search just after ingest reads them. Writes DOCS generated lines (`log-lines.ts`,
 * each parsed from its JSON text as `_bulk` does) into a store that does not flush, then runs
 * a free-text search (`error`, every field) and a field search (`kubernetes.namespace`), three
 * times each: the first run builds the chunks' columns, the later ones reuse them.
 *
 *   node --expose-gc --import tsx bench/logmem.bench.ts [DOCS=150000] [LIMIT=all]
 *
 * LIMIT: hits to take, newest first, reading each one's source (default: every hit, counted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLines } from './log-lines.js';
import type { Query } from '../src/logs/query/query.js';
import { openLocalStore } from '../src/logs/store/local/store.js';

const N = Number(process.argv[2] ?? 150_000);
const LIMIT = process.argv[3] === undefined ? Infinity : Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), 'vigil-memsearch-'));
try {
  const store = await openLocalStore(dir, { flushDocs: Infinity, flushBytes: Infinity });
  const doc = logLines(N, Date.UTC(2026, 10, 29));
  for (let b = 0; b < N; b += 1000) {
    const batch = [];
    for (let i = b; i < Math.min(N, b + 1000); i++) {
      const json = JSON.stringify(doc(i));
      batch.push({
        index: 'logs-k8s',
        op: 'index' as const,
        source: JSON.parse(json) as Record<string, unknown>,
        json,
      });
    }
    await store.write(batch);
  }
  const searches: [string, Query][] = [
    ['error', { kind: 'match', field: { kind: 'any' }, text: 'error', phrases: [['error']] }],
    [
      'kubernetes.namespace:payments',
      {
        kind: 'match',
        field: { kind: 'path', path: 'kubernetes.namespace' },
        text: 'payments',
        phrases: [['payments']],
      },
    ],
  ];
  for (const [name, query] of searches) {
    const runs: string[] = [];
    let hits = 0;
    for (let r = 0; r < 3; r++) {
      hits = 0;
      const t = performance.now();
      await store.search({ indices: ['logs-*'], query, order: 'desc' }, (b) => {
        if (LIMIT === Infinity) {
          hits += b.length;
          return true;
        }
        for (let i = 0; i < b.length && hits < LIMIT; i++, hits++) b.source(i);
        return hits < LIMIT;
      });
      runs.push((performance.now() - t).toFixed(1));
    }
    console.log(`${name}: ${runs.join(', ')} ms (first, then again), ${hits} hits`);
  }
  console.log(
    `${N} documents unflushed; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
