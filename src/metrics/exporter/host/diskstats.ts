/**
 * @module
 * `diskstats`: block device I/O counters from `/proc/diskstats` under node_exporter's names.
 * Sector counts are in the kernel's fixed 512-byte units (not the device's sector size), and
 * times in milliseconds; both are converted to bytes and seconds, except discarded sectors, which
 * node_exporter exports as a raw sector count and so do we. Older kernels print 11 or 15 stat
 * columns rather than 17; only the columns present become metrics.
 *
 * `node_disk_info` carries udev's model, serial and path when `/run/udev/data` has the device,
 * and empty values otherwise.
 */
import type { LabelPairs, MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { counter, fieldsOf, gauge, readOptional, readRequired, type Series } from '../families.js';

const SECTOR_BYTES = 512;
const MS_PER_S = 1000;

/** node_exporter's default: RAM disks, loop devices, floppies and partitions of whole disks. */
export const DEFAULT_DISK_DEVICE_EXCLUDE = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

/** What a raw column counts: sectors and milliseconds are converted to bytes and seconds. */
type RawUnit = 'count' | 'sectors' | 'ms';

interface Column {
  name: string;
  help: string;
  raw: RawUnit;
  kind: 'counter' | 'gauge';
}

function col(
  name: string,
  help: string,
  raw: RawUnit = 'count',
  kind: Column['kind'] = 'counter',
): Column {
  return { name, help, raw, kind };
}

function convert(value: number, raw: RawUnit): number {
  // Dividing (rather than multiplying by 0.001) keeps 18144 ms at 18.144 s exactly as printed.
  return raw === 'sectors' ? value * SECTOR_BYTES : raw === 'ms' ? value / MS_PER_S : value;
}

/** The stat columns after major, minor and name, in kernel order (Documentation/admin-guide/iostats.rst). */
const COLUMNS: readonly Column[] = [
  col('node_disk_reads_completed_total', 'The total number of reads completed successfully.'),
  col('node_disk_reads_merged_total', 'The total number of reads merged.'),
  col('node_disk_read_bytes_total', 'The total number of bytes read successfully.', 'sectors'),
  col('node_disk_read_time_seconds_total', 'The total number of seconds spent by all reads.', 'ms'),
  col('node_disk_writes_completed_total', 'The total number of writes completed successfully.'),
  col('node_disk_writes_merged_total', 'The number of writes merged.'),
  col(
    'node_disk_written_bytes_total',
    'The total number of bytes written successfully.',
    'sectors',
  ),
  col(
    'node_disk_write_time_seconds_total',
    'This is the total number of seconds spent by all writes.',
    'ms',
  ),
  col('node_disk_io_now', 'The number of I/Os currently in progress.', 'count', 'gauge'),
  col('node_disk_io_time_seconds_total', 'Total seconds spent doing I/Os.', 'ms'),
  col(
    'node_disk_io_time_weighted_seconds_total',
    'The weighted # of seconds spent doing I/Os.',
    'ms',
  ),
  col('node_disk_discards_completed_total', 'The total number of discards completed successfully.'),
  col('node_disk_discards_merged_total', 'The total number of discards merged.'),
  col('node_disk_discarded_sectors_total', 'The total number of sectors discarded successfully.'),
  col(
    'node_disk_discard_time_seconds_total',
    'This is the total number of seconds spent by all discards.',
    'ms',
  ),
  col(
    'node_disk_flush_requests_total',
    'The total number of flush requests completed successfully',
  ),
  col(
    'node_disk_flush_requests_time_seconds_total',
    'This is the total number of seconds spent by all flush requests.',
    'ms',
  ),
];

export interface DiskstatsOptions {
  deviceExclude?: RegExp;
  /** udev's database, `/run/udev/data` by default. */
  udevData?: string;
}

/**
 * @example
 * diskstatsCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function diskstatsCollector(
  paths: KernelPaths,
  options: DiskstatsOptions = {},
): ExporterCollector {
  const exclude = options.deviceExclude ?? DEFAULT_DISK_DEVICE_EXCLUDE;
  const udevData = options.udevData ?? '/run/udev/data';
  return {
    name: 'diskstats',
    collect: () => {
      const series: Series[][] = COLUMNS.map(() => []);
      const info: Series[] = [];
      for (const fields of fieldsOf(readRequired(`${paths.proc}/diskstats`))) {
        const [major, minor, device] = fields;
        if (major === undefined || minor === undefined || device === undefined) continue;
        if (exclude.test(device)) continue;
        const labels: LabelPairs = [['device', device]];
        COLUMNS.forEach((c, i) => {
          const raw = fields[i + 3];
          if (raw !== undefined) series[i]!.push({ labels, value: convert(Number(raw), c.raw) });
        });
        info.push({ labels: diskInfoLabels(device, major, minor, udevData), value: 1 });
      }
      const families: MetricFamily[] = [
        gauge('node_disk_info', 'Info of /sys/block/<block_device>.', info),
      ];
      COLUMNS.forEach((c, i) => {
        if (series[i]!.length === 0) return;
        families.push(
          c.kind === 'gauge'
            ? gauge(c.name, c.help, series[i]!)
            : counter(c.name, c.help, series[i]!),
        );
      });
      return families;
    },
  };
}

function diskInfoLabels(
  device: string,
  major: string,
  minor: string,
  udevData: string,
): LabelPairs {
  const props = new Map<string, string>();
  const db = readOptional(`${udevData}/b${major}:${minor}`);
  for (const line of db?.split('\n') ?? []) {
    // Properties are "E:KEY=value"; other line kinds are links, tags and timestamps.
    if (!line.startsWith('E:')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return [
    ['device', device],
    ['major', major],
    ['minor', minor],
    ['model', props.get('ID_MODEL') ?? ''],
    ['path', props.get('ID_PATH') ?? ''],
    ['revision', props.get('ID_REVISION') ?? ''],
    ['serial', props.get('ID_SERIAL_SHORT') ?? ''],
    ['wwn', props.get('ID_WWN') ?? ''],
  ];
}
