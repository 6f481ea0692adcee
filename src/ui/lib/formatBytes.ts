/**
 * @module
 * Byte counts with binary prefixes ("1.5 MiB"), as disk and memory sizes are shown everywhere in
 * the UI. Pure, tested beside this file.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * @example
 * formatBytes(1536); // "1.5 KiB"
 * formatBytes(12); // "12 B"
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let x = bytes;
  let i = 0;
  while (Math.abs(x) >= 1024 && i < UNITS.length - 1) {
    x /= 1024;
    i++;
  }
  const text = i === 0 || Math.abs(x) >= 100 ? String(Math.round(x)) : String(+x.toFixed(1));
  return `${text} ${UNITS[i]}`;
}
