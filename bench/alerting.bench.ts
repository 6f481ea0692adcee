/**
 * Alerts through Vigil's Alertmanager, in one process:
 *   node --expose-gc --import tsx bench/alerting.bench.ts [alerts=10000] [groups=1000]
 * A real Alertmanager on the system clock (route tree of 10 teams, `group_by: [alertname,
 * cluster]`, group_wait 2s, group_interval 5s, webhook receivers on a real HTTP server on
 * 127.0.0.1, state files in a temp dir):
 * 1. route + group: `alerts` new alerts put into the store in batches of 64 (Prometheus' batch
 *    size), each routed down the tree into one of `groups` aggregation groups;
 * 2. notify: group_wait later every group flushes and delivers one webhook notification
 *    (logged durably in the notification log); notifications/s over the burst, and each
 *    group's latency from when its flush was due to the receiver's arrival;
 * 3. repeat: group_interval later every group flushes again with nothing new and the
 *    notification log suppresses every notification; the CPU that costs;
 * 4. API v2: the same alerts re-sent (`POST /api/v2/alerts`, batches of 64, 4 at a time), as
 *    Prometheus re-sends firing alerts every minute — parsing, validation, merge, routing.
 * The load generator and the webhook receiver share the process, so figures are floors.
 */

import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Alertmanager } from '../src/alerting/alertmanager.js';
import { alertmanagerApi } from '../src/alerting/api/routes.js';
import { loadAlertmanagerConfig } from '../src/alerting/config/load.js';
import { newAlert, type Alert } from '../src/alerting/model/alert.js';
import { systemClock } from '../src/lib/clock/clock.js';
import { Registry } from '../src/lib/instrument/index.js';
import { Logger } from '../src/lib/log/logger.js';

const N = Number(process.argv[2] ?? 10_000);
const GROUPS = Number(process.argv[3] ?? 1000);
const TEAMS = 10;
const BATCH = 64;
const T0 = Date.now();

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const GROUP_WAIT_MS = 2000;
const GROUP_INTERVAL_MS = 5000;
/** Arrival time by group index, read from the body's group labels. */
const arrivals = new Map<number, number>();
let arrivalCount = 0;
const hook = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    const now = performance.now();
    const { alertname, cluster } = (JSON.parse(body) as { groupLabels: Record<string, string> })
      .groupLabels;
    arrivals.set(Number(cluster!.slice(1)) * 50 + Number(alertname!.slice(5)), now);
    arrivalCount++;
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const hookPort = (hook.address() as { port: number }).port;

const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-bench-'));
const routes = Array.from(
  { length: TEAMS },
  (_, i) => `    - matchers: ['team="team-${i}"']\n      receiver: team-${i}`,
).join('\n');
const receivers = Array.from(
  { length: TEAMS },
  (_, i) =>
    `  - name: team-${i}\n    webhook_configs: [{ url: 'http://127.0.0.1:${hookPort}/team-${i}' }]`,
).join('\n');
writeFileSync(
  join(dir, 'alertmanager.yml'),
  `route:
  receiver: fallback
  group_by: [alertname, cluster]
  group_wait: ${GROUP_WAIT_MS / 1000}s
  group_interval: ${GROUP_INTERVAL_MS / 1000}s
  repeat_interval: 4h
  routes:
${routes}
receivers:
  - name: fallback
${receivers}
`,
);
const clock = systemClock;
const am = new Alertmanager({
  config: loadAlertmanagerConfig(join(dir, 'alertmanager.yml')),
  storageDir: join(dir, 'state'),
  externalURL: () => 'http://127.0.0.1:9093',
  clock,
  registry: new Registry(),
  logger: new Logger({ level: 'error' }),
});
await am.start();

/** Alert i belongs to group i % GROUPS; a group's alerts share a team. */
function labels(i: number): Record<string, string> {
  const g = i % GROUPS;
  return {
    alertname: `Alert${g % 50}`,
    cluster: `c${Math.floor(g / 50)}`,
    team: `team-${g % TEAMS}`,
    instance: `host-${i}:9100`,
    severity: i % 3 === 0 ? 'page' : 'ticket',
  };
}
const heapBefore = heapMB();
const alerts: Alert[] = Array.from({ length: N }, (_, i) =>
  newAlert({
    labels: labels(i),
    annotations: { summary: `alert ${i} fires`, runbook: 'http://runbooks/x' },
    startsAt: T0,
    endsAt: T0 + 3_600_000,
    updatedAt: T0,
  }),
);

let t = performance.now();
/** When each group got its first alert: its flush is due group_wait later. */
const created: number[] = [];
for (let i = 0; i < N; i += BATCH) {
  am.store.put(alerts.slice(i, i + BATCH));
  const now = performance.now();
  for (let j = i; j < Math.min(i + BATCH, GROUPS); j++) created[j] = now;
}
const routeMs = performance.now() - t;
const heapAfter = heapMB();
const groupCount = am.groups().length;

async function waitArrivals(n: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (arrivalCount < n) {
    if (Date.now() > deadline) throw new Error(`only ${arrivalCount} of ${n} notifications`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

await waitArrivals(groupCount);
const due = created.map((c) => c + GROUP_WAIT_MS);
const latencies = [...arrivals].map(([g, at]) => at - due[g]!).sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
const burstMs = Math.max(...arrivals.values()) - Math.min(...due);
await am.settled();

// The repeat flushes come group_interval after the first ones; measure the CPU they take.
const firstDue = Math.min(...due);
await new Promise((r) =>
  setTimeout(r, Math.max(0, firstDue + GROUP_INTERVAL_MS - 500 - performance.now())),
);
const sent = arrivalCount;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await new Promise((r) => setTimeout(r, 500 + routeMs + 1000));
await am.settled();
const cpu = process.cpuUsage(cpu0);
const repeatWall = performance.now() - wall0;
const extra = arrivalCount - sent;

const api = Fastify({ logger: false });
await api.register(alertmanagerApi, {
  prefix: '/api/v2',
  alertmanager: am,
  registry: new Registry(),
  logger: new Logger({ level: 'error' }),
});
await api.listen({ host: '127.0.0.1', port: 0 });
const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}/api/v2/alerts`;
const bodies: string[] = [];
for (let i = 0; i < N; i += BATCH) {
  bodies.push(
    JSON.stringify(
      alerts.slice(i, i + BATCH).map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: new Date(a.startsAt).toISOString(),
        endsAt: new Date(a.endsAt).toISOString(),
        generatorURL: 'http://vigil:9700/graph?g0.expr=up',
      })),
    ),
  );
}
t = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = await fetch(apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 200) throw new Error(`POST /api/v2/alerts: ${res.status}`);
      await res.arrayBuffer();
    }
  }),
);
const apiMs = performance.now() - t;

await api.close();
await am.stop();
hook.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(
  `alerting bench: ${N} alerts in ${groupCount} groups, ${TEAMS} routes; ${cpus()[0]?.model ?? '?'} ×${cpus().length}, Node ${process.version}`,
);
console.log('| phase | figure |');
console.log('| --- | --- |');
console.log(
  `| route + group (store.put, batches of ${BATCH}) | ${fmt((N / routeMs) * 1000)} alerts/s (${fmt(routeMs)} ms) |`,
);
console.log(
  `| heap of ${N} alerts: objects, store, groups | ${fmt(heapAfter - heapBefore, 1)} MB (${fmt(((heapAfter - heapBefore) * 2 ** 20) / N)} B/alert) |`,
);
console.log(
  `| API v2 re-send (POST /api/v2/alerts, ${BATCH}/request, 4 concurrent) | ${fmt((N / apiMs) * 1000)} alerts/s (${fmt(apiMs)} ms) |`,
);
console.log(
  `| notify: ${groupCount} groups due within ${fmt(routeMs)} ms | ${fmt((groupCount / burstMs) * 1000)} notifications/s (${fmt(burstMs)} ms from the first due to the last arrival) |`,
);
console.log(
  `| notify latency, due → webhook p50 / p99 / max | ${fmt(pct(0.5))} / ${fmt(pct(0.99))} / ${fmt(latencies.at(-1)!)} ms |`,
);
console.log(
  `| repeat flush of ${groupCount} groups, nothing new (nflog dedup) | ${fmt((cpu.user + cpu.system) / 1000)} ms CPU over ${fmt(repeatWall)} ms, ${extra} sent |`,
);
