/**
 * @module
 * The two exposition formats behind one switch, for callers that pick a format per request.
 */
import type { MetricFamily } from './family.js';
import { OPENMETRICS_CONTENT_TYPE, writeOpenMetrics } from './openmetrics-format.js';
import { TEXT_CONTENT_TYPE, writeText } from './text-format.js';

/** Exposition formats: Prometheus text 0.0.4 or OpenMetrics 1.0.0. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** The Content-Type header value of each format, e.g. `reply.type(CONTENT_TYPE[format])`. */
export const CONTENT_TYPE: Readonly<Record<ExpositionFormat, string>> = Object.freeze({
  text: TEXT_CONTENT_TYPE,
  openmetrics: OPENMETRICS_CONTENT_TYPE,
});

/**
 * Renders families in the given format.
 *
 * @example
 * const body = writeFamilies(registry.collect(), 'openmetrics');
 */
export function writeFamilies(families: readonly MetricFamily[], format: ExpositionFormat): string {
  return format === 'openmetrics' ? writeOpenMetrics(families) : writeText(families);
}
