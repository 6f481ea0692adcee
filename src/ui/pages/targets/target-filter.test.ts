/**
 * @module
 * Unit tests for the Targets page's grouping and filtering.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActiveTarget } from '../../api/responseTypes/targets';
import { discoveryPools, groupTargets, parseHealthFilter } from './target-filter';

function target(pool: string, instance: string, health: ActiveTarget['health'], lastError = '') {
  return {
    discoveredLabels: { __address__: instance, job: pool },
    labels: { instance, job: pool },
    scrapePool: pool,
    scrapeUrl: `http://${instance}/metrics`,
    globalUrl: `http://${instance}/metrics`,
    lastError,
    lastScrape: '2026-01-01T00:00:00Z',
    lastScrapeDuration: 0.01,
    health,
    scrapeInterval: '15s',
    scrapeTimeout: '10s',
  } satisfies ActiveTarget;
}

const TARGETS = [
  target('vigil', 'a:1', 'up'),
  target('node', 'b:1', 'up'),
  target('vigil', 'c:1', 'down', 'connect ECONNREFUSED'),
  target('node', 'd:1', 'unknown'),
];

test('pools keep config order and count all their targets', () => {
  const got = groupTargets(TARGETS, new Set(), '');
  assert.deepEqual(
    got.map((p) => [p.pool, p.targets.length, p.up, p.total]),
    [
      ['vigil', 2, 1, 2],
      ['node', 2, 1, 2],
    ],
  );
});

test('health filter drops pools left empty', () => {
  const got = groupTargets(TARGETS, parseHealthFilter('down'), '');
  assert.deepEqual(
    got.map((p) => [p.pool, p.targets.map((t) => t.labels.instance)]),
    [['vigil', ['c:1']]],
  );
});

test('search matches labels, URL and error text', () => {
  const one = (q: string) =>
    groupTargets(TARGETS, new Set(), q).flatMap((p) => p.targets.map((t) => t.labels.instance));
  assert.deepEqual(one('econnrefused'), ['c:1']);
  assert.deepEqual(one('instance="b:1"'), ['b:1']);
  assert.deepEqual(one('http://d:1'), ['d:1']);
});

test('the health parameter ignores unknown words', () => {
  assert.deepEqual([...parseHealthFilter('down,bogus,up')], ['down', 'up']);
  assert.equal(parseHealthFilter(null).size, 0);
});

test('discovery pairs discovered labels with relabeled ones, dropped ones by job', () => {
  const got = discoveryPools(
    [target('vigil', 'a:1', 'up')],
    [{ discoveredLabels: { __address__: 'x:1', job: 'vigil' } }, { discoveredLabels: {} }],
  );
  assert.deepEqual(
    got.map((p) => [p.pool, p.active, p.dropped, p.entries.map((e) => e.labels === null)]),
    [
      ['vigil', 1, 1, [false, true]],
      ['(unknown pool)', 0, 1, [true]],
    ],
  );
});
