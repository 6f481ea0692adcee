import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../config/errors.js';
import { parseRuleFile } from './file.js';

function bad(text: string, want: string) {
  assert.throws(
    () => parseRuleFile(text, 'r.yml'),
    (err: unknown) => err instanceof ConfigError && err.message.split('\n').includes(want),
  );
}

test('a rule file parses into groups with durations in ms and parsed templates', () => {
  const [g] = parseRuleFile(
    'groups:\n- name: g\n  interval: 30s\n  limit: 5\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 1m\n    keep_firing_for: 2m\n    labels: {sev: "{{ $labels.job }}"}\n    annotations: {s: x}\n  - record: r:up\n    expr: sum(up)\n',
    'r.yml',
  );
  assert.equal(g!.name, 'g');
  assert.equal(g!.interval, 30_000);
  assert.equal(g!.limit, 5);
  const [a, r] = g!.rules;
  assert.equal(a!.alert, 'A');
  assert.equal(a!.for, 60_000);
  assert.equal(a!.keepFiringFor, 120_000);
  assert.ok(a!.labelTemplates.has('sev'));
  assert.equal(r!.record, 'r:up');
  assert.equal(r!.labelTemplates.size, 0);
});

test('every problem of a file is reported at its line and key', () => {
  bad(
    'groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    for: 1m\n',
    'r.yml:6:5: groups[0].rules[0].for: group "g", rule 1, "a": invalid field \'for\' in recording rule',
  );
  bad(
    'groups:\n- name: g\n  evaluation: 1m\n',
    'r.yml:3:3: groups[0].evaluation: field evaluation not found in type rulefmt.RuleGroup',
  );
  bad(
    'groups:\n- name: g\n  interval: 1x\n',
    'r.yml:3:3: groups[0].interval: not a valid duration string: "1x"',
  );
  bad(
    'groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up\n    annotations:\n      s: "{{ if }}"\n',
    'r.yml:7:7: groups[0].rules[0].annotations.s: group "g", rule 1, "a": annotation "s": template: __alert_a:1: missing value for if',
  );
});
