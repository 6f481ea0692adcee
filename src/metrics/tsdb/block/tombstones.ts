/**
 * @module
 * The tombstones file of a block: deleted time ranges per series, which reads must skip until a
 * compaction rewrites the block without them. The file is magic 0x0130BA30, a version byte (1),
 * one (uvarint series ref, varint mint, varint maxt) record per range, and a CRC-32C of the
 * records — the version byte is not covered, for compatibility with the first format. A block
 * without the file has no tombstones; a fresh block gets the 9-byte empty file, as Prometheus
 * writes it.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from '../../../lib/encoding/byte-writer.js';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { getUvarint, getVarint, VarintError } from '../../../lib/encoding/varint.js';
import { writeFileAtomic } from '../../../lib/fs/fsync.js';
import { BlockCorruptError } from './errors.js';

export const TOMBSTONES_FILENAME = 'tombstones';
export const TOMBSTONES_MAGIC = 0x0130ba30;
export const TOMBSTONES_VERSION_1 = 1;
const HEADER_SIZE = 5;
const CRC_SIZE = 4;

/** A deleted time range, ms, both ends inclusive. */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Deleted ranges by series ref; each series' ranges sorted and merged. */
export class Tombstones {
  readonly #bySeries = new Map<number, Interval[]>();

  /**
   * Adds a deleted range for series `ref`, merging it with ranges it overlaps or touches.
   *
   * @example
   * const t = new Tombstones();
   * t.add(42, { mint: 0, maxt: 9 }); t.add(42, { mint: 10, maxt: 19 });
   * t.get(42); // [{ mint: 0, maxt: 19 }]
   */
  add(ref: number, iv: Interval): void {
    const list = [...(this.#bySeries.get(ref) ?? []), { ...iv }].sort((a, b) => a.mint - b.mint);
    const merged: Interval[] = [];
    for (const cur of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && cur.mint <= last.maxt + 1)
        last.maxt = Math.max(last.maxt, cur.maxt);
      else merged.push(cur);
    }
    this.#bySeries.set(ref, merged);
  }

  /** The deleted ranges of series `ref` (empty when none). */
  get(ref: number): readonly Interval[] {
    return this.#bySeries.get(ref) ?? [];
  }

  /** Whether sample time `t` of series `ref` is deleted. */
  isDeleted(ref: number, t: number): boolean {
    return this.get(ref).some((iv) => t >= iv.mint && t <= iv.maxt);
  }

  /** Total number of ranges. */
  get total(): number {
    let n = 0;
    for (const list of this.#bySeries.values()) n += list.length;
    return n;
  }

  /** Series refs with their ranges, in ref order. */
  entries(): [number, readonly Interval[]][] {
    return [...this.#bySeries.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Reads `<dir>/tombstones`; a missing file means no tombstones.
 *
 * @throws {BlockCorruptError} on a bad magic, version or checksum, or truncated records.
 * @example
 * const stones = readTombstones(blockDir);
 * if (stones.isDeleted(ref, t)) skip();
 */
export function readTombstones(dir: string): Tombstones {
  let b: Buffer;
  try {
    b = readFileSync(join(dir, TOMBSTONES_FILENAME));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Tombstones();
    throw err;
  }
  const bad = (reason: string, cause?: unknown) =>
    new BlockCorruptError(dir, `${TOMBSTONES_FILENAME}: ${reason}`, { cause });
  if (b.length < HEADER_SIZE + CRC_SIZE) throw bad(`file of ${b.length} bytes is too short`);
  const magic = b.readUInt32BE(0);
  if (magic !== TOMBSTONES_MAGIC) throw bad(`bad magic 0x${magic.toString(16)}`);
  if (b[4] !== TOMBSTONES_VERSION_1) throw bad(`unsupported version ${b[4]}`);
  const end = b.length - CRC_SIZE;
  if (crc32c(b, HEADER_SIZE, end) !== b.readUInt32BE(end)) throw bad('checksum mismatch');
  const stones = new Tombstones();
  const cur = { off: HEADER_SIZE };
  try {
    while (cur.off < end) {
      const ref = getUvarint(b, cur, end);
      const mint = getVarint(b, cur, end);
      const maxt = getVarint(b, cur, end);
      stones.add(ref, { mint, maxt });
    }
  } catch (err) {
    if (err instanceof VarintError) throw bad(`truncated record at offset ${cur.off}`, err);
    throw err;
  }
  return stones;
}

/**
 * Writes `<dir>/tombstones` atomically and durably (an empty file when `stones` is omitted).
 *
 * @example
 * writeTombstones(blockDir); // the 9-byte file every fresh block has
 */
export function writeTombstones(dir: string, stones: Tombstones = new Tombstones()): void {
  const w = new ByteWriter(64);
  w.u32(TOMBSTONES_MAGIC);
  w.u8(TOMBSTONES_VERSION_1);
  for (const [ref, list] of stones.entries()) {
    for (const iv of list) {
      w.uvarint(ref);
      w.varint(iv.mint);
      w.varint(iv.maxt);
    }
  }
  w.u32(crc32c(w.bytes(), HEADER_SIZE));
  writeFileAtomic(dir, TOMBSTONES_FILENAME, w.bytes());
}
