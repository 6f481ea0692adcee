/**
 * @module
 * Unit tests for the Explore page's URL state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  autoStepMs,
  formatExploreSearch,
  newPanel,
  parseEndInput,
  parseExploreSearch,
  type ExplorePanel,
} from './explore-url';

test('an empty URL gives one empty panel', () => {
  assert.deepEqual(parseExploreSearch(''), [newPanel()]);
});

test('reads Prometheus links, including the old numeric tab and stacked flag', () => {
  const [panel, ...rest] = parseExploreSearch(
    '?g0.expr=rate(up%5B5m%5D)&g0.tab=1&g0.range_input=6h&g0.end_input=2025-11-30%2006%3A41%3A02&g0.step_input=30&g0.stacked=1',
  );
  assert.equal(rest.length, 0);
  assert.deepEqual(panel, {
    expr: 'rate(up[5m])',
    tab: 'table',
    rangeMs: 6 * 3_600_000,
    endMs: Date.UTC(2025, 10, 30, 6, 41, 2),
    stepMs: 30_000,
    mode: 'stacked',
    resolution: 'auto',
  });
});

test('panels stop at the first gap, bad values fall back to defaults', () => {
  const panels = parseExploreSearch('?g0.expr=a&g0.range_input=bogus&g1.expr=b&g3.expr=d');
  assert.deepEqual(
    panels.map((p) => [p.expr, p.rangeMs]),
    [
      ['a', 3_600_000],
      ['b', 3_600_000],
    ],
  );
});

test('write then read gives the same panels', () => {
  const panels: ExplorePanel[] = [
    { ...newPanel('sum by (job) (up)'), tab: 'table', endMs: Date.UTC(2026, 0, 2, 3, 4, 5) },
    { ...newPanel('up == 0'), rangeMs: 90_000, stepMs: 500, mode: 'stacked', resolution: 'high' },
  ];
  assert.deepEqual(parseExploreSearch(formatExploreSearch(panels)), panels);
});

test('the auto step targets the resolution and never drops below a second', () => {
  assert.equal(autoStepMs(3_600_000, 'auto'), 15_000);
  assert.equal(autoStepMs(3_600_000, 'high'), 4_000);
  assert.equal(autoStepMs(60_000, 'auto'), 1_000);
});

test('end times in Prometheus, RFC 3339 and epoch form', () => {
  assert.equal(parseEndInput('2025-11-30 06:41:02'), Date.UTC(2025, 10, 30, 6, 41, 2));
  assert.equal(parseEndInput('2025-11-30T06:41:02+01:00'), Date.UTC(2025, 10, 30, 5, 41, 2));
  assert.equal(parseEndInput('1764484862'), 1_764_484_862_000);
  assert.equal(parseEndInput('yesterday'), undefined);
});
