/**
 * @module
 * Vigil's self-instrumentation: the interface every component uses to export its own metrics on
 * the server's `/metrics`. A component receives the server's {@link Registry}, registers its
 * counters, gauges and histograms once at startup (names are checked then, and a clash throws),
 * and updates the returned objects on its hot paths; children returned by `labels()` should be kept
 * rather than looked up per event. The HTTP layer calls {@link negotiateFormat} on the Accept
 * header and sends {@link Registry.expose}'s output with {@link CONTENT_TYPE}.
 *
 * Leaf library: no project imports, no dependencies.
 *
 * @example
 * const registry = new Registry();
 * const stop = registerProcessMetrics(registry);
 * const requests = registry.counter({
 *   name: 'vigil_http_requests_total',
 *   help: 'HTTP requests served.',
 *   labelNames: ['method', 'route', 'code'],
 * });
 * requests.labels('GET', '/metrics', '200').inc();
 * const format = negotiateFormat(req.headers.accept);
 * reply.type(CONTENT_TYPE[format]).send(registry.expose(format));
 */
export { Registry } from './registry.js';
export { Counter, CounterChild, type CounterOptions } from './counter.js';
export { Gauge, GaugeChild, type GaugeOptions } from './gauge.js';
export { DEFAULT_BUCKETS, Histogram, HistogramChild, type HistogramOptions } from './histogram.js';
export type { Metric, MetricOptions } from './metric.js';
export type {
  Collector,
  Label,
  LabelPairs,
  MetricFamily,
  MetricType,
  Sample,
  SampleSuffix,
} from './family.js';
export { DuplicateMetricError, InvalidMetricError } from './errors.js';
export { CONTENT_TYPE, writeFamilies, type ExpositionFormat } from './exposition.js';
export { TEXT_CONTENT_TYPE, writeText } from './text-format.js';
export { OPENMETRICS_CONTENT_TYPE, writeOpenMetrics } from './openmetrics-format.js';
export { negotiateFormat } from './negotiate.js';
export { registerProcessMetrics } from './process-collector.js';
