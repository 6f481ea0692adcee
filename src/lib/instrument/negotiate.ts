/**
 * @module
 * Content negotiation for `/metrics`. Scrapers list what they accept with q-values, e.g.
 * Prometheus 2.x: `application/openmetrics-text;version=1.0.0,application/openmetrics-text;
 * version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`. Everything else (curl,
 * browsers, old scrapers) gets the text format, which is also the answer when nothing matches.
 */
import type { ExpositionFormat } from './exposition.js';

/** OpenMetrics versions our 1.0.0 output satisfies: 0.0.1 is the pre-release name of the same format. */
const OPENMETRICS_VERSIONS = new Set(['0.0.1', '1.0.0']);

interface MediaRange {
  readonly type: string;
  readonly version: string | undefined;
  readonly q: number;
}

/**
 * Picks the format for an Accept header: OpenMetrics if the header names
 * `application/openmetrics-text` (version 0.0.1, 1.0.0 or none) with a q-value above 0 and at
 * least as high as any range matching text (`text/plain`, `text/*`, `*\/*`); otherwise text.
 * Wildcards alone never select OpenMetrics. Malformed q-values count as 0.
 *
 * @example
 * negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5'); // 'openmetrics'
 * negotiateFormat('*\/*'); // 'text'
 * negotiateFormat(undefined); // 'text'
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return 'text';
  let openMetricsQ = 0;
  let textQ = 0;
  for (const part of accept.split(',')) {
    const range = parseRange(part);
    if (range === undefined) continue;
    if (range.type === 'application/openmetrics-text') {
      if (range.version === undefined || OPENMETRICS_VERSIONS.has(range.version)) {
        openMetricsQ = Math.max(openMetricsQ, range.q);
      }
    } else if (range.type === 'text/plain' || range.type === 'text/*' || range.type === '*/*') {
      textQ = Math.max(textQ, range.q);
    }
  }
  return openMetricsQ > 0 && openMetricsQ >= textQ ? 'openmetrics' : 'text';
}

function parseRange(part: string): MediaRange | undefined {
  const [mediaType = '', ...params] = part.split(';');
  const type = mediaType.trim().toLowerCase();
  if (type === '') return undefined;
  let version: string | undefined;
  let q = 1;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    const value = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (key === 'version') version = value;
    else if (key === 'q') q = parseQ(value);
  }
  return { type, version, q };
}

/** RFC 9110 qvalue: 0 to 1 with up to three decimals. */
function parseQ(value: string): number {
  return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : 0;
}
