/**
 * @module
 * Writes one immutable segment: the documents of one index in one partition, sorted by time
 * (then id), cut into blocks of {@link BLOCK_DOCS}; per block a time section, an id section, a
 * shape section (see `shape.ts`), one column per path, and per indexed column a bloom filter
 * over the tokens of its values; per segment a bloom filter over the ids. The file is written
 * whole or not at all (`segment-file.ts`).
 */

import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import type { FieldValue } from '../../model/fields.js';
import { buildBloom } from './bloom.js';
import { ColumnBuilder, encodeColumn } from './column.js';
import {
  BLOCK_DOCS,
  type BlockMeta,
  type Codec,
  compress,
  DEFAULT_CODEC,
  type ColumnMeta,
  type Section,
  type SegmentFooter,
} from './segment-format.js';
import { SegmentFile } from './segment-file.js';
import { ColumnTokenIndex } from './frequent-tokens.js';
import { TokenBloomBuilder } from './token-bloom.js';
import { PathNode, shapeTrie, walkDocument } from './walk.js';

/** The documents of a segment, in any order. */
export interface SegmentInput {
  readonly index: string;
  readonly length: number;
  readonly ids: readonly string[];
  readonly ms: ArrayLike<number>;
  readonly ns: ArrayLike<number>;
  /**
   * Document `row`'s source. Asked once per document, in segment order, block by block; the
   * writer keeps no source past its block (an input may parse each one on demand).
   */
  source(row: number): Readonly<Record<string, unknown>>;
  /** Bytes of the sources as JSON (for the compression figures). */
  readonly rawBytes: number;
}

export interface WriteSegmentOptions {
  /** Paths past the index's field limit: stored, but their tokens are not indexed. */
  readonly unindexed?: ReadonlySet<string>;
  readonly codec?: Codec;
}

/**
 * Writes `input` as the segment file `path` and returns its footer.
 *
 * @example
 * const footer = writeSegment('/data/logs/indices/app/2024-05-06/0000000000000001.seg', input);
 */
export function writeSegment(
  path: string,
  input: SegmentInput,
  options: WriteSegmentOptions = {},
): SegmentFooter {
  const codec = options.codec ?? DEFAULT_CODEC;
  const unindexed = options.unindexed ?? new Set<string>();
  const order = sortedOrder(input);
  const file = new SegmentFile(path);
  try {
    const paths = new Map<string, number>();
    const blocks: BlockMeta[] = [];
    const blooms: Uint8Array[] = [];
    let bloomBytes = 0;
    const w = new ByteWriter(1 << 20);
    const root = new PathNode<ColumnBuilder>('');
    const trie = shapeTrie();
    const tokens = new TokenBloomBuilder();
    let blockNo = 0;
    const section = (): Section => file.put(compress(codec, w.bytes()));
    for (let start = 0; start < input.length; start += BLOCK_DOCS) {
      const rows = order.subarray(start, Math.min(start + BLOCK_DOCS, input.length));
      const n = rows.length;
      const cols = new Map<string, ColumnBuilder>();
      const shapes = new ColumnBuilder(n);
      const ids = new ColumnBuilder(n);
      const stamp = blockNo++;
      let j = 0;
      // Two path nodes can name one path (`{"a.b":1}` and `{"a":{"b":1}}`): they share a builder.
      const onLeaf = (node: PathNode<ColumnBuilder>, v: FieldValue) => {
        if (node.stamp !== stamp) {
          node.stamp = stamp;
          let b = cols.get(node.path);
          if (b === undefined) cols.set(node.path, (b = new ColumnBuilder(n)));
          node.slot = b;
        }
        node.slot!.add(j, v);
      };
      for (; j < n; j++) {
        const r = rows[j]!;
        ids.add(j, input.ids[r]!);
        shapes.add(j, walkDocument(input.source(r), root, trie, onLeaf)!.text);
      }
      w.reset();
      encodeTime(w, input, rows);
      const time = section();
      w.reset();
      encodeColumn(w, ids);
      const idSec = section();
      w.reset();
      encodeColumn(w, shapes);
      const shapeSec = section();
      const colMeta: ColumnMeta[] = [];
      for (const [p, b] of cols) {
        w.reset();
        const dict = encodeColumn(w, b);
        const [o, l] = section();
        let pi = paths.get(p);
        if (pi === undefined) paths.set(p, (pi = paths.size));
        if (unindexed.has(p)) {
          colMeta.push([pi, o, l, 0, 0]);
          continue;
        }
        let bloom: Uint8Array;
        if (dict !== undefined) {
          bloom = tokenBloom(tokens, dict);
          colMeta.push([pi, o, l, bloomBytes, bloom.length]);
        } else {
          const index = indexPlain(b);
          bloom = index.bloom();
          const frequent = index.frequent();
          if (frequent === undefined) colMeta.push([pi, o, l, bloomBytes, bloom.length]);
          else
            colMeta.push([
              pi,
              o,
              l,
              bloomBytes,
              bloom.length,
              ...file.put(compress(codec, frequent)),
            ]);
        }
        blooms.push(bloom);
        bloomBytes += bloom.length;
      }
      blocks.push({
        count: n,
        minMs: input.ms[rows[0]!]!,
        maxMs: input.ms[rows[n - 1]!]!,
        time,
        ids: idSec,
        shapes: shapeSec,
        cols: colMeta,
      });
    }
    const bloomStart = file.offset;
    for (const b of blooms) file.put(b);
    const idBloom = file.put(buildBloom(input.ids));
    const footer: SegmentFooter = {
      version: 1,
      index: input.index,
      codec,
      count: input.length,
      minMs: input.length ? input.ms[order[0]!]! : 0,
      maxMs: input.length ? input.ms[order[input.length - 1]!]! : 0,
      rawBytes: input.rawBytes,
      paths: [...paths.keys()],
      blocks,
      idBloom,
      blooms: [bloomStart, file.offset - bloomStart],
    };
    file.finish(footer);
    return footer;
  } catch (err) {
    file.abort();
    throw new Error(`cannot write segment: ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Row order by (ms, ns, id). */
function sortedOrder(input: SegmentInput): Uint32Array {
  const order = new Uint32Array(input.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const { ms, ns, ids } = input;
  // Most flushes arrive already (nearly) in time order; a sorted check skips the sort then.
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) {
    sorted = ms[i - 1]! < ms[i]! || (ms[i - 1] === ms[i] && ns[i - 1]! < ns[i]!);
  }
  if (sorted) return order;
  return order.sort(
    (a, b) =>
      ms[a]! - ms[b]! || ns[a]! - ns[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0),
  );
}

/** ms as zig-zag deltas from the previous row, then ns as uvarints. */
function encodeTime(w: ByteWriter, input: SegmentInput, rows: Uint32Array): void {
  let prev = 0;
  for (const r of rows) {
    const ms = input.ms[r]!;
    w.varint(ms - prev);
    prev = ms;
  }
  for (const r of rows) w.uvarint(input.ns[r]!);
}

/** The token filter of a dictionary column's (distinct) values. */
function tokenBloom(tokens: TokenBloomBuilder, values: readonly FieldValue[]): Uint8Array {
  for (const v of values) tokens.add(v);
  return tokens.build();
}

/** A plain column's tokens, document by document: its bloom filter and frequent tokens. */
function indexPlain(b: ColumnBuilder): ColumnTokenIndex {
  const index = new ColumnTokenIndex(b.length);
  let k = 0;
  for (let doc = 0; doc < b.length; doc++) {
    for (let c = b.counts[doc]!; c > 0; c--) index.add(doc, b.values[k++]!);
  }
  return index;
}
