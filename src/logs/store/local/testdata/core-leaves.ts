/**
 * @module
 * What the ingest core's tests compare it with: the JavaScript walk's leaves of a line, the
 * core's leaves of a row, the mapping's types, and a generator of JSON text, ordinary and odd.
 */

import assert from 'node:assert/strict';
import { type FieldValue, typeOf } from '../../../model/fields.js';
import type { IndexMapping } from '../mapping.js';
import { TIME_PATH, TimeDecoder } from '../time-column.js';
import {
  KIND_FALSE,
  KIND_NUMBER,
  KIND_RAW,
  KIND_STRING,
  KIND_TRUE,
  type WasmPart,
} from '../wasm-part.js';
import { PathNode, walkDocument } from '../walk.js';

/**
 * Per dotted path, the values of row `row` in the part, in document order per path node; a
 * `@timestamp` that went as a time code as the text its code and time stand for.
 */
export function rowLeaves(part: WasmPart, row: number): Map<string, FieldValue[]> {
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
export function jsLeaves(line: string): Map<string, FieldValue[]> {
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
 * Records the leaves of `line` in `mapping` with the types `typeOf` gives them: the mapping the
 * core's types must make.
 */
export function observeLine(mapping: IndexMapping, line: string): void {
  for (const [path, values] of jsLeaves(line)) mapping.observeTypes(path, values.map(typeOf));
}

/**
 * Values compared with `Object.is` (so -0 and 0 differ), paths in any order, and the values of
 * one path in any order too: two path nodes can have one dotted path (`{"k.d":1,"k":{"d":2}}`).
 */
export function assertSameLeaves(
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
export function assertTypes(part: WasmPart, mapping: IndexMapping, unsure: Int32Array[]) {
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

export function scanLines(part: WasmPart, lines: string[], firstRow = 0) {
  return part.scan(Buffer.from(lines.join('\n')), firstRow);
}

/** A seeded generator of JSON text, ordinary and odd. */
export function randomJson(seed: number) {
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
