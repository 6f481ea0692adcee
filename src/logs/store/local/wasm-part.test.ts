import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTime } from '../../model/timestamp.js';
import { IndexMapping } from './mapping.js';
import { TimeCoder } from './time-column.js';
import { EMPTY, LEFT, TAKEN, WasmPart } from './wasm-part.js';
import { PathNode, type ShapeState, shapeTrie, walkDocument } from './walk.js';
import {
  assertSameLeaves,
  assertTypes,
  jsLeaves,
  observeLine,
  randomJson,
  rowLeaves,
  scanLines,
} from './testdata/core-leaves.js';

test("ordinary documents are taken and give the JavaScript walk's values and shapes", () => {
  const part = new WasmPart();
  const lines = [
    '{"@timestamp":"2026-11-29T10:00:00.123456789Z","stream":"stdout","kubernetes":{"namespace":"payments","pod":"api-1","labels":{"app":"api"}},"level":"info","message":"request completed","http":{"status":200,"duration_ms":12.5,"bytes":512}}',
    '{"@timestamp":"2026-11-29T10:00:01Z","kubernetes":{"namespace":"payments","pod":"api-2","labels":{"app":"api"}},"message":"I1129 10:00:01 controller.go:42] Synced \\"payments/api-2\\""}',
    '{"a":[1,2,[3,{"b":true}]],"c":null,"d":false,"e":{},"f":[],"g":-0,"h":1.5e3,"i":"caf\\u00e9 \\ud83d\\ude00","j":"tab\\there"}',
    '{"k.d":"dotted key","k":{"d":"nested"}}',
  ];
  const r = scanLines(part, lines);
  assert.deepEqual([...r.outcomes], [TAKEN, TAKEN, TAKEN, TAKEN]);
  lines.forEach((line, row) => assertSameLeaves(rowLeaves(part, row), jsLeaves(line), line));
});

test('the same shape gets the same id, as the JavaScript shape trie decides', () => {
  const part = new WasmPart();
  const next = randomJson(7);
  const lines = Array.from({ length: 400 }, (_, i) =>
    i % 3 === 0 ? '{"a":1,"b":{"c":"x"}}' : i % 3 === 1 ? '{"a":"y","b":{"c":2}}' : next(),
  );
  const r = scanLines(part, lines);
  const root = new PathNode<undefined>('');
  const trie = shapeTrie();
  const byState = new Map<ShapeState, number>();
  let row = 0;
  lines.forEach((line, k) => {
    if (r.outcomes[k] !== TAKEN) {
      row++;
      return;
    }
    const st = walkDocument(JSON.parse(line) as Record<string, unknown>, root, trie, () => {})!;
    const id = part.shape(row++);
    assert.ok(id > 0, line);
    assert.equal(part.shapeText(id), st.text, line);
    const seen = byState.get(st);
    if (seen === undefined) {
      assert.ok(![...byState.values()].includes(id), `shape ${id} given to two shapes: ${line}`);
      byState.set(st, id);
    } else assert.equal(id, seen, line);
  });
  assert.equal(part.shapeCount, byState.size);
});

test('random JSON: every taken line matches JSON.parse and the walk; invalid lines are left', () => {
  const part = new WasmPart();
  const mapping = new IndexMapping();
  const unsure: Int32Array[] = [];
  const next = randomJson(42);
  let taken = 0;
  let left = 0;
  for (let round = 0; round < 20; round++) {
    const lines = Array.from({ length: 500 }, () => next());
    const r = scanLines(part, lines, round * 500);
    unsure.push(part.unsure());
    lines.forEach((line, k) => {
      let valid = true;
      try {
        JSON.parse(line);
      } catch {
        valid = false;
      }
      if (r.outcomes[k] === TAKEN) {
        assert.ok(valid, `taken but invalid: ${line}`);
        assertSameLeaves(rowLeaves(part, round * 500 + k), jsLeaves(line), line);
        observeLine(mapping, line);
        taken++;
      } else {
        assert.equal(r.outcomes[k], LEFT, line);
        left++;
        assert.equal(rowLeaves(part, round * 500 + k).size, 0, `left, but has entries: ${line}`);
      }
    });
  }
  assertTypes(part, mapping, unsure);
  // The generator's odd keys and numbers leave many lines, but most are ordinary enough.
  assert.ok(taken > 3000 && left > 500, `taken ${taken}, left ${left}`);
});

test('lines left to JavaScript, and nothing of them kept', () => {
  const part = new WasmPart();
  const cases: [string, string][] = [
    ['{"a":1,"a":2}', 'duplicate key'],
    ['{"b":1,"0":2}', 'array-index key, which JavaScript orders first'],
    ['{"a":"\\ud800"}', 'lone surrogate'],
    ['{"a":"\\udc00x"}', 'lone low surrogate'],
    ['{"a":1e400}', 'not finite'],
    ['{"a":9007199254740993}', 'not exactly convertible'],
    ['{"a":1.7976931348623157e308}', 'power of ten past 22'],
    ['{"a":2.2250738585072014e-22}', 'digits past 2^53'],
    ['{"a":[1,2,}', 'invalid JSON'],
    ['{"a":01}', 'leading zero'],
    ['{"a":"x",}', 'trailing comma'],
    ['{"a":tru}', 'bad literal'],
    ['{"a":"\u0001"}', 'raw control character'],
    ['{"a":"\\x"}', 'bad escape'],
    ['[1,2]', 'not an object'],
    ['{"a":1} x', 'text after the object'],
    [`{"a":${'['.repeat(300)}${']'.repeat(300)}}`, 'deep'],
  ];
  const r = scanLines(
    part,
    cases.map(([l]) => l),
  );
  cases.forEach(([line, why], k) => assert.equal(r.outcomes[k], LEFT, `${why}: ${line}`));
  for (let id = 1; id < part.pathCount; id++) {
    assert.equal(part.entries(id).rows.length, 0, part.path(id));
    assert.equal(part.pathTypes(id), 0, part.path(id));
  }
  assert.equal(part.unsure().length, 0);
  // Invalid UTF-8 (a lone continuation byte, an overlong form): JavaScript would have replaced it.
  const bad = Buffer.concat([
    Buffer.from('{"a":"x'),
    Buffer.from([0x80]),
    Buffer.from('"}\n{"a":"'),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from('"}'),
  ]);
  assert.deepEqual([...part.scan(bad, 100).outcomes], [LEFT, LEFT]);
});

test('blank lines are not rows; numbers convert exactly', () => {
  const part = new WasmPart();
  const nums = [
    '0',
    '-0',
    '0.1',
    '-12.5e-3',
    '1E5',
    '4.35',
    '123456789012345',
    '9007199254740992',
    '7.25e-20',
    '1e22',
    '1e-22',
    '0e999',
  ];
  const r = scanLines(part, ['', ...nums.map((n) => `{"n":${n}}`), '  ', '{"n":1}']);
  assert.deepEqual([...r.outcomes], [EMPTY, ...nums.map(() => TAKEN), EMPTY, TAKEN]);
  const e = part.entries(1);
  assert.deepEqual([...e.rows], [...nums.keys(), nums.length]);
  nums.forEach((n, k) => assert.ok(Object.is(e.values[k], Number(n)), `${n}: ${e.values[k]}`));
  assert.equal(part.path(1), 'n');
});

test('a body larger than the memory the core started with', () => {
  const part = new WasmPart();
  const lines = Array.from(
    { length: 20_000 },
    (_, i) => `{"i":${i},"pod":"api-${i % 500}","message":"${'x'.repeat(i % 300)}"}`,
  );
  const r = scanLines(part, lines);
  assert.equal(r.outcomes.length, lines.length);
  assert.ok(r.outcomes.every((o) => o === TAKEN));
  assert.equal(part.valueCount(2), 500);
  assert.deepEqual(rowLeaves(part, 19_999), jsLeaves(lines[19_999]!));
});

test('field types: as the mapping types them, with the unsure strings typed by typeOf', () => {
  const strings = [
    'info',
    'a',
    '',
    'request completed',
    '2026-11-29T10:00:00Z',
    '2026-11-29T10:00:00.123456789Z',
    '2026-11-29',
    '2026-11-29 10:00',
    '2026-02-30T10:00:00Z',
    '2026-11-29T10:00:00+01:00',
    '2026-11-29T25:00:00Z',
    '10.0.0.1',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '::1',
    'fe80::1',
    '2001:db8::8a2e:370:7334',
    'abc',
    'deadbeefcafe',
    'dead:beef',
    '12:30',
    '1.5',
    '10.2.3',
    '0x1f',
    ':',
    'a3f2c91b7e4d5f60',
    '::ffff:10.0.0.1',
    '1::',
    'g::1',
  ];
  const lines: string[] = [];
  // Each string at a path of its own, so that each one's type is compared.
  strings.forEach((s, i) =>
    lines.push(JSON.stringify({ [`s${i}`]: s, n: i % 2 ? i : i + 0.5, b: i % 3 === 0 })),
  );
  const part = new WasmPart();
  const r = scanLines(part, lines);
  assert.ok(r.outcomes.every((o) => o === TAKEN));
  const mapping = new IndexMapping();
  for (const line of lines) observeLine(mapping, line);
  const unsure = part.unsure();
  assertTypes(part, mapping, [unsure]);
  // Only what the core cannot decide is left to typeOf: other date layouts, IPv6-like strings.
  for (let k = 0; k < unsure.length; k += 2) {
    const v = part.unsureValue(unsure[k]!, unsure[k + 1]!);
    assert.ok(/^\d{4}-\d{2}-\d{2}/.test(v) || v.includes(':'), v);
  }
  assert.equal(unsure.length / 2, 12);
});

test('field types: random strings of the characters of dates and addresses, as typeOf types them', () => {
  const values = [
    'cafe:babe',
    '10.0.0.256',
    '2024-01-01T00:00',
    '2024-13-45T00:00:00Z',
    '2024-01-01x',
    '12345678',
    '1234-56-78',
    'a'.repeat(50),
    'ABCD::1',
    '0:0:0:0:0:0:0:1',
    '1::2',
    'fe80::1%eth0',
    '10.0.0.1 x',
    'cafe:babe tail',
    '1:2',
  ];
  const lines = values.map((v, k) => JSON.stringify({ [`v${k}`]: v }));
  let seed = 7;
  const alphabet = '0123456789abcdefABCDEF:.-TZ x%';
  for (let k = 0; k < 20_000; k++) {
    let v = '';
    const n = 1 + (k % 46);
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      v += alphabet[(seed >>> 8) % alphabet.length];
    }
    lines.push(JSON.stringify({ [`s${k}`]: v }));
  }
  const part = new WasmPart();
  assert.ok(scanLines(part, lines).outcomes.every((o) => o === TAKEN));
  const mapping = new IndexMapping();
  for (const line of lines) observeLine(mapping, line);
  assertTypes(part, mapping, [part.unsure()]);
});

test('times from @timestamp in the fast layout, as parseTime reads them', () => {
  const stamps = [
    '2026-11-29T10:00:00Z',
    '2026-11-29T10:00:00.1Z',
    '2026-11-29T23:59:59.999999999Z',
    '1970-01-01T00:00:00Z',
    '2024-02-29T12:00:00.000123Z',
    '0100-03-01T00:00:00Z',
    '2400-02-29T00:00:00Z',
  ];
  const slow = [
    '2026-11-29T10:00:00+01:00',
    '2026-11-29',
    '1732874400000',
    '2023-02-29T00:00:00Z',
    '2026-11-29T10:00:60Z',
  ];
  const lines = [...stamps, ...slow].map((t) => JSON.stringify({ '@timestamp': t, m: 'x' }));
  lines.push(
    '{"@timestamp":["2026-11-29T10:00:00Z"]}',
    '{"@timestamp":1732874400000}',
    '{"a":{"@timestamp":"2026-11-29T10:00:00Z"}}',
  );
  const part = new WasmPart();
  scanLines(part, lines);
  const coder = new TimeCoder();
  stamps.forEach((t, row) => {
    const want = parseTime(t)!;
    assert.deepEqual(part.time(row), want, t);
    // A time code exactly where TimeCoder gives one, and then no value in the column.
    assert.equal(part.timeCode(row), coder.code(t, want.ms, want.ns), t);
  });
  const timeColumn = part.entries(1);
  assert.deepEqual(
    [...timeColumn.rows],
    [...lines.keys()].filter((row) => part.timeCode(row) === 0 && row !== lines.length - 1),
  );
  for (let row = stamps.length; row < lines.length; row++)
    assert.equal(part.time(row), undefined, lines[row]);
});

test('lines the scan left, walked by JavaScript into the part, read as the walk reads them', () => {
  const part = new WasmPart();
  const mapping = new IndexMapping();
  const next = randomJson(11);
  const root = new PathNode<undefined>('');
  const trie = shapeTrie();
  const unsure: Int32Array[] = [];
  let added = 0;
  for (let round = 0; round < 10; round++) {
    const lines = Array.from({ length: 300 }, () => next());
    const r = scanLines(part, lines, round * 300);
    lines.forEach((line, k) => {
      let source: Record<string, unknown>;
      try {
        source = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      observeLine(mapping, line);
      if (r.outcomes[k] === TAKEN) return;
      const row = round * 300 + k;
      part.addDocument(row, source);
      added++;
      assertSameLeaves(rowLeaves(part, row), jsLeaves(line), line);
      assert.equal(
        part.shapeText(part.shape(row)),
        walkDocument(source, root, trie, () => {})!.text,
        line,
      );
    });
    // The strings to type listed by this scan and by the rows added after it.
    unsure.push(part.unsure());
  }
  assertTypes(part, mapping, unsure);
  assert.ok(added > 200, `${added} added`);
});

test('a time code only for a document kept at the time its @timestamp reads as', () => {
  const part = new WasmPart();
  const stamp = '2026-11-29T10:00:00.123Z';
  const t = parseTime(stamp)!;
  // Row 1 kept at another time (no usable @timestamp said the store, say): the value stays a
  // value. Row 2 has no expectation.
  part.expectTimes(0, [t.ms, t.ms + 1], [t.ns, t.ns]);
  scanLines(
    part,
    [JSON.stringify({ '@timestamp': stamp }), JSON.stringify({ '@timestamp': stamp })],
    0,
  );
  scanLines(part, [JSON.stringify({ '@timestamp': stamp })], 2);
  assert.deepEqual(
    [0, 1, 2].map((row) => part.timeCode(row)),
    [2, 0, 2],
  );
  assert.deepEqual([...part.entries(1).rows], [1]);
});

test('the paths whose types grew, per scan', () => {
  const part = new WasmPart();
  scanLines(part, ['{"a":"x","b":1}', '{"a":"y"}']);
  assert.deepEqual([...part.typesChanged()].map((id) => part.path(id)).sort(), ['a', 'b']);
  scanLines(part, ['{"a":"z","b":2}'], 2);
  assert.deepEqual([...part.typesChanged()], []);
  scanLines(part, ['{"a":2,"b":1.5,"c":null}'], 3);
  assert.deepEqual(
    [...part.typesChanged()].map((id) => part.path(id)),
    ['a', 'b'],
  );
  // A line left, then walked by JavaScript: its types count for the scan it followed.
  scanLines(part, ['{"d":true,"d":false}'], 4);
  assert.deepEqual([...part.typesChanged()], []);
  part.addDocument(4, { d: false });
  assert.deepEqual(
    [...part.typesChanged()].map((id) => part.path(id)),
    ['d'],
  );
});

test('a line left is handed back in its place, so that the rows after it come after it', () => {
  const part = new WasmPart();
  const lines = ['{"a":"x"}', '{"a":"y","a":"z"}', '', '{"a":"w"}', '{"a":[1,}', '{"a":"v"}'];
  const left: [number, number][] = [];
  const r = scanLines(part, lines, 10);
  assert.deepEqual([...r.outcomes], [TAKEN, LEFT, EMPTY, TAKEN, LEFT, TAKEN]);
  const again = new WasmPart();
  again.scan(Buffer.from(lines.join('\n')), 10, (row, line) => {
    left.push([row, line]);
    if (line === 1) again.addDocument(row, JSON.parse(lines[line]!) as Record<string, unknown>);
  });
  assert.deepEqual(left, [
    [11, 1],
    [13, 4],
  ]);
  const e = again.entries(1);
  assert.deepEqual([...e.rows], [10, 11, 12, 14]);
  assert.deepEqual(
    [0, 1, 2, 3].map((k) => again.entryString(1, k)),
    ['x', 'z', 'w', 'v'],
  );
});

test('texts scanned at spans of a buffer read as the same texts scanned as lines', () => {
  const next = randomJson(7);
  const texts: string[] = [];
  while (texts.length < 800) {
    const line = next();
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
    // Some texts laid out over lines, as a client may send them.
    texts.push(texts.length % 5 === 0 ? JSON.stringify(doc, null, 2) : line);
  }
  // The texts apart, with what a WAL record has between them: lengths, ids, times, line breaks.
  const parts: Buffer[] = [];
  const at: number[] = [];
  const lengths: number[] = [];
  let size = 0;
  texts.forEach((t, k) => {
    const gap = Buffer.from(`\n${k}\u0000{"x":\n`);
    const text = Buffer.from(t);
    parts.push(gap, text);
    at.push(size + gap.length);
    lengths.push(text.length);
    size += gap.length + text.length;
  });
  const bytes = Buffer.concat(parts);
  const spans = new WasmPart();
  const left: number[] = [];
  const r = spans.scanSpans(bytes, at, lengths, 10, (row) => left.push(row));
  const lines = new WasmPart();
  const single = texts.map((t) => (t.includes('\n') ? JSON.stringify(JSON.parse(t)) : t));
  const l = scanLines(lines, single, 10);
  assert.deepEqual([...r.outcomes], [...l.outcomes]);
  assert.deepEqual(
    left,
    texts.flatMap((_, k) => (r.outcomes[k] === LEFT ? [10 + k] : [])),
  );
  texts.forEach((t, k) => {
    assert.equal(r.starts[k], at[k]! - at[0]!);
    assert.equal(r.ends[k], at[k]! - at[0]! + lengths[k]!);
    if (r.outcomes[k] === TAKEN) assertSameLeaves(rowLeaves(spans, 10 + k), jsLeaves(t), t);
  });
  const taken = r.outcomes.filter((o) => o === TAKEN).length;
  assert.ok(taken > 400 && taken < texts.length, `taken ${taken}`);
});
