import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLabelValue, escapeTextHelp, renderLabels } from './escape.js';

test('label values escape backslash, double quote and newline', () => {
  const f = (input: string, want: string) => assert.equal(escapeLabelValue(input), want);
  f('plain', 'plain');
  f('', '');
  f('C:\\dir', 'C:\\\\dir');
  f('say "hi"', 'say \\"hi\\"');
  f('a\nb', 'a\\nb');
  f('\\n', '\\\\n');
  f('tab\tand ünïcode', 'tab\tand ünïcode');
});

test('text-format help escapes backslash and newline but not quotes', () => {
  const f = (input: string, want: string) => assert.equal(escapeTextHelp(input), want);
  f('plain', 'plain');
  f('C:\\dir', 'C:\\\\dir');
  f('two\nlines', 'two\\nlines');
  f('say "hi"', 'say "hi"');
});

test('renderLabels puts le last and omits empty braces', () => {
  const f = (labels: [string, string][], le: string | undefined, want: string) =>
    assert.equal(renderLabels(labels, le), want);
  f([], undefined, '');
  f([], '+Inf', '{le="+Inf"}');
  f([['a', 'x']], undefined, '{a="x"}');
  f(
    [
      ['a', 'x'],
      ['b', 'y"z'],
    ],
    '0.5',
    '{a="x",b="y\\"z",le="0.5"}',
  );
});

test('renderLabels caches by array identity without mixing up le', () => {
  const labels: [string, string][] = [['method', 'GET']];
  assert.equal(renderLabels(labels, '1'), '{method="GET",le="1"}');
  assert.equal(renderLabels(labels, undefined), '{method="GET"}');
  assert.equal(renderLabels(labels, '+Inf'), '{method="GET",le="+Inf"}');
});
