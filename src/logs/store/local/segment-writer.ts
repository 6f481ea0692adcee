/**
 * @module
 * Writes one immutable segment: the documents of one index in one partition, sorted by time
 * (then id), cut into blocks of {@link BLOCK_DOCS}; per block a time section, an id section, a
 * shape section (see `shape.ts`), one column per path, and per indexed column a bloom filter
 * over the tokens of its values; per segment a bloom filter over the ids. The file is written
 * whole or not at all (`segment-file.ts`).
 *
 * Within a block, what searches read first is written last and side by side: the dictionary
 * columns, then the frequent-token sections, then the time section, whose ms part every search
 * reads. A reader fetches neighbouring sections with one `pread`
 * (`block-prefetch.ts`): a common word's histogram reads a dictionary column, a frequent-token
 * section and the times of every block of its range.
 */

import { bitWidth, packBits } from '../../../lib/encoding/bit-pack.js';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import type { FieldValue } from '../../model/fields.js';
import { ColumnBuilder, dictionaryOf, encodeColumn, MAX_DICT, packDictColumn } from './column.js';
import {
  BLOCK_DOCS,
  type BlockMeta,
  PAGE_BYTES,
  SEGMENT_VERSION,
  type Codec,
  DEFAULT_CODEC,
  encodeSection,
  ID_BLOOM_BITS_PER_KEY,
  PAGE_CODEC,
  sectionCodecFor,
  TIME_PACKED,
  TIME_VARINT,
  type ColumnMeta,
  type Section,
  type SegmentFooter,
} from './segment-format.js';
import { SegmentFile } from './segment-file.js';
import { bloomAdd, bloomSize, hashKey } from './bloom.js';
import { encodeIdSet } from './id-set.js';
import { ColumnTokenIndex, type IndexSizes } from './frequent-tokens.js';
import { encodeTimeColumn, TIME_PATH } from './time-column.js';
import { TokenBloomBuilder } from './token-bloom.js';
import { PathNode, shapeTrie, walkDocument } from './walk.js';

/** One path's column of one block, as an input with {@link SegmentInput.blockColumns} gives it. */
export interface BlockColumn {
  readonly path: string;
  /** Its values (an input may fill the builder on the first call). */
  values(): ColumnBuilder;
  /**
   * The block's documents `[from, to)` of it as `encodeColumn` writes them, when the input holds
   * them encoded; the writer encodes {@link values} without it.
   */
  readonly encode?: (from: number, to: number) => Buffer;
  /** Its strings' UTF-16 units (`ColumnBuilder.stringLength`), when the input counts them. */
  readonly stringLength?: () => number;
  /**
   * Its tokens for pages of `pageDocs` documents, as `ColumnTokenIndex` finds them, when the
   * input can index them; the writer indexes {@link values} without it (or when it gives none).
   */
  readonly tokens?: (pageDocs: number) => TokenIndex | undefined;
}

/** What the writer takes from a plain column's token index (`frequent-tokens.ts`). */
export type TokenIndex = Pick<ColumnTokenIndex, 'bloom' | 'frequent' | 'pageBlooms'>;

/** The documents of a segment, in any order. */
export interface SegmentInput {
  readonly index: string;
  readonly length: number;
  readonly ids: readonly string[];
  readonly ms: ArrayLike<number>;
  readonly ns: ArrayLike<number>;
  /**
   * Document `row`'s source. Asked once per document, in segment order, block by block; the
   * writer keeps no source past its block (an input may parse each one on demand). Not asked
   * when the input has {@link fillBlock}.
   */
  source(row: number): Readonly<Record<string, unknown>>;
  /**
   * An input that holds its documents as columns: adds the leaf values of `rows` (block row
   * `j` is row `rows[j]`) to the builder `column(path)` returns, in the order a walk of each
   * document would (`walk.ts`), and each row's shape text to `shapes`.
   */
  fillBlock?(
    rows: Uint32Array,
    column: (path: string) => ColumnBuilder,
    shapes: ColumnBuilder,
  ): void;
  /**
   * An input that holds its documents as columns in segment order (the writer fails on one
   * that is not in it): the columns of its rows `[start, end)`, with values or with their
   * encoded bytes (`core-flush.ts`), and each row's shape text in `shapes`. Taken over
   * {@link fillBlock}.
   */
  blockColumns?(start: number, end: number, shapes: ColumnBuilder): BlockColumn[];
  /**
   * With {@link blockColumns}: the id column of rows `[start, end)` as `encodeColumn` writes it,
   * and the ids' `hashKey`s, two u32 a row (undefined: the writer hashes {@link ids}).
   */
  blockIds?(
    start: number,
    end: number,
  ): { readonly column: Uint8Array; readonly hashes: Uint32Array | undefined };
  /**
   * With {@link fillBlock}: per block row, the code of the `@timestamp` value the input holds
   * as a time code (`time-column.ts`, `TimeCoder`) and left out of the column it fills, else 0.
   */
  timeCodes?(rows: Uint32Array): Uint8Array | undefined;
  /** Bytes of the sources as JSON (for the compression figures). */
  readonly rawBytes: number;
}

export interface WriteSegmentOptions {
  /** Paths past the index's field limit: stored, but their tokens are not indexed. */
  readonly unindexed?: ReadonlySet<string>;
  /**
   * Compression of the sections over `SMALL_SECTION_BYTES` but pages ({@link PAGE_CODEC});
   * {@link DEFAULT_CODEC} by default.
   */
  readonly codec?: Codec;
  /** Raw size above which a plain column is written as pages: {@link PAGE_BYTES} by default. */
  readonly pageBytes?: number;
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
  const packedOrCompressed = new PackedOrCompressed(codec);
  const unindexed = options.unindexed ?? new Set<string>();
  const pageBytes = options.pageBytes ?? PAGE_BYTES;
  /** By path index, what its column's token index grew to in the block before. */
  const indexSizes = new Map<number, IndexSizes>();
  // Most flushes arrive already in time order: the check skips the sort then.
  const inOrder = inSegmentOrder(input.ms, input.ns);
  const order = sortedOrder(input, inOrder);
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
    const section = (c?: Codec): Section => {
      const raw = w.bytes();
      return file.put(encodeSection(c ?? sectionCodecFor(codec, raw.length), raw));
    };
    const h = new Uint32Array(2);
    /** Each id's hash for the id set, taken while the block filters hash the ids. */
    const idHashes = new Uint32Array(input.length);
    const addBloom = (bits: Uint8Array): [number, number] => {
      blooms.push(bits);
      bloomBytes += bits.length;
      return [bloomBytes - bits.length, bits.length];
    };
    /**
     * Sections of the block written after its others ({@link placeLater}): dictionary columns,
     * then frequent-token sections.
     */
    const codeCols: Later[] = [];
    const frequents: Later[] = [];
    /**
     * `meta`, a plain column's footer entry, with its frequent-token section of `index` queued
     * for `meta[5]` and `meta[6]`; a whole column without one loses those two.
     */
    const frequentSection = (index: TokenIndex, meta: Later['meta']): ColumnMeta => {
      const frequent = index.frequent();
      // Uncompressed: a lookup reads it as it is (`frequent-tokens.ts`).
      if (frequent !== undefined) {
        meta[6] = frequent.length;
        frequents.push({ bytes: frequent, meta, at: 5 });
      } else if (meta.length === 7) meta.length = 5;
      return meta as unknown as ColumnMeta;
    };
    /** Writes the column `col` of `rows` and its blooms; returns its footer entry. */
    const writeColumn = (pi: number, col: BlockColumn, rows: Uint32Array): ColumnMeta => {
      const p = col.path;
      const n = rows.length;
      let built: ColumnBuilder | undefined;
      const values = (): ColumnBuilder => (built ??= col.values());
      const indexed = !unindexed.has(p);
      // Asked of plain columns only: a dictionary column's size does not matter.
      let units: number | undefined;
      const stringLength = (): number => (units ??= col.stringLength?.() ?? values().stringLength);
      /** The column's tokens, for pages of `pageDocs`. */
      const tokensOf = (pageDocs: number): TokenIndex =>
        col.tokens?.(pageDocs) ?? indexPlain(values(), pageDocs, indexSizes, pi);
      /** Writes documents `[from, to)` of the column into `w` as `encodeColumn` does. */
      const encode = (from: number, to: number): FieldValue[] | undefined => {
        if (col.encode === undefined) {
          const b = values();
          return encodeColumn(w, from === 0 && to === n ? b : b.slice(from, to));
        }
        const bytes = col.encode(from, to);
        w.raw(bytes);
        return dictionaryOf(bytes);
      };
      w.reset();
      // A time column's tokens are those of the values it keeps as they are: the others are
      // dates, which have none (and indexing them cost a date parse each).
      const rest =
        p === TIME_PATH
          ? encodeTimeColumn(
              w,
              values(),
              inBlockOrder(input.ms, rows),
              inBlockOrder(input.ns, rows),
              input.timeCodes?.(rows),
            )
          : undefined;
      const dict = rest !== undefined ? undefined : encode(0, n);
      // A dictionary stays whole: it compresses to almost nothing and is never searched by bytes.
      if (dict !== undefined) {
        // Written with the block's other small sections that filters read ({@link placeLater}).
        const packed = dict.length <= MAX_DICT ? packDictColumn(w.bytes(), n) : undefined;
        const bytes = packedOrCompressed.section(pi, w.bytes(), packed, n);
        const bloom = indexed ? addBloom(tokenBloom(tokens, dict)) : [0, 0];
        const meta = [pi, 0, bytes.length, bloom[0]!, bloom[1]!];
        codeCols.push({ bytes, meta, at: 1 });
        return meta as unknown as ColumnMeta;
      }
      if (rest !== undefined || stringLength() <= pageBytes) {
        const [o, l] = section();
        if (!indexed) return [pi, o, l, 0, 0];
        const index = rest !== undefined ? indexPlain(rest, n, indexSizes, pi) : tokensOf(n);
        return frequentSection(index, [pi, o, l, ...addBloom(index.bloom()), 0, 0]);
      }
      // Pages of about `pageBytes` each, and as many documents.
      const pageDocs = Math.ceil(n / Math.ceil(stringLength() / pageBytes));
      const index = indexed ? tokensOf(pageDocs) : undefined;
      const pageBlooms = index?.pageBlooms() ?? [];
      const pages: number[] = [];
      const at = file.offset;
      const bloomAt = bloomBytes;
      for (let k = 0; k * pageDocs < n; k++) {
        w.reset();
        const to = Math.min(n, (k + 1) * pageDocs);
        encode(k * pageDocs, to);
        const bits = pageBlooms[k];
        pages.push(
          to - k * pageDocs,
          section(PAGE_CODEC)[1],
          bits === undefined ? 0 : addBloom(bits)[1],
        );
      }
      const len = file.offset - at;
      const meta = [pi, at, len, bloomAt, bloomBytes - bloomAt, 0, 0, pages];
      return index === undefined ? (meta as unknown as ColumnMeta) : frequentSection(index, meta);
    };
    for (let start = 0; start < input.length; start += BLOCK_DOCS) {
      const rows = order.subarray(start, Math.min(start + BLOCK_DOCS, input.length));
      const n = rows.length;
      let cols: BlockColumn[];
      const shapes = new ColumnBuilder(n);
      const ids = new ColumnBuilder(n);
      let idColumn: Uint8Array | undefined;
      let idHash: Uint32Array | undefined;
      const stamp = blockNo++;
      let j = 0;
      // Two path nodes can name one path (`{"a.b":1}` and `{"a":{"b":1}}`): they share a builder.
      const builders = new Map<string, ColumnBuilder>();
      const builder = (path: string): ColumnBuilder => {
        let b = builders.get(path);
        if (b === undefined) builders.set(path, (b = new ColumnBuilder(n)));
        return b;
      };
      const onLeaf = (node: PathNode<ColumnBuilder>, v: FieldValue) => {
        if (node.stamp !== stamp) {
          node.stamp = stamp;
          node.slot = builder(node.path);
        }
        node.slot!.add(j, v);
      };
      if (input.blockColumns !== undefined) {
        if (!inOrder) throw new Error('an input of columns in segment order is not in it');
        const blockIds = input.blockIds?.(start, start + n);
        if (blockIds !== undefined) ({ column: idColumn, hashes: idHash } = blockIds);
        else for (let k = 0; k < n; k++) ids.add(k, input.ids[start + k]!);
        cols = input.blockColumns(start, start + n, shapes);
      } else {
        if (input.fillBlock !== undefined) {
          for (let k = 0; k < n; k++) ids.add(k, input.ids[rows[k]!]!);
          input.fillBlock(rows, builder, shapes);
        } else {
          for (; j < n; j++) {
            const r = rows[j]!;
            ids.add(j, input.ids[r]!);
            shapes.add(j, walkDocument(input.source(r), root, trie, onLeaf)!.text);
          }
        }
        cols = [];
        for (const [path, b] of builders) cols.push({ path, values: () => b });
      }
      w.reset();
      if (idColumn !== undefined) w.raw(idColumn);
      else encodeColumn(w, ids);
      const idSec = section();
      const idBits = new Uint8Array(bloomSize(n, ID_BLOOM_BITS_PER_KEY));
      for (let k = 0; k < n; k++) {
        if (idHash === undefined) hashKey(input.ids[rows[k]!]!, h);
        else {
          h[0] = idHash[2 * k]!;
          h[1] = idHash[2 * k + 1]!;
        }
        bloomAdd(idBits, h);
        // The id set keeps the first of the pair (`idHash`).
        idHashes[start + k] = h[0]!;
      }
      const idBloom = addBloom(idBits);
      w.reset();
      encodeColumn(w, shapes);
      const shapeSec = section();
      const colMeta: ColumnMeta[] = [];
      for (const col of cols) {
        let pi = paths.get(col.path);
        if (pi === undefined) paths.set(col.path, (pi = paths.size));
        colMeta.push(writeColumn(pi, col, rows));
      }
      placeLater(file, codeCols);
      placeLater(file, frequents);
      const time = file.put(encodeTime(packedOrCompressed, input.ms, input.ns, rows));
      blocks.push({
        count: n,
        minMs: input.ms[rows[0]!]!,
        maxMs: input.ms[rows[n - 1]!]!,
        time,
        ids: idSec,
        shapes: shapeSec,
        cols: colMeta,
        idBloom,
      });
    }
    const bloomStart = file.offset;
    for (const b of blooms) file.put(b);
    const idBloom = file.put(encodeIdSet(idHashes.sort()));
    const footer: SegmentFooter = {
      version: SEGMENT_VERSION,
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

/**
 * True when the rows at times `ms`/`ns` are in segment order as they are: strictly increasing
 * times (equal times would be ordered by id).
 */
export function inSegmentOrder(ms: ArrayLike<number>, ns: ArrayLike<number>): boolean {
  for (let i = 1; i < ms.length; i++)
    if (!(ms[i - 1]! < ms[i]! || (ms[i - 1] === ms[i] && ns[i - 1]! < ns[i]!))) return false;
  return true;
}

/** Row order by (ms, ns, id); the rows as they are when `inOrder`. */
function sortedOrder(input: SegmentInput, inOrder: boolean): Uint32Array {
  const order = new Uint32Array(input.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (inOrder) return order;
  const { ms, ns, ids } = input;
  return order.sort(
    (a, b) =>
      ms[a]! - ms[b]! || ns[a]! - ns[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0),
  );
}

/**
 * Bytes per document a section stored bit-packed may take beyond the compressed form of the
 * same data and still be chosen: a decompressor call on a small section costs a search 20–45 µs
 * of setup, a stored one nothing, and every search that reaches a block reads its time deltas
 * and the dictionary columns it filters on. An eighth of a byte per document is 1 KiB a block
 * (0.12 bytes per line of a disk budget of ~44).
 */
const STORED_SLACK_PER_DOC = 1 / 8;

/**
 * Blocks in a row that a column's packed form may be stored without its compressed form made to
 * compare, once packing won ({@link PackedOrCompressed}).
 */
const RECHECK_BLOCKS = 8;

/** The time section's key among the columns' in a {@link PackedOrCompressed}. */
const TIME_SECTION = 'time';

/**
 * Chooses between the packed and the compressed forms of a block's small sections, column by
 * column: `packed` stored as it is, when it is at most {@link STORED_SLACK_PER_DOC} a document
 * larger than the plain form compressed, else that. A column whose packed form won and takes at
 * most half a byte a document is stored packed for the next {@link RECHECK_BLOCKS} − 1 blocks
 * without compressing its plain form to compare: levels, methods and streams are packed block
 * after block, and compressing them for nothing took ~4 % of a flush. Half a byte a document
 * bounds what a column that turns more compressible meanwhile can cost.
 */
class PackedOrCompressed {
  /** Per column, the blocks since its packed form last won a comparison. */
  readonly #since = new Map<number | string, number>();

  constructor(readonly codec: Codec) {}

  /** The section for `plain` or `packed`, the data of `n` documents of column `key`. */
  section(key: number | string, plain: Uint8Array, packed: Uint8Array | undefined, n: number) {
    if (packed === undefined) {
      return encodeSection(sectionCodecFor(this.codec, plain.length), plain);
    }
    const since = this.#since.get(key);
    if (since !== undefined && since < RECHECK_BLOCKS && 2 * packed.length <= n) {
      this.#since.set(key, since + 1);
      return encodeSection(undefined, packed);
    }
    const compressed = encodeSection(sectionCodecFor(this.codec, plain.length), plain);
    if (packed.length + 1 <= compressed.length + n * STORED_SLACK_PER_DOC) {
      this.#since.set(key, 1);
      return encodeSection(undefined, packed);
    }
    this.#since.delete(key);
    return compressed;
  }
}

/**
 * The time section: `uvarint L`, then the ms as an `L`-byte section (as {@link
 * PackedOrCompressed} picks: the zig-zag deltas from the previous row compressed, or the deltas
 * bit-packed, stored), then the ns as uvarints, uncompressed, or nothing when every ns is 0.
 * Nanoseconds that are there are nearly random (brotli saved half a byte of their three), and
 * every search that reads a block reads its times: left uncompressed they cost no decompression.
 */
function encodeTime(
  choice: PackedOrCompressed,
  ms: ArrayLike<number>,
  ns: ArrayLike<number>,
  rows: Uint32Array,
): Buffer {
  const n = rows.length;
  const w = new ByteWriter(n * 2);
  w.u8(TIME_VARINT);
  let prev = 0;
  let min = Infinity;
  let max = 0;
  for (let j = 0; j < n; j++) {
    const t = ms[rows[j]!]!;
    w.varint(t - prev);
    if (j > 0) {
      min = Math.min(min, t - prev);
      max = Math.max(max, t - prev);
    }
    prev = t;
  }
  const plain = Buffer.from(w.bytes());
  // Rows are in time order: deltas after the first are ≥ 0.
  const width = n < 2 ? 0 : bitWidth(max - min);
  let packed: Buffer | undefined;
  if (width !== undefined && n > 0) {
    w.reset();
    w.u8(TIME_PACKED);
    w.varint(ms[rows[0]!]!);
    w.uvarint(n < 2 ? 0 : min);
    w.u8(width);
    const deltas = new Float64Array(Math.max(0, n - 1));
    for (let j = 1; j < n; j++) deltas[j - 1] = ms[rows[j]!]! - ms[rows[j - 1]!]!;
    packBits(w, deltas, n - 1, n < 2 ? 0 : min, width);
    packed = Buffer.from(w.bytes());
  }
  const msPart = choice.section(TIME_SECTION, plain, packed, n);
  w.reset();
  w.uvarint(msPart.length);
  w.raw(msPart);
  if (rows.some((r) => ns[r] !== 0)) for (const r of rows) w.uvarint(ns[r]!);
  return Buffer.from(w.bytes());
}

/** `values` of `rows`, in block order. */
function inBlockOrder(values: ArrayLike<number>, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j]!]!;
  return out;
}

/** The token filter of a dictionary column's (distinct) values. */
function tokenBloom(tokens: TokenBloomBuilder, values: readonly FieldValue[]): Uint8Array {
  for (const v of values) tokens.add(v);
  return tokens.build();
}

/** A section of a block written after the block's others, over the offset `meta[at]`. */
interface Later {
  readonly bytes: Uint8Array;
  /** A column's footer entry, its offset (and length) still to be filled in. */
  readonly meta: (number | readonly number[])[];
  readonly at: number;
}

/**
 * Writes the sections `later`, end to end, filling in their offsets, and empties it. A block's
 * dictionary columns, then its frequent-token sections, then its time section end the block:
 * the ms of every block and the small sections that most searches' filters read lie side by
 * side, where one read fetches them (`block-prefetch.ts`).
 */
function placeLater(file: SegmentFile, later: Later[]): void {
  for (const { bytes, meta, at } of later) meta[at] = file.put(bytes)[0];
  later.length = 0;
}

/**
 * A plain column's tokens, document by document: its bloom filter (or one per page of
 * `pageDocs` documents) and frequent tokens.
 */
function indexPlain(
  b: ColumnBuilder,
  pageDocs: number,
  sizes: Map<number, IndexSizes>,
  path: number,
): ColumnTokenIndex {
  const index = new ColumnTokenIndex(b.length, pageDocs, sizes.get(path));
  let k = 0;
  for (let doc = 0; doc < b.length; doc++) {
    for (let c = b.counts[doc]!; c > 0; c--) index.add(doc, b.values[k++]!);
  }
  sizes.set(path, index.sizes());
  return index;
}
