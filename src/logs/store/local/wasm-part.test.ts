import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FieldValue, typeOf } from '../../model/fields.js';
import { parseTime } from '../../model/timestamp.js';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { ColumnBuilder, encodeColumn } from './column.js';
import { IndexMapping } from './mapping.js';
import { TIME_PATH, TimeCoder, TimeDecoder } from './time-column.js';
import {
  EMPTY,
  KIND_FALSE,
  KIND_NUMBER,
  KIND_RAW,
  KIND_STRING,
  KIND_TRUE,
  LEFT,
  TAKEN,
  WasmPart,
} from './wasm-part.js';
import { PathNode, type ShapeState, shapeTrie, walkDocument } from './walk.js';

/**
 * Per dotted path, the values of row `row` in the part, in document order per path node; a
 * `@timestamp` that went as a time code as the text its code and time stand for.
 */
function rowLeaves(part: WasmPart, row: number): Map<string, FieldValue[]> {
  const out = new Map<string, FieldValue[]>();
  const code = part.timeCode(row);
  if (code !== 0) {
    const t = part.time(row)!;
    out.set(TIME_PATH, [new TimeDecoder().text(code, t.ms, t.ns)]);
  }
  for (let id = 1; id < part.pathCount; id++) {
    const e = part.entries(id);
    for (let k = 0; k < e.rows.length; k++) {
      if (e.rows[k] !== row) continue;
      const kind = e.kinds[k]!;
      const v: FieldValue =
        kind === KIND_STRING || kind === KIND_RAW
          ? part.entryString(id, k)
          : kind === KIND_NUMBER
            ? e.values[k]!
            : kind === KIND_TRUE
              ? true
              : (assert.equal(kind, KIND_FALSE), false);
      const path = part.path(id);
      out.set(path, [...(out.get(path) ?? []), v]);
    }
  }
  return out;
}

/** What the store's walk (`walk.ts`) makes of a line: per dotted path its values. */
function jsLeaves(line: string): Map<string, FieldValue[]> {
  const out = new Map<string, FieldValue[]>();
  walkDocument(
    JSON.parse(line) as Record<string, unknown>,
    new PathNode<undefined>(''),
    undefined,
    (node, v) => {
      out.set(node.path, [...(out.get(node.path) ?? []), v]);
    },
  );
  return out;
}

/**
 * Values compared with `Object.is` (so -0 and 0 differ), paths in any order, and the values of
 * one path in any order too: two path nodes can have one dotted path (`{"k.d":1,"k":{"d":2}}`).
 */
function assertSameLeaves(
  got: Map<string, FieldValue[]>,
  want: Map<string, FieldValue[]>,
  line: string,
) {
  const norm = (m: Map<string, FieldValue[]>) =>
    [...m]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([p, vs]) => [
        p,
        vs.map((v) => `${typeof v}:${Object.is(v, -0) ? '-0' : String(v)}`).sort(),
      ]);
  assert.deepEqual(norm(got), norm(want), line);
}

const TYPE_BITS: Record<string, number> = {
  keyword: 1,
  long: 2,
  double: 4,
  boolean: 8,
  date: 16,
  ip: 32,
};

/** The part's field types, unsure strings typed by `typeOf`, equal the mapping's. */
function assertTypes(part: WasmPart, mapping: IndexMapping, unsure: Int32Array[]) {
  const got = new Map<string, number>();
  for (let id = 1; id < part.pathCount; id++) {
    const path = part.path(id);
    got.set(path, (got.get(path) ?? 0) | part.pathTypes(id));
  }
  for (const list of unsure)
    for (let k = 0; k < list.length; k += 2) {
      const path = part.path(list[k]!);
      got.set(path, got.get(path)! | TYPE_BITS[typeOf(part.unsureValue(list[k]!, list[k + 1]!))]!);
    }
  const want = new Map(
    mapping.list().map((f) => [f.path, f.types.reduce((m, t) => m | TYPE_BITS[t]!, 0)]),
  );
  for (const [path, bits] of got) assert.equal(bits, want.get(path) ?? 0, path);
  for (const [path, bits] of want) assert.equal(got.get(path), bits, path);
}

function scanLines(part: WasmPart, lines: string[], firstRow = 0) {
  return part.scan(Buffer.from(lines.join('\n')), firstRow);
}

/** A seeded generator of JSON text, ordinary and odd. */
function randomJson(seed: number) {
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const chars = [
    'a',
    'b',
    'Z',
    '0',
    ' ',
    '.',
    '-',
    '_',
    '"',
    '\\',
    '/',
    '\n',
    '\t',
    '\u0001',
    'é',
    '€',
    '😀',
    '\u007f',
  ];
  const str = () => {
    let s = '';
    const n = Math.floor(rand() * 12);
    for (let i = 0; i < n; i++) s += pick(chars);
    return s;
  };
  const keys = [
    'a',
    'b',
    'level',
    'message',
    'k.d',
    'é',
    'x y',
    '0',
    '12',
    '01',
    '-1',
    '__proto__',
    '',
  ];
  const num = (): string => {
    const forms = [
      () => String(Math.floor(rand() * 1000) - 500),
      () => (rand() * 1000 - 500).toFixed(Math.floor(rand() * 6)),
      () => `${Math.floor(rand() * 100)}e${Math.floor(rand() * 50) - 25}`,
      () => `${(rand() * 10).toFixed(3)}E+${Math.floor(rand() * 30)}`,
      () => String(Math.floor(rand() * 2 ** 53) * (rand() < 0.5 ? 1 : 2)),
      () =>
        pick([
          '0',
          '-0',
          '0.0',
          '-0.0',
          '1e400',
          '-1e-400',
          '123456789012345678901234',
          '0.1',
          '2.5e-3',
          '9007199254740993',
        ]),
    ];
    return pick(forms)();
  };
  const value = (depth: number): string => {
    const r = rand();
    if (depth > 3 || r < 0.35) return JSON.stringify(str());
    if (r < 0.55) return num();
    if (r < 0.62) return pick(['true', 'false', 'null']);
    if (r < 0.75)
      return `[${Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1)).join(',')}]`;
    return object(depth + 1);
  };
  const object = (depth: number): string => {
    const n = Math.floor(rand() * 5);
    const members: string[] = [];
    for (let i = 0; i < n; i++)
      members.push(`${JSON.stringify(pick(keys))}${rand() < 0.1 ? ' ' : ''}:${value(depth)}`);
    return `{${members.join(rand() < 0.1 ? ' , ' : ',')}}`;
  };
  return () => object(0);
}

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
        mapping.observeDocument(JSON.parse(line) as Record<string, unknown>);
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
  for (const line of lines) mapping.observeDocument(JSON.parse(line) as Record<string, unknown>);
  const unsure = part.unsure();
  assertTypes(part, mapping, [unsure]);
  // Only what the core cannot decide is left to typeOf: other date layouts, IPv6-like strings.
  for (let k = 0; k < unsure.length; k += 2) {
    const v = part.unsureValue(unsure[k]!, unsure[k + 1]!);
    assert.ok(/^\d{4}-\d{2}-\d{2}/.test(v) || v.includes(':'), v);
  }
  assert.equal(unsure.length / 2, 12);
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
      mapping.observeDocument(source);
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

test('a part saved and taken by another instance reads and encodes the same, and takes more lines', () => {
  const next = randomJson(5);
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 2
      ? next()
      : `{"a":"v${i % 40}","n":${i},"@timestamp":"2026-11-29T10:00:${String(i % 60).padStart(2, '0')}Z"}`,
  );
  const a = new WasmPart();
  const r = scanLines(a, lines);
  const b = new WasmPart(structuredClone(a.saved()));
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
  for (const line of lines) mapping.observeDocument(JSON.parse(line) as Record<string, unknown>);
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
  const b = new WasmPart(undefined, a.shared());
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
