import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './runner.js';
import { ScriptError, parseScript } from './script.js';
import { expandValues, parseSeriesDesc } from './series-desc.js';

test('value sequences expand like promtool', () => {
  const f = (text: string, want: (number | 'stale' | null)[]) =>
    assert.deepEqual(expandValues(text), want);
  f('1 2 3', [1, 2, 3]);
  f('1+2x3', [1, 3, 5, 7]);
  f('10-1x2', [10, 9, 8]);
  f('-1-1x1', [-1, -2]);
  f('5x2', [5, 5, 5]);
  f('_ _x2 stale', [null, null, null, 'stale']);
  f('Inf -Inf', [Infinity, -Infinity]);
  f('0.1+0.1x2', [0.1, 0.2, 0.30000000000000004]);
  assert.ok(Number.isNaN(expandValues('NaN')[0]));
  assert.throws(() => expandValues('1+x'), /cannot parse series value "1\+x"/);
});

test('series descriptions carry labels and values', () => {
  const s = parseSeriesDesc('up{job="a b", x="}"} 1 _');
  assert.equal(s.labels.toString(), '{__name__="up", job="a b", x="}"}');
  assert.deepEqual(s.values, [1, null]);
  assert.equal(parseSeriesDesc('{} 3').labels.isEmpty(), true);
});

test('scripts parse into commands with their expectations', () => {
  const cmds = parseScript(`
# comment
load 30s
    m 1 2

eval instant at 1m m
    expect ordered
    m 2

eval_fail range from 0 to 1m step 30s m +
    expected_fail_regexp parse error

clear
`);
  assert.deepEqual(
    cmds.map((c) => c.type),
    ['load', 'eval', 'eval', 'clear'],
  );
  const [load, inst, range] = cmds;
  assert.equal(load!.type === 'load' && load.interval, 30_000);
  assert.ok(inst!.type === 'eval' && inst.start === 60_000 && inst.expects[0]!.kind === 'ordered');
  assert.ok(range!.type === 'eval' && range.step === 30_000 && range.expects.length === 2);
  assert.throws(() => parseScript('bogus'), ScriptError);
  assert.throws(() => parseScript('eval instant at 0 m\n  m 1 2'), /expect range vector/);
});

test('the runner reports mismatches with their line', async () => {
  const { evals, failures } = await runScript(`
load 1m
    m{a="1"} 1 2 stale

eval instant at 1m m
    m{a="1"} 3

eval instant at 2m m

eval instant at 1m m +
`);
  assert.equal(evals, 3);
  assert.deepEqual(
    failures.map((f) => [f.line, f.message]),
    [
      [5, '{__name__="m", a="1"}: expected 3, got 2'],
      [10, 'unexpected error: 1:4: parse error: unexpected end of input'],
    ],
  );
});
