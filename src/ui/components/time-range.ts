/**
 * @module
 * The steps of the range buttons (−/+) and the moves of the end-time buttons (« »), as in
 * Prometheus' graph page. Pure, tested beside this file.
 */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** Ranges the −/+ buttons walk through. */
export const RANGE_STEPS: readonly number[] = [
  S,
  10 * S,
  M,
  5 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  14 * D,
  28 * D,
  56 * D,
  365 * D,
];

/**
 * The next larger (`+1`) or smaller (`-1`) range in {@link RANGE_STEPS}; a range between steps
 * moves to the neighbouring step, and the ends stay where they are.
 *
 * @example
 * stepRange(3_600_000, 1); // 7_200_000
 * stepRange(4_000_000, -1); // 3_600_000
 */
export function stepRange(rangeMs: number, direction: 1 | -1): number {
  if (direction > 0) return RANGE_STEPS.find((r) => r > rangeMs) ?? rangeMs;
  return [...RANGE_STEPS].reverse().find((r) => r < rangeMs) ?? rangeMs;
}

/**
 * Moves the end of the range by half its length; moving past now returns null ("now").
 *
 * @example
 * shiftEnd(null, 3_600_000, -1, 10_000_000); // 8_200_000
 */
export function shiftEnd(
  endMs: number | null,
  rangeMs: number,
  direction: 1 | -1,
  nowMs: number,
): number | null {
  const next = (endMs ?? nowMs) + (direction * rangeMs) / 2;
  return next >= nowMs ? null : Math.round(next);
}
