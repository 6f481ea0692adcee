import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { parseTime } from '../../model/timestamp.js';
import { dayOf } from './catalog.js';
import { coreFlushInputs } from './core-flush.js';
import { flushInputs } from './flush-input.js';
import { IndexMapping } from './mapping.js';
import { MemIndex, withColumns } from './memory-part.js';
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
      return {
        message: i % 3 === 0 ? `GET /api/v${i} took ${i / 3} ms` : `héllo wörld 😀 ${i} ✓`,
        ok: i % 2 === 0,
      };
    case 2:
      return { deep: [{ a: i }, { a: 'b', c: [1, 2] }], message: 'x' };
    default:
      // ASCII lines for the core's token index: frequent and rare words, ids, dates, addresses.
      return i % 8 === 3
        ? {}
        : {
            line: `${['Error', 'warn', 'INFO'][i % 3]} connection ${i % 50} from 10.0.${i % 7}.${i % 13} took ${i % 97} ms`,
            trace_id: `T${(i * 2654435761) >>> 0}-Req`,
            seen: new Date(T0 + i * 7777).toISOString(),
            peer: `10.1.${i % 256}.${(i * 7) % 256}`,
          };
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
      const json = JSON.stringify(sources[i]);
      mem.add(ids[i]!, ms[i]!, ns[i]!, sources[i]!, json, json.length, mapping);
    }
    const part = mem.flushPart('logs');
    const inputs = flushInputs(withColumns(part));
    // The core's input, for a part in order and of one day; the others go as columns.
    const fromCore = coreFlushInputs(part);
    assert.equal(fromCore !== undefined, order === 'in time order');
    const days = new Set(ms.map(dayOf));
    assert.deepEqual([...inputs.keys()].sort(), [...days].sort());
    if (order !== 'in time order') assert.equal(days.size, 2);
    for (const [day, input] of inputs) {
      const rows = ms.flatMap((m, r) => (dayOf(m) === day ? [r] : []));
      const pick = <T>(xs: T[]) => rows.map((r) => xs[r]!);
      const a = join(dir, `${day}-columns.seg`);
      const b = join(dir, `${day}-walked.seg`);
      // Small pages: the messages' column goes as pages.
      const options = { unindexed: new Set(['ok']), pageBytes: 4096 };
      writeSegment(a, input, options);
      writeSegment(b, walked(pick(ids), pick(ms), pick(ns), pick(sources)), options);
      sameDocuments(a, b);
      // In time order the columns come in the walk's order too: the files are identical.
      if (order === 'in time order') assert.ok(readFileSync(a).equals(readFileSync(b)));
      if (fromCore === undefined) continue;
      const c = join(dir, `${day}-core.seg`);
      writeSegment(c, fromCore.get(day)!, options);
      assert.ok(readFileSync(c).equals(readFileSync(b)), 'the core wrote another segment');
    }
  });
}

/**
 * A document's `@timestamp` in one of the layouts shippers send, and the time the store gives
 * it (parsed from the value when it can, as `LocalLogStore.write` does, else another time).
 */
function stamped(
  i: number,
  t: number,
): { source: Record<string, unknown>; ms: number; ns: number } {
  const iso = new Date(t).toISOString();
  const digits = `${String(t % 1000).padStart(3, '0')}${String((i * 7919) % 1e6).padStart(6, '0')}`;
  // The first block: every value its own time in RFC 3339 UTC (all of them go as codes).
  const layout = i < BLOCK_DOCS ? i % 4 : i % 9;
  const value: unknown = [
    `${iso.slice(0, 19)}Z`,
    iso,
    `${iso.slice(0, 20)}${digits.slice(0, 6)}Z`,
    `${iso.slice(0, 20)}${digits}Z`,
    `${iso.slice(0, 19)}+00:00`,
    `${iso.slice(0, 20)}${digits}z`,
    t,
    [iso, 'x'],
    undefined,
  ][layout];
  const source = value === undefined ? { n: i } : { '@timestamp': value, n: i };
  const parsed = parseTime(value);
  return { source, ms: parsed?.ms ?? t + 3, ns: parsed?.ns ?? 0 };
}

for (const order of [
  'in time order',
  'in time order, in whole seconds',
  'out of time order, over two days',
] as const) {
  test(`a flush writes the @timestamp values the ingest took as time codes as a walk of the documents does (${order})`, (t) => {
    const dir = tempDir(t);
    const n = 2 * BLOCK_DOCS + 321;
    const mapping = new IndexMapping(1000);
    const mem = new MemIndex();
    const ids: string[] = [];
    const ms: number[] = [];
    const ns: number[] = [];
    const sources: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const time =
        order === 'in time order'
          ? T0 + i * 13
          : order === 'in time order, in whole seconds'
            ? T0 - 36_000_000 + i * 1000 // from 10:00, not past midnight
            : T0 + ((i * 7919) % n) * 1000;
      const d = stamped(i, time);
      ids.push(`id-${i}`);
      ms.push(d.ms);
      ns.push(d.ns);
      sources.push(d.source);
      const json = JSON.stringify(d.source);
      mem.add(ids[i]!, d.ms, d.ns, d.source, json, json.length, mapping);
    }
    const part = withColumns(mem.flushPart('logs'));
    // Layouts 0–3 went as codes, and only those.
    const codes = part.cols.timeCodes!;
    assert.equal(
      codes.reduce((k, c) => k + (c === 0 ? 0 : 1), 0),
      Array.from({ length: n }, (_, i) => (i < BLOCK_DOCS ? i % 4 : i % 9)).filter((l) => l < 4)
        .length,
    );
    // Values cut to the second put the first variant's times out of order: only whole seconds
    // keep them in it, for the core's input.
    const fromCore = coreFlushInputs(mem.flushPart('logs'));
    assert.equal(fromCore !== undefined, order === 'in time order, in whole seconds');
    for (const [day, input] of flushInputs(part)) {
      const rows = ms.flatMap((m, r) => (dayOf(m) === day ? [r] : []));
      const pick = <T>(xs: T[]) => rows.map((r) => xs[r]!);
      const a = join(dir, `${day}-columns.seg`);
      const b = join(dir, `${day}-walked.seg`);
      writeSegment(a, input);
      writeSegment(b, walked(pick(ids), pick(ms), pick(ns), pick(sources)));
      sameDocuments(a, b);
      if (order !== 'out of time order, over two days')
        assert.ok(readFileSync(a).equals(readFileSync(b)));
      if (fromCore === undefined) continue;
      const c = join(dir, `${day}-core.seg`);
      writeSegment(c, fromCore.get(day)!);
      assert.ok(readFileSync(c).equals(readFileSync(b)), 'the core wrote another segment');
    }
  });
}
