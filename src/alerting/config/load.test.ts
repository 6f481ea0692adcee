import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../config/errors.js';
import { parseAlertmanagerConfig } from './load.js';

const RECEIVERS = 'receivers:\n  - name: a\n  - name: b\n';

function errors(text: string): string[] {
  try {
    parseAlertmanagerConfig(text, 'am.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}

test('problems are reported with file, line, column and key', () => {
  assert.deepEqual(errors(`route:\n  receiver: a\n  routes:\n    - receiver: nope\n${RECEIVERS}`), [
    'am.yml:4:7: route.routes[0].receiver: undefined receiver "nope" used in route',
  ]);
  assert.deepEqual(errors(`route:\n  receiver: a\n  group_wiat: 1s\n${RECEIVERS}`), [
    'am.yml:3:3: route.group_wiat: unknown key "group_wiat" (did you mean "group_wait"?)',
  ]);
  assert.deepEqual(
    errors(`route:\n  receiver: a\n  routes:\n    - matchers: ['a=~"("']\n${RECEIVERS}`),
    ['am.yml:4:18: route.routes[0].matchers[0]: cannot compile regular expression "("'],
  );
  assert.deepEqual(errors(`route:\n  receiver: a\n  group_by: [a, '...']\n${RECEIVERS}`), [
    'am.yml:3:3: route.group_by: cannot have wildcard group_by (`...`) and other labels at the same time',
  ]);
  assert.deepEqual(errors(`route:\n  receiver: a\n  matchers: [x=y]\n${RECEIVERS}`), [
    'am.yml:1:1: route: root route must not have any matchers',
  ]);
  assert.deepEqual(
    errors(`route:\n  receiver: a\nreceivers:\n  - name: a\n    pagerduty_configs: [{}]\n`),
    [
      'am.yml:5:5: receivers[0].pagerduty_configs: pagerduty_configs are not supported by Vigil (supported: webhook_configs, email_configs, slack_configs)',
    ],
  );
  assert.deepEqual(
    errors(
      `route:\n  receiver: a\n  routes:\n    - receiver: b\n      mute_time_intervals: [x]\n${RECEIVERS}`,
    ),
    [
      'am.yml:5:29: route.routes[0].mute_time_intervals[0]: undefined time interval "x" used in route',
    ],
  );
  assert.deepEqual(errors(`global:\n  resolve_timeout: 5x\nroute:\n  receiver: a\n${RECEIVERS}`), [
    'am.yml:2:3: global.resolve_timeout: invalid duration "5x"',
  ]);
});

test('legacy match and match_re join matchers, sorted; settings default as upstream', () => {
  const c = parseAlertmanagerConfig(
    `route:
  receiver: a
  routes:
    - receiver: b
      match: {team: db}
      match_re: {severity: 'crit.*'}
      matchers: ['env!="dev"']
${RECEIVERS}`,
    'am.yml',
  );
  assert.deepEqual(c.route.routes[0]!.matchers.map(String), [
    'env!="dev"',
    'severity=~"crit.*"',
    'team="db"',
  ]);
  assert.equal(c.global.resolve_timeout, 5 * 60_000);
  assert.equal(c.global.smtp_require_tls, true);
});

test('time intervals read names, ranges and locations', () => {
  const c = parseAlertmanagerConfig(
    `route: {receiver: a}
${RECEIVERS}time_intervals:
  - name: office
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:00'}]
        weekdays: ['monday:friday']
        days_of_month: ['1:5', '-3:-1']
        months: ['january:march', '12']
        years: ['2024']
        location: Europe/Berlin
`,
    'am.yml',
  );
  const p = c.time_intervals[0]!.time_intervals[0]!;
  assert.deepEqual(p.times, [{ start: 540, end: 1020 }]);
  assert.deepEqual(p.weekdays, [{ begin: 1, end: 5 }]);
  assert.deepEqual(p.daysOfMonth, [
    { begin: 1, end: 5 },
    { begin: -3, end: -1 },
  ]);
  assert.deepEqual(p.months, [
    { begin: 1, end: 3 },
    { begin: 12, end: 12 },
  ]);
  assert.equal(p.location, 'Europe/Berlin');
});
