/**
 * @module
 * Absolute timestamps for the UI. Always UTC: a server's log lines, config reloads and start time
 * are compared across machines and time zones, so the page shows the one zone everyone shares.
 */

/**
 * Formats epoch milliseconds as `YYYY-MM-DD HH:MM:SS UTC`, truncated to whole seconds.
 *
 * @param ms milliseconds since the Unix epoch
 * @throws RangeError when `ms` is not a representable date (e.g. `Date.parse` of a bad string)
 * @example
 * formatTimestamp(Date.parse('2025-11-30T06:41:02.5+01:00')); // "2025-11-30 05:41:02 UTC"
 */
export function formatTimestamp(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`cannot format timestamp: ${ms} is not a valid time in milliseconds`);
  }
  // toISOString is always UTC and zero-padded; only its separators need changing.
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
