import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from '../../../lib/instrument/index.js';
import { registerAgentMetrics } from '../metrics.js';
import type { AgentRecord } from '../stage.js';
import { FilterChain } from './chain.js';
import { getPath, removePath, setPath, type Doc } from './field-path.js';
import { KqlDropFilter } from './kql-drop.js';
import { globRegExp, MatchFilter } from './match.js';
import { addFilter, removeFilter, renameFilter } from './modify.js';
import type { RecordFilter } from './record-filter.js';

test('dotted paths find nested and dotted keys; set makes objects; remove prunes empty ones', () => {
  const doc: Doc = { kubernetes: { pod: { name: 'web-0' } }, 'http.status': 200, a: 'x' };
  assert.equal(getPath(doc, 'kubernetes.pod.name'), 'web-0');
  assert.equal(getPath(doc, 'http.status'), 200);
  assert.equal(getPath(doc, 'kubernetes.pod.uid'), undefined);
  assert.equal(getPath(doc, 'a.b'), undefined);
  setPath(doc, 'cluster.name', 'eu-1');
  setPath(doc, 'kubernetes.pod.uid', 'u1');
  setPath(doc, 'a.b', 1); // `a` holds text: not replaced, a dotted key instead
  assert.deepEqual(doc, {
    kubernetes: { pod: { name: 'web-0', uid: 'u1' } },
    'http.status': 200,
    a: 'x',
    'a.b': 1,
    cluster: { name: 'eu-1' },
  });
  assert.equal(removePath(doc, 'kubernetes.pod.name'), 'web-0');
  assert.equal(removePath(doc, 'kubernetes.pod.uid'), 'u1');
  assert.equal(removePath(doc, 'nope.x'), undefined);
  assert.deepEqual(doc, { 'http.status': 200, a: 'x', 'a.b': 1, cluster: { name: 'eu-1' } });
});

test('globRegExp matches the whole value, * any text and ? one character', () => {
  const re = globRegExp('kube-*.io?');
  assert.ok(re.test('kube-system.io1'));
  assert.ok(re.test('kube-.io\n'));
  assert.ok(!re.test('kube-system.io'));
  assert.ok(!re.test('xkube-a.io1'));
  assert.ok(!re.test('kube-aXio1'), 'a dot is literal');
});

const docs = (): Doc[] => [
  { message: 'GET /healthz 200', level: 'info', kubernetes: { namespace: 'prod-a' } },
  { message: 'boom', level: 'error', status: 503, kubernetes: { namespace: 'prod-b' } },
  { message: 'debugging', level: 'debug', kubernetes: { namespace: 'dev' }, tags: ['x', 'y'] },
  { message: 'no namespace', level: 'warn' },
];

function run(
  filter: RecordFilter,
  input = docs(),
): { kept: Doc[]; changed: number[]; dropped: number } {
  const alive = new Uint8Array(input.length).fill(1);
  const changed = new Uint8Array(input.length);
  const dropped = filter.apply(input, alive, changed, Date.now());
  return {
    kept: input.filter((_, i) => alive[i] === 1),
    changed: [...changed.keys()].filter((i) => changed[i] === 1),
    dropped,
  };
}

const messages = (r: { kept: Doc[] }) => r.kept.map((d) => d.message);

test('include keeps matching records only; exclude drops them; a missing field does not match', () => {
  const prod = globRegExp('prod-*');
  const inc = run(new MatchFilter('f', 'include', 'kubernetes.namespace', prod));
  assert.deepEqual(messages(inc), ['GET /healthz 200', 'boom']);
  assert.equal(inc.dropped, 2);
  const exc = run(new MatchFilter('f', 'exclude', 'kubernetes.namespace', prod));
  assert.deepEqual(messages(exc), ['debugging', 'no namespace']);
  // Regexes are found anywhere; numbers and lists are matched by their values.
  assert.deepEqual(messages(run(new MatchFilter('f', 'include', 'status', /^5\d\d$/))), ['boom']);
  assert.deepEqual(messages(run(new MatchFilter('f', 'exclude', 'tags', /y/))), [
    'GET /healthz 200',
    'boom',
    'no namespace',
  ]);
});

test('drop by KQL uses the search language: phrases, ranges, wildcards, booleans', () => {
  const f = (q: string) => messages(run(new KqlDropFilter('q', q)));
  assert.deepEqual(f('message:"GET /healthz"'), ['boom', 'debugging', 'no namespace']);
  assert.deepEqual(f('level:debug or status >= 500'), ['GET /healthz 200', 'no namespace']);
  assert.deepEqual(f('kubernetes.namespace:prod-*'), ['debugging', 'no namespace']);
  assert.deepEqual(f('not kubernetes.namespace:*'), ['GET /healthz 200', 'boom', 'debugging']);
  assert.deepEqual(f('tags:y and level:debug'), ['GET /healthz 200', 'boom', 'no namespace']);
});

test('add, rename and remove change fields and mark what they changed', () => {
  const add = run(addFilter('a', { 'cluster.name': 'eu-1', level: 'x' }, false));
  assert.deepEqual(add.kept[0], { ...docs()[0], cluster: { name: 'eu-1' } });
  assert.deepEqual(add.changed, [0, 1, 2, 3]);
  assert.equal(run(addFilter('a', { level: 'x' }, true)).kept[3]!.level, 'x');
  assert.deepEqual(run(addFilter('a', { level: 'x' }, false)).changed, []);
  const ren = run(renameFilter('r', { level: 'log.level', 'kubernetes.namespace': 'ns' }));
  assert.deepEqual(ren.kept[1], {
    message: 'boom',
    status: 503,
    log: { level: 'error' },
    ns: 'prod-b',
  });
  assert.deepEqual(ren.kept[3], { message: 'no namespace', log: { level: 'warn' } });
  const rem = run(removeFilter('x', ['status', 'tags']));
  assert.deepEqual(rem.changed, [1, 2]);
  assert.equal('status' in rem.kept[1]!, false);
});

test('a chain runs filters in order, counts drops per filter, and re-serializes only changed records', () => {
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const records: AgentRecord[] = docs().map((d, i) => ({ id: `id${i}`, json: JSON.stringify(d) }));
  // Renaming first makes the later filters see the new name.
  const chain = new FilterChain(
    [
      renameFilter('ren', { 'kubernetes.namespace': 'ns' }),
      new KqlDropFilter('no-debug', 'level:debug'),
      new MatchFilter('prod', 'include', 'ns', globRegExp('prod-*')),
      new KqlDropFilter('never', 'level:nothing'),
    ],
    metrics.recordsDropped,
  );
  const out = chain.apply(records);
  assert.deepEqual(
    out.map((r) => [r.id, JSON.parse(r.json)]),
    [
      ['id0', { message: 'GET /healthz 200', level: 'info', ns: 'prod-a' }],
      ['id1', { message: 'boom', level: 'error', status: 503, ns: 'prod-b' }],
    ],
  );
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_dropped_total\{filter="no-debug"\} 1\n/);
  assert.match(text, /vigil_agent_records_dropped_total\{filter="prod"\} 1\n/);
  assert.match(text, /vigil_agent_records_dropped_total\{filter="never"\} 0\n/);
  // Nothing changed: the records pass as they came, text included.
  const same = new FilterChain([new KqlDropFilter('d', 'level:debug')], metrics.recordsDropped);
  assert.equal(same.apply(records)[0], records[0]);
});
