/**
 * Throughput of the agent's per-record stages over 200 000 records of a Kubernetes node, in
 * batches of 2 000 as an input hands them on: message parsers (logfmt, a regex with a time
 * field) on plain messages, and filter chains (drop by KQL alone, which re-serializes nothing;
 * drop + rename + add + remove, which re-serializes what survives). Run with
 *   node --expose-gc --import tsx src/logs/agent/filters/stages.bench.ts [rounds=5]
 * For scale: issue 8 asks 150 000 lines/s on one core for the whole agent.
 */
import { Registry } from '../../../lib/instrument/index.js';
import { registerAgentMetrics } from '../metrics.js';
import { LogfmtParser, MessageLifter, RegexParser } from '../parsers/message.js';
import { timeReader } from '../parsers/time-format.js';
import type { AgentRecord } from '../stage.js';
import { FilterChain } from './chain.js';
import { KqlDropFilter } from './kql-drop.js';
import { addFilter, removeFilter, renameFilter } from './modify.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const N = 200_000;
const BATCH = 2000;
const namespaces = ['shop', 'kube-system', 'billing', 'default', 'db', 'monitoring'];
const levels = ['info', 'info', 'info', 'debug', 'warn', 'error'];

const logfmtLines = Array.from(
  { length: N },
  (_, i) =>
    `ts=2024-05-06T07:08:${String(i % 60).padStart(2, '0')}.123Z level=${levels[i % 6]} msg="request \\"done\\"" path=/api/v1/items/${i} status=200 took=${i % 97}ms`,
);
const accessLines = Array.from(
  { length: N },
  (_, i) =>
    `10.0.${i % 256}.${i % 200} - - [06/May/2024:07:08:${String(i % 60).padStart(2, '0')} +0000] "GET /api/v1/items/${i} HTTP/1.1" 200 ${i % 5000}`,
);
const records: AgentRecord[] = Array.from({ length: N }, (_, i) => ({
  id: `id-${i}`,
  json: JSON.stringify({
    '@timestamp': '2024-05-06T07:08:09.123456789Z',
    message: accessLines[i],
    stream: 'stdout',
    level: levels[i % 6],
    log: { file: { path: `/var/log/pods/ns_p_${i % 20}/c/0.log` }, offset: i * 120 },
    host: { name: 'node-a' },
    kubernetes: {
      namespace: namespaces[i % 6],
      pod: { name: `web-${i % 20}`, uid: 'u' },
      container: { name: 'app' },
      node: { name: 'node-a' },
    },
  }),
}));

/** Records per wall second and per CPU second (the steadier figure on a shared machine), medians. */
function measure(name: string, run: () => void): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    run();
    wall.push(N / (Number(process.hrtime.bigint() - t0) / 1e9));
    const c = process.cpuUsage(c0);
    cpu.push(N / ((c.user + c.system) / 1e6));
  }
  const median = (l: number[]) =>
    Math.round(l.sort((x, y) => x - y)[l.length >> 1]!).toLocaleString('en');
  console.log(
    `${name.padEnd(40)} ${median(wall).padStart(9)} records/s wall, ${median(cpu).padStart(9)} per CPU-s (medians of ${ROUNDS})`,
  );
}

const logfmt = new MessageLifter([
  new LogfmtParser({
    name: 'app',
    timeField: 'ts',
    readTime: timeReader('rfc3339'),
    messageField: 'msg',
  }),
]);
measure('logfmt parser, time field', () => {
  for (const l of logfmtLines) logfmt.lift(l);
});
const access = new MessageLifter([
  new RegexParser(
    {
      name: 'access',
      timeField: 'time',
      readTime: timeReader('%d/%b/%Y:%H:%M:%S %z'),
      messageField: 'message',
    },
    /^(?<client>\S+) \S+ \S+ \[(?<time>[^\]]+)\] "(?<method>\S+) (?<path>\S+)[^"]*" (?<status>\d{3}) (?<bytes>\d+)/,
  ),
]);
measure('regex parser, strftime time field', () => {
  for (const l of accessLines) access.lift(l);
});

const dropped = registerAgentMetrics(new Registry()).recordsDropped;
const dropOnly = new FilterChain(
  [new KqlDropFilter('d', 'level:debug or kubernetes.namespace:kube-*')],
  dropped,
);
measure('filters: drop by KQL', () => {
  for (let i = 0; i < N; i += BATCH) dropOnly.apply(records.slice(i, i + BATCH));
});
const edit = new FilterChain(
  [
    new KqlDropFilter('d', 'level:debug'),
    renameFilter('r', { level: 'log.level' }),
    addFilter('a', { 'cluster.name': 'eu-1' }, true),
    removeFilter('x', ['kubernetes.node']),
  ],
  dropped,
);
measure('filters: drop + rename + add + remove', () => {
  for (let i = 0; i < N; i += BATCH) edit.apply(records.slice(i, i + BATCH));
});
