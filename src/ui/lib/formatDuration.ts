/**
 * @module
 * Human-readable durations for the UI ("3d 4h 5m 6s"). Pure: no DOM, no clock, so it is tested
 * under node:test beside this file.
 */

const UNITS: readonly [suffix: string, ms: number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * Formats a duration in milliseconds as days, hours, minutes and whole seconds.
 *
 * Leading zero units are dropped, inner ones are kept ("1d 0h 0m 3s"), so a ticking uptime keeps
 * a steady shape instead of units blinking in and out. Sub-second remainders are truncated toward
 * zero, because uptime counts completed seconds. Negative durations (a server clock that went back)
 * keep their sign rather than being hidden.
 *
 * @param ms duration in milliseconds; must be finite
 * @throws RangeError when `ms` is NaN or infinite
 * @example
 * formatDuration(273_906_000); // "3d 4h 5m 6s"
 * formatDuration(999); // "0s"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new RangeError(`cannot format duration: ${ms} is not a finite number of milliseconds`);
  }
  const seconds = Math.trunc(ms / 1000);
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds) * 1000;
  const parts: string[] = [];
  for (const [suffix, unitMs] of UNITS) {
    const count = Math.floor(rest / unitMs);
    rest -= count * unitMs;
    if (count > 0 || parts.length > 0 || suffix === 's') parts.push(`${count}${suffix}`);
  }
  return sign + parts.join(' ');
}
