import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { ColumnBuilder, encodeColumn } from './column.js';
import { IndexMapping } from './mapping.js';
import { EMPTY, KIND_RAW, KIND_STRING, TAKEN, WasmPart } from './wasm-part.js';
import { PathNode, walkDocument } from './walk.js';
import {
  assertSameLeaves,
  assertTypes,
  jsLeaves,
  observeLine,
  randomJson,
  rowLeaves,
  scanLines,
} from './testdata/core-leaves.js';

test('block columns byte for byte as column.ts encodes them: narrow, wide and no dictionary', () => {
  let seed = 3;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const pods = Array.from({ length: 400 }, (_, i) => `api-${i.toString(36)}`);
  const lines: string[] = [];
  for (let i = 0; i < 9000; i++) {
    const doc: Record<string, unknown> = {
      level: pick(['info', 'warn', 'error']),
      pod: pick(pods),
      trace: rand().toString(16).slice(2),
      status: pick([200, 404, 500, '404', 0, -0, 1.5, 2 ** 52, -(2 ** 51), 3e-7]),
      ok: pick([true, false]),
    };
    // 245 distinct in a block's first 256 values: past the sample's 240, so no wide dictionary
    // for its 445 in all (a wide one holds up to 512 for 4 096 documents).
    doc.sample = i % 4096 < 256 ? `v${i % 245}` : `w${i % 200}`;
    if (i % 5 === 0) doc.tags = [pick(['a', 'b']), pick([1, 2, 'c'])];
    if (i % 7 === 0) doc.sparse = pick(['x', 'y', 7]);
    if (i % 50 === 0) doc.mixed = pick(['s', 1, true, null]);
    lines.push(JSON.stringify(doc));
  }
  const part = new WasmPart();
  assert.ok(scanLines(part, lines).outcomes.every((o) => o === TAKEN));
  const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const kinds = new Set<number>();
  for (const [start, end] of [
    [0, 4096],
    [4096, 8192],
    [8192, 9000],
    [100, 400],
  ] as const) {
    const builders = new Map<string, ColumnBuilder>();
    for (let j = 0; j < end - start; j++)
      walkDocument(docs[start + j]!, new PathNode<undefined>(''), undefined, (node, v) => {
        let b = builders.get(node.path);
        if (b === undefined) builders.set(node.path, (b = new ColumnBuilder(end - start)));
        b.add(j, v);
      });
    for (let id = 1; id < part.pathCount; id++) {
      const b = builders.get(part.path(id));
      if (b === undefined) continue;
      const w = new ByteWriter(1024);
      encodeColumn(w, b);
      const want = w.bytes();
      kinds.add(want[0]!);
      assert.deepEqual(
        Buffer.from(part.encodeColumn(id, start, end)),
        Buffer.from(want),
        `${part.path(id)} ${start}–${end}`,
      );
    }
  }
  // Plain, dictionary and wide dictionary columns were all compared.
  assert.deepEqual([...kinds].sort(), [0, 1, 4]);
});

test('a part saved and taken by another instance reads and encodes the same, and takes more lines', () => {
  const next = randomJson(5);
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 2
      ? next()
      : `{"a":"v${i % 40}","n":${i},"@timestamp":"2026-11-29T10:00:${String(i % 60).padStart(2, '0')}Z"}`,
  );
  const a = new WasmPart();
  const r = scanLines(a, lines);
  const b = new WasmPart();
  b.load(structuredClone(a.saved()));
  assert.equal(b.pathCount, a.pathCount);
  assert.equal(b.shapeCount, a.shapeCount);
  for (let id = 1; id < a.pathCount; id++) {
    assert.equal(b.path(id), a.path(id));
    assert.deepEqual(b.entries(id), a.entries(id));
    assert.equal(b.pathTypes(id), a.pathTypes(id));
    assert.deepEqual(b.encodeColumn(id, 0, 3000), a.encodeColumn(id, 0, 3000), a.path(id));
  }
  for (let row = 0; row < 3000; row++) {
    assert.equal(b.shape(row), a.shape(row));
    assert.deepEqual(b.time(row), a.time(row));
  }
  // Both go on alike: the same further lines give the same columns.
  const more = Array.from({ length: 500 }, () => next());
  const rows = r.outcomes.filter((o) => o !== EMPTY).length;
  assert.deepEqual(scanLines(b, more, rows).outcomes, scanLines(a, more, rows).outcomes);
  for (let id = 1; id < a.pathCount; id++)
    assert.deepEqual(b.entries(id), a.entries(id), a.path(id));
  assert.equal(b.pathCount, a.pathCount);
});

test('strings that stop repeating are kept raw, and read, type and encode as coded ones do', () => {
  const lines = Array.from({ length: 6000 }, (_, i) =>
    JSON.stringify({
      // Unique at first (the part stops coding them), then 50 that repeat: a dictionary in
      // their blocks, of raw strings and of one ('again') coded before.
      id:
        i % 97 === 0
          ? `fe80::${i.toString(16)}`
          : i % 89 === 0
            ? 'again'
            : i < 3000
              ? `u${i}`
              : `r${i % 50}`,
      level: ['info', 'warn'][i % 2],
    }),
  );
  const part = new WasmPart();
  assert.ok(scanLines(part, lines).outcomes.every((o) => o === TAKEN));
  const kinds = new Set(part.entries(1).kinds);
  assert.deepEqual([...kinds].sort(), [KIND_STRING, KIND_RAW]);
  assert.deepEqual([...new Set(part.entries(2).kinds)], [KIND_STRING]);
  for (const row of [0, 1500, 4850, 5999])
    assertSameLeaves(rowLeaves(part, row), jsLeaves(lines[row]!), lines[row]!);
  const mapping = new IndexMapping();
  for (const line of lines) observeLine(mapping, line);
  assertTypes(part, mapping, [part.unsure()]);
  const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const encoded = new Set<number>();
  for (const [start, end] of [
    [0, 2048],
    [2048, 3000],
    [3000, 6000],
  ] as const) {
    const b = new ColumnBuilder(end - start);
    for (let j = 0; j < end - start; j++) b.add(j, docs[start + j]!.id as string);
    const w = new ByteWriter(1024);
    encodeColumn(w, b);
    assert.deepEqual(Buffer.from(part.encodeColumn(1, start, end)), Buffer.from(w.bytes()));
    encoded.add(w.bytes()[0]!);
  }
  // Plain columns and a dictionary one.
  assert.deepEqual([...encoded].sort(), [0, 1]);
});

test('a part read in place by another instance, which allocates past its end, stays as it was', () => {
  const a = new WasmPart();
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({
      level: ['info', 'warn', 'error'][i % 3],
      message: `request ${i} took ${i % 97} ms from host-${i % 13}`,
      trace: `t${(i * 2654435761) >>> 0}`,
      n: i / 4,
    }),
  );
  scanLines(a, lines);
  const ids = Array.from({ length: a.pathCount - 1 }, (_, k) => k + 1);
  const columns = ids.map((id) => a.encodeColumn(id, 0, lines.length));
  const before = [0, 1, 1500, 2999].map((r) => rowLeaves(a, r));
  const b = new WasmPart(a.shared());
  assert.deepEqual(
    ids.map((id) => b.encodeColumn(id, 0, lines.length)),
    columns,
  );
  for (const id of ids) b.tokens(id, 0, lines.length, 512);
  assert.deepEqual(
    [0, 1, 1500, 2999].map((r) => rowLeaves(a, r)),
    before,
  );
  assert.deepEqual(rowLeaves(b, 1500), before[2]);
});
