import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../lib/clock/clock.js';
import { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import { Engine } from '../promql/engine.js';
import { Tsdb } from '../tsdb/db.js';
import type { Alert } from './alerting.js';
import { parseRuleFile } from './file.js';
import { RuleManager } from './manager.js';
import { engineQueryFn } from './query.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const engine = new Engine();

function open(t: TestContext, dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'))) {
  const db = Tsdb.open(dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { db, dir };
}

async function put(db: Tsdb, labels: Record<string, string>, t: number, v: number) {
  const app = db.appender();
  app.append(0, Labels.fromRecord(labels), t, v);
  await app.commit();
}

async function instant(db: Tsdb, expr: string, t: number): Promise<string[]> {
  const r = await engine.instantQuery(db, expr, t);
  assert.equal(r.resultType, 'vector');
  return r.result.map((s) => `${s.labels.toString()} ${s.v}`);
}

function manager(db: Tsdb, clock: ManualClock, sent: Alert[][] = []) {
  return new RuleManager({
    query: engineQueryFn(engine, db),
    queryable: db,
    appendable: db,
    clock,
    log: new Logger({ level: 'error', write: () => {} }),
    notify: (alerts) => sent.push(alerts),
  });
}

const RULES = `
groups:
  - name: g
    interval: 10s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - record: job:up:sum_plus_one
        expr: job:up:sum + 1
      - alert: Down
        expr: up == 0
        for: 30s
        keep_firing_for: 20s
        labels: { severity: 'page-{{ $labels.job }}' }
        annotations: { summary: '{{ $labels.instance }} is down ({{ $value }})' }
`;

test('recording rules append, alerts go pending, firing, keep firing, resolve; ALERTS written', async (t) => {
  const { db } = open(t);
  const clock = new ManualClock(T0);
  const sent: Alert[][] = [];
  const m = manager(db, clock, sent);
  const groups = parseRuleFile(RULES, 'rules.yml');
  await m.update({
    groups,
    evaluationInterval: 60_000,
    context: { externalLabels: {}, externalURL: 'http://x' },
  });
  const g = m.groups[0]!;
  const rule = g.rules[2]!;
  assert.equal(rule.kind, 'alerting');
  const up = { __name__: 'up', job: 'api', instance: 'a:1' };
  const first = g.evalTimestamp(T0) + 10_000;
  // The value is 0 (down) from the first evaluation to the seventh, then 1.
  for (let i = 0; i < 12; i++) await put(db, up, first + i * 10_000 - 1, i < 7 ? 0 : 1);
  const states: string[] = [];
  for (let i = 0; i < 12; i++) {
    await clock.advance(first + i * 10_000 - clock.now());
    const a = rule.kind === 'alerting' ? [...rule.active.values()][0] : undefined;
    states.push(a?.state ?? 'none');
  }
  await m.stop();
  // 0s, 10s, 20s pending; 30s fires; up again at 70s keeps firing for 20s, then resolves.
  assert.deepEqual(states, [
    'pending',
    'pending',
    'pending',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'firing',
    'inactive',
    'inactive',
    'inactive',
  ]);
  assert.deepEqual(await instant(db, 'job:up:sum', first + 6 * 10_000), [
    '{__name__="job:up:sum", job="api"} 0',
  ]);
  assert.deepEqual(await instant(db, 'ALERTS', first + 3 * 10_000), [
    '{__name__="ALERTS", alertname="Down", alertstate="firing", instance="a:1", job="api", severity="page-api"} 1',
  ]);
  assert.deepEqual(await instant(db, 'ALERTS_FOR_STATE', first + 10_000), [
    `{__name__="ALERTS_FOR_STATE", alertname="Down", instance="a:1", job="api", severity="page-api"} ${Math.floor(first / 1000)}`,
  ]);
  // Resolved: ALERTS is marked stale at once rather than lingering for the lookback window.
  assert.deepEqual(await instant(db, 'ALERTS', first + 10 * 10_000), []);
  const flat = sent.flat();
  assert.equal(flat[0]!.annotations['summary'], 'a:1 is down (0)');
  assert.equal(flat[0]!.state, 'firing');
  assert.equal(flat.at(-1)!.state, 'inactive');
  await db.close();
});

test('for state is restored from ALERTS_FOR_STATE after a restart', async (t) => {
  const { db, dir } = open(t);
  const file =
    'groups:\n- name: g\n  interval: 1m\n  rules:\n  - alert: Slow\n    expr: up == 0\n    for: 30m\n';
  const groups = parseRuleFile(file, 'r.yml');
  const up = { __name__: 'up', job: 'api' };
  const clock = new ManualClock(T0);
  const m = manager(db, clock);
  await m.update({
    groups,
    evaluationInterval: 60_000,
    context: { externalLabels: {}, externalURL: '' },
  });
  const first = m.groups[0]!.evalTimestamp(T0) + 60_000;
  for (let i = 0; i < 40; i++) await put(db, up, first + i * 60_000 - 1, 0);
  // Runs 20 minutes: the first evaluation restores nothing and writes nothing, then 20 more.
  await clock.advance(first + 20 * 60_000 - clock.now());
  await m.stop();
  await db.close();

  // Down for 5 minutes, then up again: 20 of 30 minutes are done, so it fires 10 minutes later.
  const db2 = Tsdb.open(dir);
  const clock2 = new ManualClock(first + 25 * 60_000 + 1);
  const m2 = manager(db2, clock2);
  await m2.update({
    groups,
    evaluationInterval: 60_000,
    context: { externalLabels: {}, externalURL: '' },
  });
  const rule = m2.groups[0]!.rules[0]!;
  const states: string[] = [];
  for (let i = 26; i < 38; i++) {
    await clock2.advance(first + i * 60_000 - clock2.now());
    states.push(rule.kind === 'alerting' ? [...rule.active.values()][0]!.state : '');
  }
  await m2.stop();
  await db2.close();
  // Restored at 26m: active since 1m (first eval's time 0) + 6m of downtime; fires at 36m.
  assert.deepEqual(states, [...Array<string>(10).fill('pending'), 'firing', 'firing']);
});
