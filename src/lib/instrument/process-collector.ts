/**
 * @module
 * Standard process and Node.js runtime metrics under the names the Prometheus client libraries
 * use (`process_*` as in the Go client, `nodejs_*` as in prom-client), so existing dashboards
 * work. Everything is read at exposition time; the only background work is the event-loop delay
 * monitor, a libuv timer that does not keep the process alive.
 *
 * Event-loop lag statistics cover the time since registration rather than since the previous
 * scrape: resetting on collect would make exposition stateful and split one window between
 * concurrent scrapers. Rate-friendly detail belongs in a histogram, not in these gauges.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Collector, LabelPairs, MetricFamily, MetricType, Sample } from './family.js';
import { readMaxFds, readOpenFds, readVirtualMemoryBytes } from './procfs.js';
import type { Registry } from './registry.js';

/** Sampling interval of the event-loop delay monitor in ms; 10 is the Node.js default. */
const LAG_RESOLUTION_MS = 10;

const NS_PER_S = 1e9;
const NS_PER_MS = 1e6;
const US_PER_S = 1e6;

/**
 * Registers the process collector with `registry` and starts the event-loop delay monitor.
 * Returns a function that stops the monitor; the lag statistics then stay at their last values.
 * Throws a DuplicateMetricError if the registry already has any of these names.
 *
 * @example
 * const stop = registerProcessMetrics(registry);
 * process.on('SIGTERM', stop);
 */
export function registerProcessMetrics(registry: Registry): () => void {
  const collector = new ProcessCollector();
  registry.collector(collector);
  return () => collector.stop();
}

class ProcessCollector implements Collector {
  readonly #lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  readonly #startTime = Date.now() / 1000 - process.uptime();
  readonly #versionLabels = versionLabels();

  constructor() {
    this.#lag.enable();
  }

  stop(): void {
    this.#lag.disable();
  }

  collect(): MetricFamily[] {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const families: MetricFamily[] = [
      family(
        'process_cpu_user_seconds',
        'counter',
        'User CPU time spent in seconds.',
        cpu.user / US_PER_S,
      ),
      family(
        'process_cpu_system_seconds',
        'counter',
        'System CPU time spent in seconds.',
        cpu.system / US_PER_S,
      ),
      family(
        'process_cpu_seconds',
        'counter',
        'Total user and system CPU time spent in seconds.',
        (cpu.user + cpu.system) / US_PER_S,
      ),
      family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss),
      family(
        'process_start_time_seconds',
        'gauge',
        'Start time of the process since unix epoch in seconds.',
        this.#startTime,
      ),
      family('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size in bytes.', mem.heapTotal),
      family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used in bytes.', mem.heapUsed),
      family(
        'nodejs_external_memory_bytes',
        'gauge',
        'Memory of C++ objects bound to JavaScript objects, in bytes.',
        mem.external,
      ),
      {
        name: 'nodejs_heap_space_size_used_bytes',
        help: 'V8 heap space used in bytes, by space.',
        type: 'gauge',
        unit: 'bytes',
        samples: getHeapSpaceStatistics().map((s) =>
          sample([['space', s.space_name.replace(/_space$/, '')]], s.space_used_size),
        ),
      },
      {
        name: 'nodejs_version_info',
        help: 'Node.js version.',
        type: 'gauge',
        samples: [sample(this.#versionLabels, 1)],
      },
      {
        name: 'nodejs_active_resources',
        help: 'Resources keeping the event loop alive, by type.',
        type: 'gauge',
        samples: activeResources(),
      },
      ...this.#lagFamilies(),
    ];
    const procFamilies: [string, string, number | undefined][] = [
      ['process_virtual_memory_bytes', 'Virtual memory size in bytes.', readVirtualMemoryBytes()],
      ['process_open_fds', 'Number of open file descriptors.', readOpenFds()],
      ['process_max_fds', 'Maximum number of open file descriptors.', readMaxFds()],
    ];
    for (const [name, help, value] of procFamilies) {
      if (value !== undefined) families.push(family(name, 'gauge', help, value));
    }
    return families;
  }

  /** Lag statistics; the families have no samples until the monitor's first reading. */
  #lagFamilies(): MetricFamily[] {
    const h = this.#lag;
    const stat = (name: string, help: string, ns: () => number): MetricFamily => ({
      name,
      help,
      type: 'gauge',
      unit: 'seconds',
      samples: h.count > 0 ? [sample([], lagSeconds(ns()))] : [],
    });
    return [
      stat(
        'nodejs_eventloop_lag_seconds',
        'Mean event loop delay since start in seconds.',
        () => h.mean,
      ),
      stat(
        'nodejs_eventloop_lag_min_seconds',
        'Minimum event loop delay since start in seconds.',
        () => h.min,
      ),
      stat(
        'nodejs_eventloop_lag_max_seconds',
        'Maximum event loop delay since start in seconds.',
        () => h.max,
      ),
      stat(
        'nodejs_eventloop_lag_p99_seconds',
        '99th percentile of event loop delay since start in seconds.',
        () => h.percentile(99),
      ),
    ];
  }
}

/**
 * The monitor records the time between ticks of its timer, so an idle loop reads about one
 * resolution (measured on Node 20: min 10.1 ms at 10 ms). Lag is what exceeds the schedule; timer
 * jitter can make a tick early, hence the clamp.
 */
function lagSeconds(tickNs: number): number {
  // Subtracting in whole nanoseconds keeps the printed seconds free of float noise.
  return Math.max(0, Math.round(tickNs) - LAG_RESOLUTION_MS * NS_PER_MS) / NS_PER_S;
}

/** A family with one unlabelled sample; the unit is taken from the name's last word. */
function family(name: string, type: MetricType, help: string, value: number): MetricFamily {
  const unit = name.endsWith('_bytes')
    ? 'bytes'
    : name.endsWith('_seconds')
      ? 'seconds'
      : undefined;
  const suffix = type === 'counter' ? '_total' : '';
  return { name, help, type, unit, samples: [{ suffix, labels: [], value }] };
}

function sample(labels: LabelPairs, value: number): Sample {
  return { suffix: '', labels, value };
}

function versionLabels(): LabelPairs {
  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  return [
    ['version', process.version],
    ['major', major],
    ['minor', minor],
    ['patch', patch],
  ];
}

function activeResources(): Sample[] {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo())
    counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, n]) => sample([['type', type]], n));
}
