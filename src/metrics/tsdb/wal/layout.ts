/**
 * @module
 * The WAL's on-disk layout, shared by the writer, the reader, repair and checkpointing. The
 * numbers are Prometheus' (`tsdb/wlog`), so that either program can read the other's WAL:
 *
 * - A WAL directory holds segments named by an 8-digit decimal index (`00000000`, `00000001`,
 *   …), numbered without gaps, each at most {@link DEFAULT_SEGMENT_SIZE} bytes unless a single
 *   record is larger.
 * - A segment is a sequence of {@link PAGE_SIZE}-byte pages; only the last page of a segment may
 *   be short. A record is split into fragments so that none crosses a page; records never
 *   cross segments, so a segment can be deleted or truncated on its own.
 * - A fragment is a {@link HEADER_SIZE}-byte header — type byte, 2-byte big-endian data length,
 *   4-byte big-endian CRC-32C of the data — followed by the data. A page's unused tail is zeros;
 *   no fragment starts in a page's last 6 bytes.
 * - `checkpoint.NNNNNNNN` directories hold a WAL (segments from 00000000) of the records still
 *   needed from segments 0..N; replay reads the newest checkpoint, then the segments after N.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * 32 KiB: writes go to disk in page units, and a torn write damages at most the page being
 * written (the LevelDB log layout Prometheus borrowed).
 */
export const PAGE_SIZE = 32 * 1024;

/** Type (1) + length (2) + CRC-32C (4). */
export const HEADER_SIZE = 7;

/**
 * 128 MiB, Prometheus' default: large enough that a busy head rotates every few minutes, small
 * enough that a checkpoint frees space in useful steps.
 */
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** Fragment types, the low 3 bits of the header's first byte. */
export const FragmentType = {
  /** A zero byte: the rest of the page is padding. */
  PageTerm: 0,
  Full: 1,
  First: 2,
  Middle: 3,
  Last: 4,
} as const;

/** The low bits of the type byte that carry the fragment type. */
export const FRAGMENT_TYPE_MASK = 0x07;
/** Prometheus sets bit 3 for a Snappy-compressed record and bit 4 for zstd; we write neither. */
export const COMPRESSION_MASK = 0x18;

const SEGMENT_NAME = /^\d{8,}$/;
const CHECKPOINT_PREFIX = 'checkpoint.';
const CHECKPOINT_NAME = /^checkpoint\.(\d{8,})$/;

/**
 * The file name of segment `index`.
 *
 * @example
 * segmentName(3); // '00000003'
 */
export function segmentName(index: number): string {
  return String(index).padStart(8, '0');
}

/**
 * The directory name of the checkpoint that covers segments up to `index`.
 *
 * @example
 * checkpointName(12); // 'checkpoint.00000012'
 */
export function checkpointName(index: number): string {
  return CHECKPOINT_PREFIX + segmentName(index);
}

/** Thrown when a WAL directory's segment files are not numbered without gaps. */
export class WalLayoutError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`cannot list WAL segments: ${reason} in ${dir}`);
    this.name = 'WalLayoutError';
  }
}

/**
 * The indexes of the segments in `dir`, ascending. Other entries (checkpoints, temp files) are
 * ignored; a missing directory has no segments.
 *
 * @throws {WalLayoutError} when the indexes have a gap: a segment in the middle was lost, and
 *   replaying around it would silently drop data.
 * @example
 * listSegments('/data/wal'); // [4, 5, 6]
 */
export function listSegments(dir: string): number[] {
  const out: number[] = [];
  for (const name of readDir(dir)) if (SEGMENT_NAME.test(name)) out.push(Number(name));
  out.sort((a, b) => a - b);
  for (let i = 1; i < out.length; i++) {
    if (out[i] !== out[i - 1]! + 1) {
      throw new WalLayoutError(dir, `segment ${segmentName(out[i - 1]! + 1)} is missing`);
    }
  }
  return out;
}

/**
 * The checkpoints in `dir` (complete ones only: temp directories are excluded), ascending.
 *
 * @example
 * listCheckpoints('/data/wal'); // [{ index: 3, path: '/data/wal/checkpoint.00000003' }]
 */
export function listCheckpoints(dir: string): { index: number; path: string }[] {
  const out: { index: number; path: string }[] = [];
  for (const name of readDir(dir)) {
    const m = CHECKPOINT_NAME.exec(name);
    if (m) out.push({ index: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Names of unfinished checkpoints (`checkpoint.N.tmp`) that a crash left behind.
 *
 * @example
 * for (const name of listTempCheckpoints(dir)) rmSync(join(dir, name), { recursive: true });
 */
export function listTempCheckpoints(dir: string): string[] {
  return readDir(dir).filter((n) => n.startsWith(CHECKPOINT_PREFIX) && n.endsWith('.tmp'));
}

function readDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
