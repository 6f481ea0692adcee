/**
 * @module
 * The on-disk layout shared by the segment writer and reader (docs/format/log-segment.md):
 *
 * ```
 * "VLSEG\0\0\x01" | block 0 sections | block 1 sections | … | blooms | id set | footer | trailer
 * trailer: u32 footer offset (LE), u32 footer length, u32 CRC-32C of the footer, "VLSEGEND"
 * ```
 *
 * Each block section (time, ids, shapes, one per column) is compressed on its own, so a search
 * decompresses only the columns its filter reads; since version 3 each starts with a codec
 * byte, so that a small section already compact (bit-packed) is stored and read with no
 * decompressor call. The footer is compressed JSON: block
 * metadata is a few hundred bytes per block of thousands of documents, and JSON keeps it easy to
 * read and to extend.
 */

import {
  brotliCompressSync,
  brotliDecompress,
  brotliDecompressSync,
  constants,
  deflateRawSync,
  inflateRaw,
  inflateRawSync,
} from 'node:zlib';
import { getUvarint, putUvarint, uvarintSize } from '../../../lib/encoding/varint.js';

export const SEGMENT_MAGIC = Buffer.from('VLSEG\0\0\x01', 'latin1');
export const SEGMENT_END_MAGIC = Buffer.from('VLSEGEND', 'latin1');
export const SEGMENT_TRAILER = 20;

/**
 * Documents per block. Big enough that columns compress well (8 192 log lines are about 2 MB
 * raw) and that the per-block metadata and bloom filter stay a small share; small enough that a
 * rare term found in one block costs decoding 8 192 documents' columns (a few ms), not a whole
 * segment.
 */
export const BLOCK_DOCS = 8192;

/** `[offset, length]` of a compressed section in the file. */
export type Section = readonly [number, number];

/**
 * Raw bytes above which a plain column of a block is written as pages, each compressed on its
 * own with its own token bloom. A rare word then costs decompressing one page of the message
 * column, not the whole (about 1 MB for 8 192 benchmark lines, 1–1.5 ms with brotli), while
 * columns below this size, which compress best whole, stay whole.
 */
export const PAGE_BYTES = 128 * 1024;

/** A column of a block in the footer; see {@link BlockMeta.cols}. */
export type ColumnMeta =
  | readonly [number, number, number, number, number]
  | readonly [number, number, number, number, number, number, number]
  | readonly [number, number, number, number, number, number, number, readonly number[]];

/** One page of a paged column: its documents, compressed bytes and bloom filter. */
export interface Page {
  /** The page's first document in the block, and how many it holds. */
  readonly start: number;
  readonly docs: number;
  readonly section: Section;
  /** `[offset within the bloom region, length]`; length 0 when the column is not indexed. */
  readonly bloom: Section;
}

/** The frequent-token section of a column, if it has one. */
export function frequentSection(c: ColumnMeta): Section | undefined {
  return c.length === 5 || c[6] === 0 ? undefined : [c[5], c[6]];
}

/**
 * The pages of a paged column (`c[7]`: per page its document count, section length and bloom
 * length, the pages' sections and blooms lying end to end from `c[1]` and `c[3]`), or undefined
 * for a column written whole.
 */
export function pagesOf(c: ColumnMeta): Page[] | undefined {
  if (c.length !== 8) return undefined;
  const flat = c[7];
  const pages: Page[] = [];
  let start = 0;
  let off = c[1];
  let bloomOff = c[3];
  for (let k = 0; k + 2 < flat.length; k += 3) {
    const [docs, len, bloomLen] = [flat[k]!, flat[k + 1]!, flat[k + 2]!];
    pages.push({ start, docs, section: [off, len], bloom: [bloomOff, bloomLen] });
    start += docs;
    off += len;
    bloomOff += bloomLen;
  }
  return pages;
}

/** One block in the footer. */
export interface BlockMeta {
  readonly count: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly time: Section;
  readonly ids: Section;
  readonly shapes: Section;
  /**
   * Per column: index into {@link SegmentFooter.paths}, offset, length, its token bloom
   * filter's offset within the bloom region and length (0 for a column past the field limit),
   * for a plain column with frequent tokens the offset and length of that section
   * (`frequent-tokens.ts`; absent, or 0 and 0 when the column has pages), and for a column
   * written as pages their sizes ({@link pagesOf}).
   */
  readonly cols: readonly ColumnMeta[];
  /**
   * The bloom filter of the block's ids ({@link ID_BLOOM_BITS_PER_KEY}): offset within the bloom
   * region and length. Absent in blocks written before 2026-12-02 (and copied from them), whose
   * ids a lookup decodes.
   */
  readonly idBloom?: readonly [number, number];
}

/**
 * Bits per id of a block's id bloom filter. An absent id passes a segment's id set with
 * probability `n / 2^32` (0.09 % at 3.9 M documents), and confirming it decoded every block's
 * ids: ~0.5–0.7 s a time on a segment of 483 blocks, ~0.5 ms a write on average per large
 * segment, so that writes with ids ran at ~800 a second into a 10 M-line store. At 10 bits an
 * id (six probes) about 0.8 % of blocks pass, ~4 of 483, for 1.25 bytes an id.
 */
export const ID_BLOOM_BITS_PER_KEY = 10;

/** The footer: everything needed to plan a search without reading blocks. */
export interface SegmentFooter {
  /**
   * 6 since {@link SegmentFooter.idBloom} holds an id set (`id-set.ts`), not a bloom filter; 5
   * since wide dictionary columns; 4 since each compressed section gives its decompressed length
   * after its codec byte; 3 since each section starts with its own codec byte
   * ({@link SectionCodec}); 2 since pages and time columns; a version 1 segment has neither and
   * reads the same.
   */
  readonly version: 1 | 2 | 3 | 4 | 5 | 6;
  readonly index: string;
  readonly codec: Codec;
  readonly count: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Bytes of the source documents as JSON, for the compression figures. */
  readonly rawBytes: number;
  readonly paths: readonly string[];
  readonly blocks: readonly BlockMeta[];
  /**
   * Over every document id (uncompressed): the id set since version {@link ID_SET_VERSION}, a
   * bloom filter before. The name stays for the footers already written.
   */
  readonly idBloom: Section;
  /** Where the column blooms start and end (the id set included), read in one go on open. */
  readonly blooms: Section;
}

/** The newest footer version this code reads and the one it writes. */
export const SEGMENT_VERSION = 6;

/** The first version whose `idBloom` section is an id set (`id-set.ts`). */
export const ID_SET_VERSION = 6;

/**
 * The oldest version whose blocks a concatenation may copy into a segment of
 * {@link SEGMENT_VERSION}: sections and columns are read the same from version 5 on.
 */
export const CONCAT_MIN_VERSION = 5;

/**
 * The first byte of a section since version 3: how the rest is stored. The footer's
 * `codec` is what the writer compresses with; a small section whose encoding is already compact
 * (bit-packed time deltas or dictionary codes) is stored as it is, and a search then reads it
 * with no decompressor call, whose setup is most of the cost of a section of a few KiB.
 */
export const enum SectionCodec {
  Stored = 0,
  Deflate = 1,
  Brotli = 2,
}

/**
 * The first byte of a version 3 time section's ms part, once decoded: the deltas as zig-zag
 * varints (as version 2 has them, compressed), or bit-packed (`varint` first ms, `uvarint`
 * smallest delta, `u8` width, then each delta minus the smallest; stored).
 */
export const TIME_VARINT = 0;
export const TIME_PACKED = 1;

const SECTION_CODEC: Record<Codec, SectionCodec> = {
  deflate: SectionCodec.Deflate,
  brotli: SectionCodec.Brotli,
};

/**
 * A section: the codec byte, then `raw` as it is when `codec` is undefined, or else the length
 * of `raw` (`uvarint`) and `raw` compressed with `codec`. The length lets a reader decompress
 * into one buffer of the right size: without it a section comes out in 16 KiB chunks joined by
 * a copy, a fifth of the time of a block's 188 KiB of ids (200–290 µs against 150–245 µs).
 *
 * @example
 * file.put(encodeSection('brotli', raw));
 */
export function encodeSection(codec: Codec | undefined, raw: Uint8Array): Buffer {
  const body = codec === undefined ? raw : compress(codec, raw);
  const at = codec === undefined ? 1 : 1 + uvarintSize(raw.length);
  const out = Buffer.allocUnsafe(at + body.length);
  out[0] = codec === undefined ? SectionCodec.Stored : SECTION_CODEC[codec];
  if (codec !== undefined) putUvarint(out, 1, raw.length);
  out.set(body, at);
  return out;
}

/**
 * How a section of a segment of `version` written with `codec` is stored ({@link SectionCodec}),
 * where its body starts and, since version 4, how long it is decompressed.
 */
function sectionCodec(
  version: number,
  codec: Codec,
  packed: Uint8Array,
): { codec: Codec | undefined; at: number; raw?: number } {
  if (version < 3) return { codec, at: 0 };
  let c: Codec;
  switch (packed[0]) {
    case SectionCodec.Stored:
      return { codec: undefined, at: 1 };
    case SectionCodec.Deflate:
      c = 'deflate';
      break;
    case SectionCodec.Brotli:
      c = 'brotli';
      break;
    default:
      throw new Error(`unknown codec byte ${packed[0]}`);
  }
  if (version < 4) return { codec: c, at: 1 };
  const cur = { off: 1 };
  const raw = getUvarint(packed, cur);
  return { codec: c, at: cur.off, raw };
}

/**
 * The output buffer for a section: its length and a byte, as zlib takes a full buffer for
 * output still to come and allocates another; `expected` for a section whose length is not
 * written (before version 4) or is past {@link MAX_SECTION_BYTES}.
 */
function outBytes(raw: number | undefined, expected: number | undefined): number | undefined {
  return raw === undefined || raw > MAX_SECTION_BYTES
    ? expected
    : Math.max(MIN_CHUNK_BYTES, raw + 1);
}

/**
 * The largest length of a section taken at its word for an output buffer: a damaged length
 * must not allocate gigabytes; a larger one, if any, comes out in chunks.
 */
const MAX_SECTION_BYTES = 64 * 1024 * 1024;

/** zlib's smallest output chunk. */
const MIN_CHUNK_BYTES = 64;

/**
 * The bytes of a section (as read from the file) of a segment of `version` and `codec`:
 * decompressed, or for a stored section its body, which may share memory with `packed`.
 *
 * @example
 * const raw = decodeSection(footer.version, footer.codec, packed);
 */
export function decodeSection(
  version: number,
  codec: Codec,
  packed: Uint8Array,
  expected?: number,
): Buffer {
  const c = sectionCodec(version, codec, packed);
  const body = packed.subarray(c.at);
  if (c.codec === undefined) return Buffer.from(body.buffer, body.byteOffset, body.length);
  return checkLength(decompress(c.codec, body, outBytes(c.raw, expected)), c.raw);
}

/** {@link decodeSection} on libuv's thread pool ({@link decompressAsync}). */
export async function decodeSectionAsync(
  version: number,
  codec: Codec,
  packed: Uint8Array,
  expected?: number,
): Promise<Buffer> {
  const c = sectionCodec(version, codec, packed);
  const body = packed.subarray(c.at);
  if (c.codec === undefined) return Buffer.from(body.buffer, body.byteOffset, body.length);
  return checkLength(await decompressAsync(c.codec, body, outBytes(c.raw, expected)), c.raw);
}

/** `out`, a section decompressed, when it is as long as its header says. */
function checkLength(out: Buffer, raw: number | undefined): Buffer {
  if (raw !== undefined && out.length !== raw) {
    throw new Error(`${out.length} bytes decompressed, its header says ${raw}`);
  }
  return out;
}

/** Compression of block sections. */
export type Codec = 'deflate' | 'brotli';

/**
 * The codec new segments use. Measured on the benchmark's Kubernetes lines (bench/RESULTS.md):
 * brotli (quality 2, see {@link compress}) gives smaller segments than deflate at level 6 at a
 * fraction of its cost (pages aside: {@link PAGE_CODEC}).
 */
export const DEFAULT_CODEC: Codec = 'brotli';

/**
 * The codec of a paged column's pages, whatever the segment's: pages are most of a segment's
 * bytes and most of what a rare-term search decompresses. On 669 pages (77 MB) of a 10 M-line
 * store (bench/RESULTS.md, 2026-12-02), each compressed and decoded by each in turn, against
 * brotli quality 2: deflate level 5 the same size (−1 %) and 30–40 % less time to decode
 * (169–210 against 247–356 µs a page), at 1.8 times brotli's time to compress (65–91 against
 * 110–163 MB/s: about 0.4 s more per million benchmark lines, 2–3 % of ingest); level 6 5 %
 * smaller and decoding a little faster again, but 2.5 times brotli's compression time; level 4
 * 8 % larger. Sections over {@link SMALL_SECTION_BYTES} stay brotli, which packs them tighter.
 */
export const PAGE_CODEC: Codec = 'deflate';

/**
 * Raw bytes up to which a section is compressed with deflate whatever the segment's codec. On
 * the sections of a 10 M-line store (bench/RESULTS.md, 2026-12-02), deflate at level 5 came
 * within −1.9 to +0.2 % of brotli's size up to 64 KiB and decoded them 1.4 to 2 times faster (21
 * against 30 µs up to 8 KiB, 32 against 45 up to 16, 58 against 110 up to 32, 114 against 196 up
 * to 64), brotli's set-up being most of a small section's time; above, brotli packs tighter (6 %
 * at 128 KiB, half the size of a block's ids). Searches read the small ones in every block they
 * open: dictionary columns, the time column, the shapes.
 */
export const SMALL_SECTION_BYTES = 64 * 1024;

/**
 * The codec of a section of `raw` bytes in a segment of `codec` (its pages aside:
 * {@link PAGE_CODEC}). Each section names its own codec, so readers need not know the rule.
 *
 * @example
 * file.put(encodeSection(sectionCodecFor(footer.codec, raw.length), raw));
 */
export function sectionCodecFor(codec: Codec, raw: number): Codec {
  return raw <= SMALL_SECTION_BYTES ? 'deflate' : codec;
}

/**
 * The deflate level for a section of `raw` bytes. Pages (about {@link PAGE_BYTES}): 5, not
 * zlib's default 6 (see {@link PAGE_CODEC}); level 4 made them 11 % larger. Sections up to
 * {@link SMALL_SECTION_BYTES} (time columns, numbers, dictionaries: ~15 a block): 4, which on a
 * sample of 193 of them from the benchmark took 31 % less time than 5 (256 against 368 µs a
 * section, ~0.3 CPU-s per million lines) for 1.5 % more bytes and the same decoding time (48 µs);
 * level 2 took 48 % less for 4 % more and decoded 4 % slower, level 1 54 % less for 5.9 % more
 * and 15 % slower (bench/RESULTS.md, 2026-12-02).
 */
function deflateLevel(raw: number): number {
  return raw <= SMALL_SECTION_BYTES ? 4 : 5;
}

/**
 * Compresses one section.
 *
 * @example
 * const packed = compress('brotli', raw);
 */
export function compress(codec: Codec, raw: Uint8Array): Buffer {
  if (codec === 'deflate') return deflateRawSync(raw, { level: deflateLevel(raw.length) });
  return brotliCompressSync(raw, {
    params: {
      // Block sections of 200 000 bench lines, CPU per line and bytes per line: quality 5
      // 3.9 µs, 30.6 B; 4 1.9 µs, 32.3 B; 3 1.2 µs, 33.0 B; deflate 6 3.5 µs, 35.8 B. Brotli
      // compression was the largest CPU item of a flush. Measured again on the sections of a
      // 10 M-line store (bench/RESULTS.md, 2026-12-01): quality 4 1.6–2.6 µs, 26.7 B; 3
      // 1.0–1.4 µs, 27.4 B; 2 0.8–1.2 µs, 27.6 B; 1 0.65 µs, 29.5 B; decoding 2's output costs
      // the same as 4's. 2 takes about half of 4's time for 4 % more bytes.
      [constants.BROTLI_PARAM_QUALITY]: 2,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_LGWIN]: brotliWindow(raw.length),
    },
  });
}

/**
 * The brotli window for a section of `bytes`: the smallest that holds all of it (a window of
 * 2^k reaches back 2^k − 16 bytes), so no byte is out of reach and the output is the same size,
 * within brotli's lower limit of 2^10 and our cap of 2^22. The window is in the stream's header
 * and the decoder allocates its ring buffer by it: a 4 MiB window on a 4 KiB time section made
 * each decode ~30–50 % slower, and a search decodes a few such sections in every block it reads.
 */
function brotliWindow(bytes: number): number {
  return Math.min(22, Math.max(10, Math.ceil(Math.log2(bytes + 16))));
}

/**
 * Output chunk of a decompression when the caller gives no size: zlib's default. The result is
 * one chunk or, for a larger section, chunks joined by one more copy.
 */
const CHUNK_BYTES = 16 * 1024;

/**
 * Decompresses one section written by {@link compress}. `expected` (64 at least) is about how
 * many bytes come out (a page is {@link PAGE_BYTES} and a little more): the output is then one
 * buffer, not 16 KiB chunks joined into a new one, which for a page was nine allocations and a
 * copy.
 *
 * @example
 * const raw = decompress(footer.codec, packed);
 */
export function decompress(codec: Codec, packed: Uint8Array, expected = CHUNK_BYTES): Buffer {
  return codec === 'deflate'
    ? inflateRawSync(packed, { chunkSize: expected })
    : brotliDecompressSync(packed, { chunkSize: expected });
}

/**
 * {@link decompress} on libuv's thread pool: the main thread only starts it and takes the
 * result, so it can filter one block while the next one's sections decompress on another core.
 * `expected` matters more here: each output chunk is one round trip through the pool.
 *
 * @example
 * const raw = await decompressAsync(footer.codec, packed, PAGE_BYTES);
 */
export function decompressAsync(
  codec: Codec,
  packed: Uint8Array,
  expected = CHUNK_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Buffer) => (err === null ? resolve(out) : reject(err));
    if (codec === 'deflate') inflateRaw(packed, { chunkSize: expected }, done);
    else brotliDecompress(packed, { chunkSize: expected }, done);
  });
}
