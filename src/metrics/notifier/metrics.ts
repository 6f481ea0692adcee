/**
 * @module
 * The notifier's metrics on `/metrics`, named as Prometheus' `prometheus_notifications_*`
 * under `vigil_notifications_*`, so alerts on failing notifications carry over with a rename.
 */

import type { MetricFamily, Registry } from '../../lib/instrument/index.js';
import type { Notifier, NotifierStats } from './notifier.js';

const FAMILIES: [string, 'counter' | 'gauge', string, (s: NotifierStats, n: Notifier) => number][] =
  [
    ['sent', 'counter', 'Alerts sent to Alertmanagers (counted per Alertmanager).', (s) => s.sent],
    ['errors', 'counter', 'Alerts whose sending to an Alertmanager failed.', (s) => s.errors],
    ['dropped', 'counter', 'Alerts dropped because the queue was full.', (s) => s.dropped],
    ['queue_length', 'gauge', 'Alerts waiting in the queue.', (_s, n) => n.queueLength],
    ['queue_capacity', 'gauge', 'Most alerts the queue holds.', (_s, n) => n.capacity],
  ];

/**
 * @example
 * registerNotifierMetrics(registry, notifier);
 */
export function registerNotifierMetrics(registry: Registry, notifier: Notifier): void {
  registry.collector({
    collect: (): MetricFamily[] =>
      FAMILIES.map(([name, type, help, read]) => ({
        name: `vigil_notifications_${name}`,
        help,
        type,
        samples: [
          {
            suffix: type === 'counter' ? '_total' : '',
            labels: [],
            value: read(notifier.stats, notifier),
          },
        ],
      })),
  });
}
