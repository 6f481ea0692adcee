/**
 * @module
 * Vigil and Debian's Prometheus 2.42 scrape the same target every second and evaluate the same
 * rule file every second. The target's values change in two phases; the test polls both
 * servers' `/api/v1/alerts` and requires each alert to go through the same states in the same
 * order, with the same labels and rendered annotations; recording rules must produce the same
 * series with the same values, `ALERTS`/`ALERTS_FOR_STATE` the same label sets, and
 * `/api/v1/rules` the same groups and rules apart from times.
 *
 * The two servers evaluate at different offsets within the second and scrape at different
 * moments, so states are compared as sequences, not at wall-clock instants; the phases last
 * several intervals more than any `for` so both servers see every state on a loaded machine.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAVE_PROMETHEUS, startPrometheus } from '../harness/prometheus.js';
import { startVigil, tempDir } from '../harness/vigil.js';

const RULES = `
groups:
  - name: demo
    interval: 1s
    rules:
      - record: instance:demo_load:double
        expr: demo_load * 2
        labels: { recorded: 'yes' }
      - record: demo:up:count
        expr: count by (job) (demo_up)
      - alert: Down
        expr: demo_up == 0
        for: 3s
        labels: { severity: 'page-{{ $labels.instance }}' }
        annotations:
          summary: '{{ $labels.instance }} of {{ $labels.job }} is down'
          value: '{{ $value }} {{ humanize 1234567 }} {{ printf "%.2f" $value }}'
          query: '{{ with query "count(demo_up)" }}{{ . | first | value }}{{ end }} {{ range query "demo_up" }}{{ .Labels.instance }}={{ .Value }} {{ end }}'
      - alert: Loaded
        expr: demo_load > 3
        annotations:
          text: '{{ if gt $value 4.0 }}high{{ else }}medium{{ end }}: {{ humanizePercentage 0.256 }}'
      - alert: Flapping
        expr: demo_up == 0
        keep_firing_for: 3s
`;

interface Phase {
  up: Record<string, number>;
  load: number;
}

function exposition(p: Phase): string {
  let s = '# TYPE demo_up gauge\n';
  for (const [inst, v] of Object.entries(p.up)) s += `demo_up{instance="${inst}"} ${v}\n`;
  return `${s}# TYPE demo_load gauge\ndemo_load{instance="a"} ${p.load}\n`;
}

interface AlertJson {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  value: string;
}

async function alerts(url: string): Promise<AlertJson[]> {
  const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
    data: { alerts: AlertJson[] };
  };
  return body.data.alerts;
}

async function instant(url: string, q: string, time: number) {
  const body = (await (
    await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${time}`)
  ).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result.map((s) => `${JSON.stringify(s.metric)} ${s.value[1]}`).sort();
}

async function seriesOf(url: string, match: string, start: number, end: number) {
  const body = (await (
    await fetch(
      `${url}/api/v1/series?match[]=${encodeURIComponent(match)}&start=${start}&end=${end}`,
    )
  ).json()) as { data: Record<string, string>[] };
  return body.data.map((m) => JSON.stringify(m)).sort();
}

/** Appends `state` to the alert's history unless it is already the last entry. */
function record(history: Map<string, string[]>, key: string, state: string) {
  const h = history.get(key) ?? [];
  if (h.at(-1) !== state) h.push(state);
  history.set(key, h);
}

test(
  'rules evaluate as in Prometheus: alert states, annotations, recorded series',
  { skip: !HAVE_PROMETHEUS && 'Debian prometheus is not installed', timeout: 90_000 },
  async (t) => {
    let phase: Phase = { up: { a: 1, b: 0 }, load: 4.5 };
    const target = createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(exposition(phase));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => target.close(() => r())));
    const port = (target.address() as { port: number }).port;
    const dir = tempDir(t, 'vigil-rules-e2e-');
    const rulesFile = join(dir, 'rules.yml');
    writeFileSync(rulesFile, RULES);
    const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ['${rulesFile}']\nscrape_configs:\n  - job_name: demo\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`;
    const [vigil, prom] = await Promise.all([
      startVigil(t, { config: `server:\n  builtin_scrape_jobs: false\n${config}` }),
      startPrometheus(t, () => config),
    ]);
    const servers = { vigil: vigil.url, prometheus: prom.url };
    const history = { vigil: new Map<string, string[]>(), prometheus: new Map<string, string[]>() };
    const rendered = { vigil: new Map<string, string>(), prometheus: new Map<string, string>() };
    const observe = async () => {
      for (const name of ['vigil', 'prometheus'] as const) {
        const seen = new Set<string>();
        for (const a of await alerts(servers[name])) {
          const key = JSON.stringify(Object.entries(a.labels).sort());
          seen.add(key);
          record(history[name], key, a.state);
          rendered[name].set(
            `${key} ${a.state}`,
            JSON.stringify(Object.entries(a.annotations).sort()),
          );
        }
        for (const key of history[name].keys())
          if (!seen.has(key)) record(history[name], key, 'gone');
      }
    };
    const watch = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        await observe();
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    // Phase 1: b is down, load is high: Down goes pending then firing, Loaded fires at once.
    await watch(9_000);
    const mid = Date.now() / 1000 - 2;
    // Phase 2: b is back and load drops: Down resolves, Flapping keeps firing 3s, Loaded resolves.
    phase = { up: { a: 1, b: 1 }, load: 1 };
    await watch(9_000);
    const end = Date.now() / 1000;

    assert.deepEqual(
      Object.fromEntries(history.vigil),
      Object.fromEntries(history.prometheus),
      'alert state sequences',
    );
    const states = [...history.vigil.values()].map((h) => h.join('>')).sort();
    assert.deepEqual(states, ['firing>gone', 'firing>gone', 'pending>firing>gone']);
    assert.deepEqual(
      Object.fromEntries(rendered.vigil),
      Object.fromEntries(rendered.prometheus),
      'annotations',
    );

    for (const q of ['instance:demo_load:double', 'demo:up:count']) {
      assert.deepEqual(await instant(vigil.url, q, mid), await instant(prom.url, q, mid), q);
      assert.deepEqual(
        await instant(vigil.url, q, end - 1),
        await instant(prom.url, q, end - 1),
        q,
      );
    }
    for (const m of ['ALERTS', 'ALERTS_FOR_STATE']) {
      const start = end - 30;
      assert.deepEqual(
        await seriesOf(vigil.url, m, start, end),
        await seriesOf(prom.url, m, start, end),
        m,
      );
    }

    const rules = async (url: string) => {
      const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
        data: { groups: { rules: Record<string, unknown>[] }[] };
      };
      return body.data.groups.map((g) => ({
        ...g,
        file: undefined,
        evaluationTime: undefined,
        lastEvaluation: undefined,
        rules: g.rules.map((r) => ({
          ...r,
          evaluationTime: undefined,
          lastEvaluation: undefined,
          alerts: undefined,
        })),
      }));
    };
    assert.deepEqual(await rules(vigil.url), await rules(prom.url), '/api/v1/rules');
  },
);
