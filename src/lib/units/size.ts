/**
 * @module
 * Byte sizes in Prometheus notation (`512MB`, `512MiB`, `1GB`, `100KiB`, `4096`). Like
 * Prometheus' `--storage.tsdb.retention.size`, the units are powers of 1024 whether written
 * `MB` or `MiB`: users copy values between the two and expect the same number of bytes.
 */

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  KIB: 1024,
  MB: 1024 ** 2,
  MIB: 1024 ** 2,
  GB: 1024 ** 3,
  GIB: 1024 ** 3,
  TB: 1024 ** 4,
  TIB: 1024 ** 4,
  PB: 1024 ** 5,
  PIB: 1024 ** 5,
  EB: 1024 ** 6,
  EIB: 1024 ** 6,
};

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/;

/**
 * Parses a size into bytes (rounded down to a whole byte); returns `undefined` when `s` is not
 * one. A bare number is bytes.
 *
 * @example
 * parseSize('512MiB'); // 536870912
 * parseSize('1.5KB'); // 1536
 */
export function parseSize(s: string): number | undefined {
  const m = SIZE_RE.exec(s.trim());
  if (m === null) return undefined;
  const unit = m[2] === '' ? 'B' : m[2]!.toUpperCase();
  const scale = UNITS[unit];
  if (scale === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * Formats bytes with the largest binary unit that divides them exactly (`512MiB`), or as plain
 * bytes (`1000B`).
 *
 * @example
 * formatSize(536870912); // '512MiB'
 */
export function formatSize(bytes: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['EiB', 1024 ** 6],
    ['PiB', 1024 ** 5],
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ];
  for (const [unit, size] of units) {
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
