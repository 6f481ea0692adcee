import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { formatTime, parseTime } from '../../model/timestamp.js';
import { bloomAdd, bloomSize, hashKey } from './bloom.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { KIND_TIME } from './time-column.js';

const T0 = Date.UTC(2026, 10, 29, 23, 59, 58);

/** `@timestamp` values in every layout a shipper sends, and the time the store gives each. */
function timestamp(i: number): { value: unknown; ms: number; ns: number } {
  const ms = T0 + i * 37;
  const ns = (i * 7919) % 1e6;
  const iso = new Date(ms).toISOString();
  const frac = String((ms % 1000) * 1e6 + ns).padStart(9, '0');
  switch (i % 11) {
    case 0:
      return { value: `${iso.slice(0, 19)}Z`, ms: ms - (ms % 1000), ns: 0 };
    case 1:
      return { value: iso, ms, ns: 0 };
    case 2:
      return { value: `${iso.slice(0, 20)}${frac.slice(0, 6)}Z`, ms, ns: ns - (ns % 1000) };
    case 3:
      return { value: `${iso.slice(0, 20)}${frac}Z`, ms, ns };
    case 4:
      // The time came from elsewhere (a CRI line), the field says something else.
      return { value: `${iso.slice(0, 20)}${frac}Z`, ms: ms + 5, ns };
    case 5:
      return { value: `${iso.slice(0, 19)}+00:00`, ms: ms - (ms % 1000), ns: 0 };
    case 6:
      return { value: ms, ms, ns: 0 };
    case 7:
      return { value: [iso, 'x'], ms, ns };
    case 8:
      return { value: undefined, ms, ns };
    case 9:
      return { value: `${iso.slice(0, 20)}${frac}z`, ms, ns };
    default:
      // Before 1970: a negative time, fraction counted up from the second before.
      return { value: formatTime({ ms: -ms, ns }), ...parseTime(formatTime({ ms: -ms, ns }))! };
  }
}

test('time column: @timestamp values come back exactly, the derivable ones as codes', (t) => {
  const dir = tempDir(t);
  const n = 3000;
  const sources: Record<string, unknown>[] = [];
  const ms: number[] = [];
  const ns: number[] = [];
  for (let i = 0; i < n; i++) {
    const ts = timestamp(i);
    sources.push(ts.value === undefined ? { m: i } : { '@timestamp': ts.value, m: i });
    ms.push(ts.ms);
    ns.push(ts.ns);
  }
  const path = join(dir, 'a.seg');
  const ids = sources.map((_, i) => `id-${i}`);
  writeSegment(path, {
    index: 'logs',
    length: n,
    ids,
    ms,
    ns,
    source: (r) => sources[r]!,
    rawBytes: 1,
  });
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const counter = { bytesRead: 0 };
  const block = seg.block(0, counter);
  const pi = seg.pathIndex.get('@timestamp')!;
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => p === pi)!;
  const section = seg.loadSection([entry[1], entry[2]], counter);
  assert.equal(section[0], KIND_TIME);
  // Every value that is its document's own time in RFC 3339 UTC is a code (layouts 0–3 and
  // the times before 1970).
  const coded = section.subarray(1, 1 + n).reduce((k, c) => k + (c === 0 ? 0 : 1), 0);
  const own = Array.from({ length: n }, (_, i) => i % 11).filter((c) => c <= 3 || c === 10);
  assert.equal(coded, own.length);
  // Its bloom holds the tokens of the values kept as they are (the `x` of the arrays) and
  // nothing of the dates: the filter of that one token.
  const only = new Uint8Array(bloomSize(1));
  const h = new Uint32Array(2);
  hashKey('x', h);
  bloomAdd(only, h);
  assert.deepEqual(new Uint8Array(seg.columnBloom(entry[3], entry[4])), only);
  const col = block.column('@timestamp')!;
  for (let i = 0; i < n; i++) {
    const k = Number(block.id(i).slice(3));
    const want = sources[k]!['@timestamp'];
    assert.deepEqual(col.values(i), want === undefined ? [] : [want].flat(), `document ${k}`);
    assert.deepEqual(block.source(i), sources[k]);
  }
});

test('time column: a block where no value is its own time keeps an ordinary column', (t) => {
  const dir = tempDir(t);
  const n = 100;
  const path = join(dir, 'b.seg');
  writeSegment(path, {
    index: 'logs',
    length: n,
    ids: Array.from({ length: n }, (_, i) => `id-${i}`),
    ms: Array.from({ length: n }, (_, i) => T0 + i),
    ns: new Array<number>(n).fill(0),
    source: (r) => ({ '@timestamp': `${new Date(T0 + r).toISOString().slice(0, 23)}+01:00` }),
    rawBytes: 1,
  });
  const seg = SegmentReader.open(path);
  t.after(() => seg.release());
  const counter = { bytesRead: 0 };
  const entry = seg.footer.blocks[0]!.cols[0]!;
  assert.notEqual(seg.loadSection([entry[1], entry[2]], counter)[0], KIND_TIME);
  const block = seg.block(0, counter);
  assert.equal(block.source(0)['@timestamp'], `${new Date(T0).toISOString().slice(0, 23)}+01:00`);
});
