/**
 * @module
 * Timestamps as Alertmanager writes them. Webhook payloads marshal Go's `time.Time`
 * (RFC 3339 with the fraction's trailing zeros dropped, `0001-01-01T00:00:00Z` for "none");
 * API v2 writes `strfmt.DateTime` (always three fraction digits).
 */

/**
 * Go's `time.Time` JSON form of `ms` (UTC); 0 is Go's zero time.
 *
 * @example
 * goTime(Date.parse('2024-01-02T03:04:05.120Z')); // '2024-01-02T03:04:05.12Z'
 * goTime(0); // '0001-01-01T00:00:00Z'
 */
export function goTime(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/**
 * API v2's date-time form of `ms`; 0 is Go's zero time.
 *
 * @example
 * apiTime(Date.parse('2024-01-02T03:04:05Z')); // '2024-01-02T03:04:05.000Z'
 */
export function apiTime(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00.000Z' : new Date(ms).toISOString();
}
