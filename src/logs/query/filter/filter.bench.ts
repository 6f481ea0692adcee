/**
 * Filter throughput over one block of 8 192 Kubernetes log documents held as objects
 * ({@link DocColumns}, as the store's unflushed part), per query kind: a namespace match (a
 * dictionary column), free text over every field, a phrase in the message, a wildcard, a date
 * range and a nested query. Columns are built once, as a block's are; each timed run compiles
 * nothing and applies the filter to a fresh bitmap. Run with
 *   node --expose-gc --import tsx src/logs/query/filter/filter.bench.ts [rounds=9]
 * Target: ≥ 5 M documents/s for the dictionary match, ≥ 500 k/s for free text.
 */
import { compileKql } from '../kql/compile.js';
import { parse } from '../kql/parse.js';
import { compileFilter } from './compile.js';
import { DocColumns } from './doc-columns.js';

const ROUNDS = Number(process.argv[2] ?? 9);
const DOCS = 8192;
/** Applications per timed run: enough for a run to last well over the timer's resolution. */
const APPLIES = 20;

const namespaces = ['shop', 'kube-system', 'billing', 'default', 'db', 'monitoring'];
const paths = [
  '/api/v1/cart',
  '/api/v1/checkout',
  '/healthz',
  '/api/v1/users/42',
  '/static/app.js',
];
const base = Date.UTC(2024, 4, 6);
const docs = Array.from({ length: DOCS }, (_, i) => ({
  '@timestamp': new Date(base + i * 997).toISOString(),
  message: `${i % 7 === 0 ? 'POST' : 'GET'} ${paths[i % paths.length]} HTTP/1.1 ${i % 13 === 0 ? 500 : 200} request_id=${i.toString(36)}`,
  level: i % 13 === 0 ? 'error' : 'info',
  kubernetes: {
    namespace: namespaces[i % namespaces.length],
    pod: { name: `web-7d9f8-${(i % 50).toString(36)}` },
    labels: { app: 'web' },
  },
  http: { response: { status_code: i % 13 === 0 ? 500 : 200, bytes: (i * 37) % 20000 } },
  items: [
    { name: 'banana', stock: i % 20 },
    { name: 'apple', stock: (i * 3) % 20 },
  ],
}));

const queries = [
  'kubernetes.namespace:kube-system',
  'checkout',
  'message:"HTTP/1.1 500"',
  'kubernetes.pod.name:web-7d9f8-1*',
  '@timestamp >= "2024-05-06T01:00:00Z" and @timestamp < "2024-05-06T02:00:00Z"',
  'items:{ name:banana and stock > 15 }',
];

const now = base + 86_400_000;
const cols = new DocColumns(docs);
for (const q of queries) {
  const filter = compileFilter(compileKql(parse(q), { now }));
  const bits = new Uint8Array(DOCS);
  const rates: number[] = [];
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let matched = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < APPLIES; k++) {
      bits.fill(1);
      filter.apply(cols, bits);
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push((DOCS * APPLIES) / s);
    matched = bits.reduce((a, b) => a + b, 0);
  }
  const heap = process.memoryUsage().heapUsed - heap0;
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  console.log(
    `${q}\n  ${(median / 1e6).toFixed(2)} M docs/s (median of ${ROUNDS}), ${matched} match, heap +${(heap / 1024).toFixed(0)} KiB`,
  );
}
