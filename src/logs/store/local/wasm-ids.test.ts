import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { hashKey } from './bloom.js';
import { ColumnBuilder, encodeColumn } from './column.js';
import { IndexMapping } from './mapping.js';
import { MemoryPart } from './memory-part.js';
import { encodeWalRecord, type WalDoc } from './wal.js';
import { WasmPart } from './wasm-part.js';

/** `ids[start, end)` as the segment writer's JavaScript encodes an id column. */
function jsColumn(ids: readonly string[], start: number, end: number): Buffer {
  const b = new ColumnBuilder(end - start);
  for (let k = start; k < end; k++) b.add(k - start, ids[k]!);
  const w = new ByteWriter(1024);
  encodeColumn(w, b);
  return Buffer.from(w.bytes());
}

function jsHashes(ids: readonly string[], start: number, end: number): Uint32Array {
  const out = new Uint32Array(2 * (end - start));
  const h = new Uint32Array(2);
  for (let k = start; k < end; k++) {
    hashKey(ids[k]!, h);
    out.set(h, 2 * (k - start));
  }
  return out;
}

test('ids from a WAL record and one by one: read, encoded and hashed as JavaScript does', () => {
  const part = new WasmPart();
  // The store's ids, a caller's, and an id past ASCII (hashed by JavaScript).
  const ids = Array.from({ length: 600 }, (_, i) =>
    i === 450 ? 'ïd-☃' : i % 3 === 0 ? `AZLVqF8sAAA${i}B3q2vYjcU` : `order-${i}`,
  );
  const docs: WalDoc[] = ids.slice(0, 500).map((id, i) => ({
    index: 'logs',
    id,
    ms: 1e12 + i,
    ns: 0,
    json: JSON.stringify({ i }),
  }));
  const spans = { idAt: [] as number[], idBytes: [] as number[], jsonAt: [], jsonBytes: [] };
  const { buf } = encodeWalRecord(Buffer.alloc(64), 0, docs, spans);
  part.scanSpans(buf, spans.jsonAt, spans.jsonBytes, 0, undefined, {
    at: spans.idAt,
    lengths: spans.idBytes,
  });
  part.scanTexts(
    ids.slice(500).map((_, i) => JSON.stringify({ i })),
    500,
  );
  ids.slice(500).forEach((id, k) => part.ids.add(500 + k, id));
  assert.equal(part.ids.count, ids.length);
  assert.deepEqual(
    Array.from(ids, (_, r) => part.ids.get(r)),
    ids,
  );
  for (const [start, end] of [
    [0, 600],
    [0, 1],
    [10, 20],
    [100, 356],
    [440, 460],
    [599, 600],
  ] as const) {
    assert.deepEqual(part.ids.encode(start, end), jsColumn(ids, start, end), `${start}–${end}`);
    const hashes = part.ids.hashes(start, end);
    if (start <= 450 && 450 < end) assert.equal(hashes, undefined, 'an id past ASCII');
    else assert.deepEqual(hashes, jsHashes(ids, start, end), `${start}–${end}`);
  }
  // Another instance reading the part in place sees the same ids.
  const reader = new WasmPart(part.shared());
  assert.equal(reader.ids.get(123), ids[123]);
  assert.deepEqual(reader.ids.encode(0, 600), jsColumn(ids, 0, 600));
});

test("a memory part's core, reused by the next part, keeps that part's ids only", () => {
  const mapping = new IndexMapping();
  const fill = (part: MemoryPart, word: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const json = JSON.stringify({ message: `${word} ${i}` });
      part.add({ index: 'app', id: `${word}${i}`, ms: 1e12 + i, ns: 0, json }, {}, 20, mapping);
    }
  };
  const a = new MemoryPart(0);
  fill(a, 'alpha', 40);
  const core = a.indices.get('app')!.cols.core;
  a.retire();
  const b = new MemoryPart(0);
  fill(b, 'beta', 30);
  const reused = b.indices.get('app')!.cols.core;
  assert.equal(reused, core, 'the retired core went to the next part');
  assert.equal(reused.ids.count, 30);
  assert.deepEqual(
    Array.from({ length: 30 }, (_, r) => reused.ids.get(r)),
    Array.from({ length: 30 }, (_, i) => `beta${i}`),
  );
});
