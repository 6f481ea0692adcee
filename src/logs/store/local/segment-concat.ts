/**
 * @module
 * Merging segments by concatenation. Flushes of a stream of logs write segments that follow
 * each other in time, so a merge of them rarely interleaves documents: when the inputs, taken
 * by their first document, do not overlap in (ms, ns, id) order, their blocks laid end to end
 * are already the merged segment's blocks. The compressed sections and the column bloom filters
 * are then copied as bytes, and only the footer and the id set are built anew (from the inputs'
 * sets, `id-set.ts`). Rewriting the documents instead (decode, rebuild each source, walk, encode,
 * compress) cost more CPU than the flushes that wrote them; a merge that interleaves documents
 * still does that (`jobs.ts`).
 *
 * Blocks keep their sizes, so a merged segment has a short block where each input ended; the
 * format allows any block size (`count` per block).
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { hashKeyUtf8 } from './bloom.js';
import { eachStringBytes } from './column.js';
import { encodeIdSet, idHash, mergeSorted } from './id-set.js';
import { SegmentFile } from './segment-file.js';
import {
  type BlockMeta,
  type Codec,
  CONCAT_MIN_VERSION,
  ID_SET_VERSION,
  type ColumnMeta,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  type Section,
  type SegmentFooter,
} from './segment-format.js';
import type { SegmentReader } from './segment-reader.js';

/** Copy buffer size: large enough that a copy is a few big reads and writes. */
const COPY_CHUNK = 1 << 20;

/**
 * The non-empty inputs in the order their concatenation is sorted by (ms, ns, id), or undefined
 * when their documents overlap, they do not all use `codec` or they are of different format
 * versions (then the merge rewrites them).
 *
 * @example
 * const order = concatOrder(readers, 'brotli');
 * if (order !== undefined) concatSegments(path, order, unindexed);
 */
export function concatOrder(
  readers: readonly SegmentReader[],
  codec: Codec,
): SegmentReader[] | undefined {
  const inputs = readers.filter((r) => r.footer.count > 0);
  // Blocks are copied as they are into a segment of the current version, so the inputs must
  // be of versions whose blocks read the same.
  if (inputs.some((r) => r.footer.codec !== codec || r.footer.version < CONCAT_MIN_VERSION)) {
    return undefined;
  }
  const ends = new Map(inputs.map((r) => [r, edges(r)]));
  inputs.sort((a, b) => compareDoc(ends.get(a)!.first, ends.get(b)!.first));
  for (let i = 1; i < inputs.length; i++) {
    if (compareDoc(ends.get(inputs[i - 1]!)!.last, ends.get(inputs[i]!)!.first) >= 0)
      return undefined;
  }
  return inputs;
}

interface Doc {
  readonly ms: number;
  readonly ns: number;
  readonly id: string;
}

/** The first and last document of a segment in its (ms, ns, id) order. */
function edges(r: SegmentReader): { first: Doc; last: Doc } {
  const counter = { bytesRead: 0 };
  const head = r.block(0, counter);
  const tail = r.block(r.footer.blocks.length - 1, counter);
  const n = tail.length - 1;
  return {
    first: { ms: head.ms[0]!, ns: head.ns[0]!, id: head.id(0) },
    last: { ms: tail.ms[n]!, ns: tail.ns[n]!, id: tail.id(n) },
  };
}

/** The segment writer's document order (`segment-writer.ts` `sortedOrder`). */
function compareDoc(a: Doc, b: Doc): number {
  return a.ms - b.ms || a.ns - b.ns || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Writes `inputs` (as ordered by {@link concatOrder}) end to end as the segment `path` of
 * `index` and returns its footer. Columns of `unindexed` paths lose their bloom filters.
 *
 * @example
 * concatSegments('/data/logs/indices/app/2024-05-06/m0000000001.seg', order, 'app', new Set());
 */
export function concatSegments(
  path: string,
  inputs: readonly SegmentReader[],
  index: string,
  unindexed: ReadonlySet<string>,
): SegmentFooter {
  const file = new SegmentFile(path);
  try {
    const paths = new Map<string, number>();
    const blocks: BlockMeta[] = [];
    // Block sections first, input after input, each input's offsets moved by where it lands.
    let bloomBytes = 0;
    for (const r of inputs) {
      const f = r.footer;
      // Blocks start right after the magic (which section comes first within a block differs:
      // the time section since 2026-12-01 ends its block).
      const start = SEGMENT_MAGIC.length;
      const shift = file.offset - start;
      copyRange(file, r.path, start, f.blooms[0] - start);
      const move = ([off, len]: Section): Section => [off + shift, len];
      const pathMap = f.paths.map((p) => {
        let pi = paths.get(p);
        if (pi === undefined) paths.set(p, (pi = paths.size));
        return pi;
      });
      for (const b of f.blocks) {
        blocks.push({
          count: b.count,
          minMs: b.minMs,
          maxMs: b.maxMs,
          time: move(b.time),
          ids: move(b.ids),
          shapes: move(b.shapes),
          // Blocks written before blocks had id blooms keep none.
          ...(b.idBloom === undefined
            ? {}
            : { idBloom: [b.idBloom[0] + bloomBytes, b.idBloom[1]] }),
          cols: b.cols.map((c): ColumnMeta => {
            const [pi, off, len, bOff, bLen] = c;
            const drop = bLen === 0 || unindexed.has(f.paths[pi]!);
            const head = [pathMap[pi]!, off + shift, len, drop ? 0 : bOff + bloomBytes] as const;
            if (c.length === 8) {
              // Pages keep their sections; a column no longer indexed loses their blooms.
              const pages = drop ? c[7].map((v, k) => (k % 3 === 2 ? 0 : v)) : c[7];
              const freq = drop || c[6] === 0 ? [0, 0] : [c[5] + shift, c[6]];
              return [...head, drop ? 0 : bLen, freq[0]!, freq[1]!, pages];
            }
            if (drop) return [...head, 0];
            // A frequent-token section moves with the blocks.
            return c.length === 7 ? [...head, bLen, c[5] + shift, c[6]] : [...head, bLen];
          }),
        });
      }
      // The column blooms sit at the start of the bloom region, the id set after them.
      bloomBytes += f.idBloom[0] - f.blooms[0];
    }
    const bloomStart = file.offset;
    for (const r of inputs)
      copyRange(file, r.path, r.footer.blooms[0], r.footer.idBloom[0] - r.footer.blooms[0]);
    const count = inputs.reduce((n, r) => n + r.footer.count, 0);
    const idBloom = file.put(encodeIdSet(mergeSorted(inputs.map(idHashesOf))));
    const first = inputs[0]!.footer;
    const footer: SegmentFooter = {
      version: SEGMENT_VERSION,
      index,
      codec: first.codec,
      count,
      minMs: first.minMs,
      maxMs: inputs[inputs.length - 1]!.footer.maxMs,
      rawBytes: inputs.reduce((n, r) => n + r.footer.rawBytes, 0),
      paths: [...paths.keys()],
      blocks,
      idBloom,
      blooms: [bloomStart, file.offset - bloomStart],
    };
    file.finish(footer);
    return footer;
  } catch (err) {
    file.abort();
    throw new Error(`cannot concatenate segments: ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * The sorted id hashes of segment `r`: its id set's, or for a segment from before id sets, its
 * ids hashed (read from every block: a segment is merged this way once).
 */
function idHashesOf(r: SegmentReader): Uint32Array {
  if (r.footer.version >= ID_SET_VERSION) return r.idSet().values();
  const out = new Uint32Array(r.footer.count);
  const h = new Uint32Array(2);
  const counter = { bytesRead: 0 };
  let k = 0;
  for (let b = 0; b < r.footer.blocks.length; b++) {
    const block = r.block(b, counter);
    const add = (buf: Buffer, start: number, end: number) => {
      hashKeyUtf8(buf, start, end, h);
      out[k++] = h[0]!;
    };
    if (eachStringBytes(block.ids(), add)) continue;
    for (let i = 0; i < block.length; i++) out[k++] = idHash(block.id(i), h);
  }
  return out.sort();
}

/** Appends bytes `[off, off + len)` of the file `from` to `file`. */
function copyRange(file: SegmentFile, from: string, off: number, len: number): void {
  const fd = openSync(from, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(COPY_CHUNK, len));
    for (let done = 0; done < len;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, len - done), off + done);
      if (n === 0) throw new Error(`${from}: unexpected end at offset ${off + done}`);
      file.put(buf.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}
