/**
 * @module
 * Remote write's metrics on `/metrics`, named as Prometheus' `prometheus_remote_storage_*` under
 * `vigil_remote_storage_*` with the same `remote_name` and `url` labels, so alerts written for
 * one (samples failing, the sent timestamp falling behind) carry over with a rename.
 */

import type { MetricFamily, Registry, Sample } from '../../../lib/instrument/index.js';
import type { RemoteWriteQueue } from './queue.js';
import type { QueueStats } from './stats.js';

type Kind = 'counter' | 'gauge';

const FAMILIES: [string, Kind, string, (s: QueueStats) => number][] = [
  ['samples_in', 'counter', 'Samples read from the WAL to send.', (s) => s.samplesIn],
  ['samples', 'counter', 'Samples sent successfully.', (s) => s.samplesSent],
  [
    'samples_failed',
    'counter',
    'Samples the remote rejected for good and that were dropped.',
    (s) => s.samplesFailed,
  ],
  [
    'samples_retried',
    'counter',
    'Samples in requests that failed recoverably and were sent again.',
    (s) => s.samplesRetried,
  ],
  [
    'samples_dropped',
    'counter',
    'Samples dropped by write_relabel_configs or sample_age_limit.',
    (s) => s.samplesDropped,
  ],
  ['bytes', 'counter', 'Compressed bytes of requests sent successfully.', (s) => s.bytesSent],
  ['requests', 'counter', 'Requests made to the remote, failed ones included.', (s) => s.requests],
  [
    'sent_seconds',
    'counter',
    'Seconds spent in requests to the remote, failed ones included, all shards together.',
    (s) => s.sendSeconds,
  ],
  ['samples_pending', 'gauge', 'Samples buffered in shards or in flight.', (s) => s.pending],
  ['shards', 'gauge', 'Shards (concurrent requests) running.', (s) => s.shards],
  ['shards_desired', 'gauge', 'Shards the queue computed it needs.', (s) => s.desiredShards],
  [
    'highest_timestamp_in_seconds',
    'gauge',
    'Newest sample timestamp read from the WAL.',
    (s) => (Number.isFinite(s.highestIn) ? s.highestIn / 1000 : 0),
  ],
  [
    'queue_highest_sent_timestamp_seconds',
    'gauge',
    'Newest sample timestamp the remote has accepted.',
    (s) => (Number.isFinite(s.highestSent) ? s.highestSent / 1000 : 0),
  ],
];

/**
 * Registers the metrics of the queues `queues()` returns at each scrape.
 *
 * @example
 * registerRemoteWriteMetrics(registry, () => remoteWrite?.queues ?? []);
 */
export function registerRemoteWriteMetrics(
  registry: Registry,
  queues: () => readonly RemoteWriteQueue[],
): void {
  registry.collector({
    collect(): MetricFamily[] {
      const list = queues();
      if (list.length === 0) return [];
      const labels = (q: RemoteWriteQueue) =>
        [
          ['remote_name', q.name],
          ['url', q.url],
        ] as const;
      return FAMILIES.map(([name, type, help, read]) => ({
        name: `vigil_remote_storage_${name}`,
        help,
        type,
        samples: list.map((q): Sample => ({
          suffix: type === 'counter' ? '_total' : '',
          labels: labels(q),
          value: read(q.stats),
        })),
      }));
    },
  });
}
