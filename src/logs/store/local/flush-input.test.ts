import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { dayOf } from './catalog.js';
import { flushInputs } from './flush-input.js';
import { IndexMapping } from './mapping.js';
import { MemIndex } from './memory-part.js';
import { BLOCK_DOCS } from './segment-format.js';
import { SegmentReader } from './segment-reader.js';
import { type SegmentInput, writeSegment } from './segment-writer.js';

const T0 = Date.UTC(2026, 10, 29, 20);

/** Documents with what makes columns hard: arrays, nesting, a dotted key and a nested one. */
function source(i: number): Record<string, unknown> {
  switch (i % 4) {
    case 0:
      return {
        '@timestamp': new Date(T0 + i).toISOString(),
        kubernetes: { namespace: `ns-${i % 20}`, labels: { app: 'web' } },
        'kubernetes.namespace': `dotted-${i % 3}`,
        status: 200 + (i % 5),
        tags: ['a', i, ['b', true]],
        empty: [],
        nil: null,
      };
    case 1:
      return { message: `GET /api/v${i} took ${i / 3} ms`, ok: i % 2 === 0 };
    case 2:
      return { deep: [{ a: i }, { a: 'b', c: [1, 2] }], message: 'x' };
    default:
      return {};
  }
}

/** The documents as the segment writer's source input (its own walk). */
function walked(
  ids: string[],
  ms: number[],
  ns: number[],
  sources: Record<string, unknown>[],
): SegmentInput {
  return {
    index: 'logs',
    length: ids.length,
    ids,
    ms,
    ns,
    source: (r) => sources[r]!,
    rawBytes: sources.reduce((n, s) => n + JSON.stringify(s).length, 0),
  };
}

function sameDocuments(a: string, b: string): void {
  const ra = SegmentReader.open(a);
  const rb = SegmentReader.open(b);
  try {
    assert.equal(ra.footer.count, rb.footer.count);
    assert.equal(ra.footer.rawBytes, rb.footer.rawBytes);
    assert.deepEqual([...ra.footer.paths].sort(), [...rb.footer.paths].sort());
    const counter = { bytesRead: 0 };
    for (let k = 0; k < ra.footer.blocks.length; k++) {
      const x = ra.block(k, counter);
      const y = rb.block(k, counter);
      assert.equal(x.length, y.length);
      for (let i = 0; i < x.length; i++) {
        assert.equal(x.id(i), y.id(i));
        assert.equal(x.ms[i], y.ms[i]);
        assert.equal(x.ns[i], y.ns[i]);
        assert.deepEqual(x.source(i), y.source(i));
      }
    }
  } finally {
    ra.release();
    rb.release();
  }
}

for (const order of ['in time order', 'out of time order, over two days'] as const) {
  test(`a flush from the ingest walk's columns writes what a walk of the documents writes (${order})`, (t) => {
    const dir = tempDir(t);
    const n = 2 * BLOCK_DOCS + 123;
    const mapping = new IndexMapping(1000);
    const mem = new MemIndex();
    const ids: string[] = [];
    const ms: number[] = [];
    const ns: number[] = [];
    const sources: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      // Out of order: descending in steps, crossing midnight, with equal times and ids deciding.
      const t = order === 'in time order' ? T0 + i : T0 + ((i * 7919) % n) * 1000 - (i % 3);
      ids.push(`id-${i}`);
      ms.push(t);
      ns.push(i % 5);
      sources.push(source(i));
      mem.add(ids[i]!, ms[i]!, ns[i]!, sources[i]!, JSON.stringify(sources[i]).length, mapping);
    }
    const inputs = flushInputs(mem.flushPart('logs'));
    const days = new Set(ms.map(dayOf));
    assert.deepEqual([...inputs.keys()].sort(), [...days].sort());
    if (order !== 'in time order') assert.equal(days.size, 2);
    for (const [day, input] of inputs) {
      const rows = ms.flatMap((m, r) => (dayOf(m) === day ? [r] : []));
      const pick = <T>(xs: T[]) => rows.map((r) => xs[r]!);
      const a = join(dir, `${day}-columns.seg`);
      const b = join(dir, `${day}-walked.seg`);
      writeSegment(a, input, { unindexed: new Set(['ok']) });
      writeSegment(b, walked(pick(ids), pick(ms), pick(ns), pick(sources)), {
        unindexed: new Set(['ok']),
      });
      sameDocuments(a, b);
      // In time order the columns come in the walk's order too: the files are identical.
      if (order === 'in time order') assert.ok(readFileSync(a).equals(readFileSync(b)));
    }
  });
}
