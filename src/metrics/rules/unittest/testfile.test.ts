import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/errors.js';
import { parseRuleTestFile } from './testfile.js';

test('defaults: evaluation_interval 1m, and each group interval follows it', () => {
  const f = parseRuleTestFile(
    'evaluation_interval: 30s\ntests:\n  - name: a\n  - interval: 2m\n',
    't.yml',
  );
  assert.equal(f.evaluationInterval, 30_000);
  assert.deepEqual(
    f.tests.map((t) => t.interval),
    [30_000, 120_000],
  );
  assert.equal(parseRuleTestFile('tests: []\n', 't.yml').evaluationInterval, 60_000);
  const zero = parseRuleTestFile('evaluation_interval: 0s\ntests: [{interval: 0s}]\n', 't.yml');
  assert.equal(zero.evaluationInterval, 60_000);
  assert.equal(zero.tests[0]!.interval, 60_000);
});

test('values read as promtool reads them', () => {
  const f = parseRuleTestFile(
    [
      'tests:',
      '  - promql_expr_test:',
      '      - expr: up',
      '        eval_time: 1m30s',
      '        exp_samples: [{labels: up, value: 1.5}, {value: "+Inf"}, {value: NaN}]',
    ].join('\n'),
    't.yml',
  );
  const p = f.tests[0]!.promqlTests[0]!;
  assert.equal(p.evalTime, 90_000);
  assert.deepEqual(
    p.expSamples.map((s) => s.value),
    [1.5, Infinity, NaN],
  );
});

test('an unknown key or a bad duration is reported at its line and key', () => {
  assert.throws(
    () => parseRuleTestFile('tests:\n  - interval: 1m\n    bogus: 1\n', 't.yml'),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.message === 't.yml:3:5: tests[0].bogus: field bogus not found in type',
  );
  assert.throws(
    () => parseRuleTestFile('tests:\n  - alert_rule_test:\n      - eval_time: 5x\n', 't.yml'),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.message ===
        't.yml:3:9: tests[0].alert_rule_test[0].eval_time: not a valid duration string: "5x"',
  );
});
