import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format } from './parser/printer.js';
import { parseExpr } from './parser/parse.js';
import { selectorRanges, stepInvariantNodes, type AtResolver } from './preprocess.js';

const at: AtResolver = (a) => (a === 'start' ? 0 : a === 'end' ? 1_000_000 : a);

test('selector ranges cover lookback, range, offset, @ and subqueries', () => {
  const f = (q: string, want: [number, number]) => {
    const { overall } = selectorRanges(parseExpr(q), 600_000, 900_000, 300_000, at);
    assert.deepEqual([overall.start, overall.end], want, q);
  };
  f('x', [300_001, 900_000]);
  f('rate(x[1m])', [540_001, 900_000]);
  f('x offset 1m', [240_001, 840_000]);
  f('x @ 100', [-199_999, 100_000]);
  f('max_over_time(x[10m:1m] offset 1m)', [-359_999, 840_000]);
  f('max_over_time(x[10m:1m] @ 700)', [-199_999, 700_000]);
  f('1 + 2', [0, 0]);
});

test('step-invariant subtrees are the ones pinned by @ without time-dependent functions', () => {
  const f = (q: string, want: string[]) => {
    const nodes = [...stepInvariantNodes(parseExpr(q))].map(format).sort();
    assert.deepEqual(nodes, want, q);
  };
  f('x', []);
  f('x @ 100', ['x @ 100.000']);
  f('x @ 100 + y', ['x @ 100.000']);
  f('rate(x[5m] @ 100)', ['rate(x[5m] @ 100.000)']);
  f('timestamp(x @ 100)', ['x @ 100.000']);
  f('predict_linear(x[5m] @ 100, 60)', []);
  f('max_over_time((x @ 10)[5m:1m])', ['(x @ 10.000)']);
  f('sum(x @ 10) * 2', ['sum(x @ 10.000) * 2']);
});
