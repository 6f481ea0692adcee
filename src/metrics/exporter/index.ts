/**
 * @module
 * Built-in exporters: host metrics under node_exporter's names and per-cgroup container metrics
 * under cAdvisor's, exposed through a {@link Registry} like every other Vigil metric. `vigil
 * exporter` serves them alone; `vigil server` can add them to its own `/metrics`.
 *
 * Each collector runs synchronously on every scrape, reading small kernel files (a full scrape of
 * this machine takes a few milliseconds, see `exporter.bench.ts`). A collector that throws is
 * reported with `node_scrape_collector_success{collector} 0` and the others still answer, as in
 * node_exporter.
 */
import type { MetricFamily, Registry } from '../../lib/instrument/index.js';
import { cgroupCollector } from './cgroup/collector.js';
import type { ExporterCollector, KernelPaths } from './collector.js';
import { gauge, type Series } from './families.js';
import { cpuCollector } from './host/cpu.js';
import { diskstatsCollector, type DiskstatsOptions } from './host/diskstats.js';
import { filesystemCollector, type FilesystemOptions } from './host/filesystem.js';
import { loadavgCollector } from './host/loadavg.js';
import { meminfoCollector } from './host/meminfo.js';
import { netdevCollector, type NetdevOptions } from './host/netdev.js';
import { pressureCollector } from './host/pressure.js';
import { statCollector } from './host/stat.js';
import { timeCollector } from './host/time.js';
import { unameCollector } from './host/uname.js';

export interface ExporterOptions {
  /** procfs root (node_exporter's `--path.procfs`), `/proc` by default. */
  procPath?: string;
  /** sysfs root (node_exporter's `--path.sysfs`), `/sys` by default. */
  sysPath?: string;
  /** cgroup file system root, `/sys/fs/cgroup` by default. */
  cgroupRoot?: string;
  /** Collectors to run, by name; all of {@link COLLECTOR_NAMES} by default. */
  collectors?: readonly string[];
  filesystem?: FilesystemOptions;
  diskstats?: DiskstatsOptions;
  netdev?: NetdevOptions;
  /** Called with a collector's error when it fails a scrape (for logging). */
  onError?: (collector: string, err: unknown) => void;
}

type Factory = (paths: KernelPaths, options: ExporterOptions) => ExporterCollector;

const FACTORIES: ReadonlyMap<string, Factory> = new Map<string, Factory>([
  ['cgroup', (p, o) => cgroupCollector({ root: o.cgroupRoot, proc: p.proc, sys: p.sys })],
  ['cpu', (p) => cpuCollector(p)],
  ['diskstats', (p, o) => diskstatsCollector(p, o.diskstats)],
  ['filesystem', (p, o) => filesystemCollector(p, o.filesystem)],
  ['loadavg', (p) => loadavgCollector(p)],
  ['meminfo', (p) => meminfoCollector(p)],
  ['netdev', (p, o) => netdevCollector(p, o.netdev)],
  ['pressure', (p) => pressureCollector(p)],
  ['stat', (p) => statCollector(p)],
  ['time', (p) => timeCollector(p)],
  ['uname', (p) => unameCollector(p)],
]);

/** Every collector's name. */
export const COLLECTOR_NAMES: readonly string[] = [...FACTORIES.keys()];

/** Thrown for a collector name that does not exist; the message lists those that do. */
export class UnknownCollectorError extends Error {
  constructor(readonly collector: string) {
    super(
      `cannot enable collector ${JSON.stringify(collector)}: known collectors are ${COLLECTOR_NAMES.join(', ')}`,
    );
    this.name = 'UnknownCollectorError';
  }
}

/**
 * Registers the exporters' collectors with `registry`. Throws UnknownCollectorError for an
 * unknown name in `options.collectors`, and DuplicateMetricError if the registry already has one
 * of their metric names (registering twice does).
 *
 * @example
 * const registry = new Registry();
 * registerExporters(registry, { collectors: ['cpu', 'meminfo', 'cgroup'] });
 * registry.expose('text');
 */
export function registerExporters(registry: Registry, options: ExporterOptions = {}): void {
  const paths: KernelPaths = { proc: options.procPath ?? '/proc', sys: options.sysPath ?? '/sys' };
  const collectors = (options.collectors ?? COLLECTOR_NAMES).map((name) => {
    const factory = FACTORIES.get(name);
    if (factory === undefined) throw new UnknownCollectorError(name);
    return factory(paths, options);
  });
  registry.collector({ collect: () => collectAll(collectors, options.onError) });
}

function collectAll(
  collectors: readonly ExporterCollector[],
  onError: ExporterOptions['onError'],
): MetricFamily[] {
  const families: MetricFamily[] = [];
  const durations: Series[] = [];
  const successes: Series[] = [];
  for (const c of collectors) {
    const start = performance.now();
    let ok = 1;
    try {
      families.push(...c.collect());
    } catch (err) {
      ok = 0;
      onError?.(c.name, err);
    }
    const labels = [['collector', c.name]] as const;
    durations.push({ labels, value: (performance.now() - start) / 1000 });
    successes.push({ labels, value: ok });
  }
  families.push(
    gauge(
      'node_scrape_collector_duration_seconds',
      'node_exporter: Duration of a collector scrape.',
      durations,
    ),
    gauge(
      'node_scrape_collector_success',
      'node_exporter: Whether a collector succeeded.',
      successes,
    ),
  );
  return families;
}
