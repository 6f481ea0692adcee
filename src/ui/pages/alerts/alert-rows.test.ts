/**
 * @module
 * Unit tests for the Alerts tab's rows and their Alertmanager copies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GettableAlert } from '../../api/responseTypes/alertmanager';
import type { AlertingRule, RuleAlert, RuleGroup } from '../../api/responseTypes/rules';
import { activeAlerts, alertsFromElsewhere, findHeldAlert } from './alert-rows';

function alert(name: string, state: RuleAlert['state']): RuleAlert {
  return { labels: { alertname: name }, annotations: {}, state, value: '1' };
}

function rule(name: string, alerts: RuleAlert[]): AlertingRule {
  return {
    type: 'alerting',
    name,
    query: 'vector(1)',
    health: 'ok',
    evaluationTime: 0,
    lastEvaluation: '2026-01-01T00:00:00Z',
    state: alerts[0]?.state ?? 'inactive',
    duration: 0,
    annotations: {},
    alerts,
  };
}

test('pending and firing alerts, firing first, rule order kept', () => {
  const groups: RuleGroup[] = [
    {
      name: 'g',
      file: 'r.yml',
      interval: 1,
      evaluationTime: 0,
      lastEvaluation: '2026-01-01T00:00:00Z',
      rules: [
        rule('A', [alert('A', 'pending')]),
        rule('B', [alert('B', 'firing')]),
        rule('C', [alert('C', 'inactive')]),
        {
          type: 'recording',
          name: 'r',
          query: 'up',
          health: 'ok',
          evaluationTime: 0,
          lastEvaluation: '2026-01-01T00:00:00Z',
        },
        rule('D', [alert('D', 'firing')]),
      ],
    },
  ];
  assert.deepEqual(
    activeAlerts(groups).map((r) => `${r.rule}:${r.alert.state}`),
    ['B:firing', 'D:firing', 'A:pending'],
  );
});

test('the Alertmanager copy carries extra labels', () => {
  const held = (labels: Record<string, string>, id: string) =>
    ({ labels, fingerprint: id }) as unknown as GettableAlert;
  const am = [
    held({ alertname: 'Down', job: 'y', region: 'eu' }, 'other'),
    held({ alertname: 'Down', job: 'x', region: 'eu' }, 'mine'),
  ];
  assert.equal(findHeldAlert(am, { alertname: 'Down', job: 'x' })?.fingerprint, 'mine');
  assert.equal(findHeldAlert(am, { alertname: 'Up' }), undefined);
});

test('alerts from other senders are those no rule alert accounts for', () => {
  const held = (labels: Record<string, string>) => ({ labels }) as unknown as GettableAlert;
  const am = [held({ alertname: 'A', region: 'eu' }), held({ alertname: 'External' })];
  const rows = [{ rule: 'A', group: 'g', alert: alert('A', 'firing') }];
  assert.deepEqual(
    alertsFromElsewhere(am, rows).map((a) => a.labels.alertname),
    ['External'],
  );
});
