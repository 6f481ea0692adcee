/**
 * @module
 * The contract every {@link LogWriter}/{@link LogSearcher} implementation must meet, as one
 * test suite run against each (the local store; the Elasticsearch client): acknowledged writes
 * are searchable, order and `after` paginate without gaps or repeats, time ranges are `[from,
 * to)`, index patterns select, ids are deduplicated, mapping conflicts are kept and the field
 * limit stops indexing, never storing.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Query } from '../query/query.js';
import type { LogSearcher, LogWriter, Position, SearchRequest } from './interface.js';

/** A store under test; `reopen` returns the same data through a fresh instance (or the same one). */
export interface ContractStore extends LogWriter, LogSearcher {
  close(): Promise<void>;
}

/** Creates a store with a field limit of `fieldLimit`; `phase` lets an implementation move data around. */
export interface ContractFactory {
  readonly name: string;
  open(fieldLimit: number): Promise<ContractStore>;
  /** Called after the writes of a case and before its searches (flush, reopen, or nothing). */
  settle(store: ContractStore): Promise<ContractStore>;
}

const ALL: Query = { kind: 'all' };
const T0 = Date.UTC(2024, 4, 6, 7, 0, 0);

interface Hit {
  id: string;
  index: string;
  ms: number;
  ns: number;
  pos: Position;
  source: Record<string, unknown>;
}

async function collect(
  s: LogSearcher,
  req: Partial<SearchRequest>,
  limit = Infinity,
): Promise<Hit[]> {
  const hits: Hit[] = [];
  await s.search({ indices: [], query: ALL, order: 'desc', ...req }, (b) => {
    for (let i = 0; i < b.length && hits.length < limit; i++) {
      hits.push({
        id: b.id(i),
        index: b.index,
        ms: b.ms[i]!,
        ns: b.ns[i]!,
        pos: b.position(i),
        source: b.source(i),
      });
    }
    return hits.length < limit;
  });
  return hits;
}

const match = (text: string, path?: string): Query => ({
  kind: 'match',
  field: path === undefined ? { kind: 'any' } : { kind: 'path', path },
  text,
  phrases: [
    text
      .toLowerCase()
      .split(/[^a-z0-9_]+/)
      .filter(Boolean),
  ],
});

/**
 * Registers the contract tests for `f`.
 *
 * @example
 * runStoreContract({ name: 'local', open: (limit) => openLocalStore(tmp(), { fieldLimit: limit }), settle: async (s) => s });
 */
export function runStoreContract(f: ContractFactory): void {
  const withStore = (
    name: string,
    fn: (
      open: () => Promise<ContractStore>,
      settle: (s: ContractStore) => Promise<ContractStore>,
    ) => Promise<void>,
  ) =>
    test(`${f.name}: ${name}`, async () => {
      const stores: ContractStore[] = [];
      try {
        await fn(
          async () => {
            const s = await f.open(5);
            stores.push(s);
            return s;
          },
          async (s) => {
            const next = await f.settle(s);
            stores.push(next);
            return next;
          },
        );
      } finally {
        for (const s of stores.reverse()) await s.close();
      }
    });

  withStore(
    'a document written with its JSON text reads back as that document',
    async (open, settle) => {
      let s = await open();
      const text =
        ' {"@timestamp": "2024-05-06T07:00:00Z", "message": "with \\"text\\"", "n": [1, 2.5] }\r';
      const source = JSON.parse(text) as Record<string, unknown>;
      const [res] = await s.write([{ index: 'logs-json', op: 'index', source, json: text }]);
      assert.equal(res!.status, 'created');
      s = await settle(s);
      const hits = await collect(s, { indices: ['logs-json'], query: match('text') });
      assert.deepEqual(
        hits.map((h) => h.source),
        [source],
      );
    },
  );

  withStore(
    'a document reads back as its JSON, whatever the object written becomes after the write',
    async (open, settle) => {
      let s = await open();
      const source: Record<string, unknown> = {
        '@timestamp': '2024-05-06T07:00:00Z',
        message: 'kept as written',
        at: new Date(T0),
        gone: undefined,
        nested: { list: [1, undefined, 'x'] },
      };
      const [res] = await s.write([{ index: 'logs-kept', op: 'index', source }]);
      assert.equal(res!.status, 'created');
      const expected = JSON.parse(JSON.stringify(source)) as Record<string, unknown>;
      source.message = 'changed after the write';
      (source.nested as { list: unknown[] }).list.push('more');
      s = await settle(s);
      const hits = await collect(s, { indices: ['logs-kept'], query: match('kept') });
      assert.deepEqual(
        hits.map((h) => h.source),
        [expected],
      );
      assert.equal(
        (await collect(s, { indices: ['logs-kept'], query: match('changed') })).length,
        0,
      );
    },
  );

  withStore(
    'a nested query matches within one object of an array, from the documents themselves',
    async (open, settle) => {
      let s = await open();
      const spans = (...xs: [string, number][]) => xs.map(([name, ms]) => ({ name, ms }));
      await s.write(
        [spans(['db', 5], ['http', 50]), spans(['db', 40]), spans(['http', 3])].map((list, i) => ({
          index: 'logs-nested',
          op: 'index' as const,
          id: `n${i}`,
          source: { '@timestamp': T0 + i, spans: list },
        })),
      );
      s = await settle(s);
      const slowDb: Query = {
        kind: 'nested',
        path: 'spans',
        query: {
          kind: 'and',
          children: [
            { kind: 'term', field: { kind: 'path', path: 'name' }, value: 'db' },
            { kind: 'range', field: { kind: 'path', path: 'ms' }, gt: 10 },
          ],
        },
      };
      // Document n0 has a db span and a span over 10 ms, but not in one object.
      const hits = await collect(s, { indices: ['logs-nested'], query: slowDb });
      assert.deepEqual(
        hits.map((h) => h.id),
        ['n1'],
      );
    },
  );

  withStore(
    'writes are acknowledged with ids and found, newest first, ties by position',
    async (open, settle) => {
      let s = await open();
      const res = await s.write(
        Array.from({ length: 50 }, (_, i) => ({
          index: 'logs-a',
          op: 'index' as const,
          source: {
            '@timestamp': new Date(T0 + Math.floor(i / 2) * 1000).toISOString(),
            message: `line ${i}`,
            n: i,
          },
        })),
      );
      assert.equal(res.length, 50);
      const ids = new Set(
        res.map((r) => (r.status === 'created' ? r.id : assert.fail(JSON.stringify(r)))),
      );
      assert.equal(ids.size, 50);
      for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{20}$/);
      s = await settle(s);
      const desc = await collect(s, {});
      assert.equal(desc.length, 50);
      for (let i = 1; i < desc.length; i++) {
        const a = desc[i - 1]!.pos;
        const b = desc[i]!.pos;
        assert.ok(
          a.ms > b.ms ||
            (a.ms === b.ms && (a.ns > b.ns || (a.ns === b.ns && a.tiebreak > b.tiebreak))),
          `order at ${i}`,
        );
      }
      const asc = await collect(s, { order: 'asc' });
      assert.deepEqual(
        asc.map((h) => h.id),
        desc.map((h) => h.id).reverse(),
      );
      assert.equal(desc.find((h) => h.source.n === 7)?.source.message, 'line 7');
    },
  );

  withStore(
    'after paginates without gaps or repeats; time range is [from, to)',
    async (open, settle) => {
      let s = await open();
      await s.write(
        Array.from({ length: 30 }, (_, i) => ({
          index: 'logs-a',
          op: 'index' as const,
          id: `d${i}`,
          source: { '@timestamp': T0 + Math.floor(i / 3) * 10, i },
        })),
      );
      s = await settle(s);
      for (const order of ['desc', 'asc'] as const) {
        const seen: string[] = [];
        let after: Position | undefined;
        for (;;) {
          const page = await collect(s, { order, after }, 4);
          if (page.length === 0) break;
          seen.push(...page.map((h) => h.id));
          after = page.at(-1)!.pos;
        }
        assert.equal(seen.length, 30);
        assert.equal(new Set(seen).size, 30);
      }
      const ranged = await collect(s, { from: T0 + 10, to: T0 + 30, order: 'asc' });
      assert.deepEqual(
        ranged.map((h) => h.source.i),
        [3, 4, 5, 6, 7, 8],
      );
      const none: number[] = [];
      await s.search({ indices: [], query: ALL, order: 'none' }, (b) => void none.push(b.length));
      assert.equal(
        none.reduce((a, b) => a + b, 0),
        30,
      );
    },
  );

  withStore(
    'index patterns, queries, invalid names, exists and create conflicts',
    async (open, settle) => {
      let s = await open();
      const res = await s.write([
        {
          index: 'logs-a',
          op: 'create',
          id: 'x',
          source: { message: 'OOMKilled container web', '@timestamp': T0 },
        },
        {
          index: 'logs-b',
          op: 'index',
          id: 'x',
          source: { message: 'all good', '@timestamp': T0 + 1 },
        },
        { index: 'Bad', op: 'index', source: { message: 'no' } },
        { index: 'logs-a', op: 'create', id: 'x', source: { message: 'dup in batch' } },
        {
          index: 'metrics',
          op: 'index',
          source: { message: 'oomkilled elsewhere', '@timestamp': T0 + 2 },
        },
      ]);
      assert.deepEqual(
        res.map((r) => r.status),
        ['created', 'created', 'rejected', 'exists', 'created'],
      );
      assert.equal(res[2]!.status === 'rejected' && res[2]!.type, 'invalid_index_name_exception');
      s = await settle(s);
      const again = await s.write([
        { index: 'logs-a', op: 'create', id: 'x', source: { message: 'retry' } },
        { index: 'logs-a', op: 'index', id: 'x', source: { message: 'retry' } },
      ]);
      assert.deepEqual(
        again.map((r) => r.status),
        ['exists', 'exists'],
      );
      assert.deepEqual((await collect(s, { indices: ['logs-*'] })).map((h) => h.index).sort(), [
        'logs-a',
        'logs-b',
      ]);
      assert.deepEqual((await collect(s, { indices: ['metrics'] })).length, 1);
      const oom = await collect(s, { query: match('oomkilled') });
      assert.deepEqual(oom.map((h) => h.index).sort(), ['logs-a', 'metrics']);
      assert.equal(
        (await collect(s, { query: match('oomkilled', 'message'), indices: ['logs-*'] })).length,
        1,
      );
      assert.equal((await collect(s, { query: match('neverseen') })).length, 0);
      const names = (await s.indices()).map((i) => i.name).sort();
      assert.deepEqual(names, ['logs-a', 'logs-b', 'metrics']);
      assert.equal((await s.indices()).find((i) => i.name === 'logs-a')?.docs, 1);
    },
  );

  withStore(
    'mapping keeps conflicts; past the field limit fields are stored, not indexed',
    async (open, settle) => {
      let s = await open();
      await s.write([
        {
          index: 'm',
          op: 'index',
          source: { labels: { app: 'web' }, status: 200, '@timestamp': T0 },
        },
        {
          index: 'm',
          op: 'index',
          source: {
            labels: { app: { kubernetes: { io: 'x' } } },
            status: 'ok',
            '@timestamp': T0 + 1,
          },
        },
        {
          index: 'm',
          op: 'index',
          source: { a1: 'one', a2: 'two', a3: 'three', late: 'zebra', '@timestamp': T0 + 2 },
        },
      ]);
      s = await settle(s);
      const m = await s.mapping(['m']);
      assert.deepEqual([...m.get('status')!.types].sort(), ['keyword', 'long']);
      assert.ok(m.has('labels.app') && m.has('labels.app.kubernetes.io'));
      // 5 fields: @timestamp, labels.app, status, labels.app.kubernetes.io, a1 — then the limit.
      assert.equal(m.get('a1')?.indexed, true);
      assert.equal(m.get('late')?.indexed, false);
      assert.equal((await collect(s, { query: match('zebra', 'late') })).length, 0);
      const doc = (await collect(s, { query: match('one', 'a1') }))[0];
      assert.equal(doc?.source.late, 'zebra');
    },
  );

  withStore(
    'deleting an index removes its documents and mapping, for good',
    async (open, settle) => {
      let s = await open();
      const doc = (i: number) => ({ '@timestamp': T0 + i, message: `line ${i}`, [`f${i % 2}`]: i });
      for (const index of ['del-a', 'del-b']) {
        await s.write(
          Array.from({ length: 20 }, (_, i) => ({
            index,
            op: 'create' as const,
            id: `d${i}`,
            source: doc(i),
          })),
        );
      }
      s = await settle(s);
      assert.deepEqual(await s.deleteIndices(['del-a', 'del-none']), ['del-a']);
      const names = (await s.indices()).map((i) => i.name);
      assert.ok(!names.includes('del-a') && names.includes('del-b'), names.join(' '));
      assert.equal((await collect(s, { indices: ['del-a'] })).length, 0);
      assert.equal((await collect(s, { indices: ['del-*'] })).length, 20);
      assert.equal((await s.mapping(['del-a'])).size, 0);
      s = await settle(s);
      assert.equal((await collect(s, { indices: ['del-a'] })).length, 0);
      // The name starts over: the same ids are new documents.
      const again = await s.write([{ index: 'del-a', op: 'create', id: 'd1', source: { x: 1 } }]);
      assert.equal(again[0]?.status, 'created');
      s = await settle(s);
      const left = await collect(s, { indices: ['del-a'] });
      assert.deepEqual(
        left.map((h) => h.source),
        [{ x: 1 }],
      );
      assert.deepEqual([...(await s.mapping(['del-a'])).keys()], ['x']);
      assert.deepEqual(await s.deleteIndices([]), []);
    },
  );
}
