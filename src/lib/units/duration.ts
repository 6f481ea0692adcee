/**
 * @module
 * Durations in Prometheus notation (`15s`, `1h30m`, `2d`, `500ms`), the form every duration in
 * Vigil's configuration takes so that a user's `prometheus.yml` values carry over unchanged.
 * Units must appear largest first and at most once, as Prometheus' `model.ParseDuration` requires.
 */

const UNIT_MS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a Prometheus duration into milliseconds; returns `undefined` when `s` is not one.
 * `0` alone is valid; an empty string is not.
 *
 * @example
 * parseDuration('1h30m'); // 5400000
 * parseDuration('5x'); // undefined
 */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  if (s === '') return undefined;
  const m = DURATION_RE.exec(s);
  if (m === null) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * UNIT_MS[i]![1];
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * Formats milliseconds the way Prometheus prints durations: largest units first, zero parts
 * left out, `0s` for zero.
 *
 * @example
 * formatDuration(5400000); // '1h30m'
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNIT_MS) {
    // Prometheus never prints weeks or years unless they divide the whole duration.
    if ((unit === 'y' || unit === 'w') && ms % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
