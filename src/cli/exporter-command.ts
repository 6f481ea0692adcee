/**
 * @module
 * The `vigil exporter` subcommand's flags. Collector options keep node_exporter's flag names, so
 * a node_exporter command line carries over.
 */
import { Option, type Command } from 'commander';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { COLLECTOR_NAMES } from '../metrics/exporter/index.js';
import { runExporter, type ExporterFlags } from './exporter.js';

/**
 * @example
 * registerExporterCommand(program);
 */
export function registerExporterCommand(program: Command): void {
  program
    .command('exporter')
    .description('serve host (node_exporter-style) and cgroup (cAdvisor-style) metrics on /metrics')
    .option('--listen <host:port>', 'address to serve HTTP on', '127.0.0.1:9701')
    .option('--path.procfs <dir>', 'procfs mount point', '/proc')
    .option('--path.sysfs <dir>', 'sysfs mount point', '/sys')
    .option('--path.cgroupfs <dir>', 'cgroup file system root', '/sys/fs/cgroup')
    .option(
      '--collectors <names>',
      `comma-separated collectors (default: all of ${COLLECTOR_NAMES.join(',')})`,
    )
    .option('--collector.filesystem.mount-points-exclude <regex>', 'mount points to skip')
    .option('--collector.filesystem.fs-types-exclude <regex>', 'file system types to skip')
    .option('--collector.diskstats.device-exclude <regex>', 'block devices to skip')
    .option('--collector.netdev.device-exclude <regex>', 'network interfaces to skip')
    .addOption(new Option('--log.level <level>', 'least severe level logged').choices(LOG_LEVELS))
    .addOption(new Option('--log.format <format>', 'log line format').choices(LOG_FORMATS))
    .action(async (opts: Record<string, string | undefined>) => {
      const flags: ExporterFlags = {
        listen: opts.listen!,
        procPath: opts['path.procfs']!,
        sysPath: opts['path.sysfs']!,
        cgroupRoot: opts['path.cgroupfs']!,
        collectors: opts.collectors,
        mountPointsExclude: opts['collector.filesystem.mount-points-exclude'],
        fsTypesExclude: opts['collector.filesystem.fs-types-exclude'],
        diskDeviceExclude: opts['collector.diskstats.device-exclude'],
        netdevDeviceExclude: opts['collector.netdev.device-exclude'],
        logLevel: opts['log.level'] as ExporterFlags['logLevel'],
        logFormat: opts['log.format'] as ExporterFlags['logFormat'],
      };
      process.exitCode = await runExporter(flags);
    });
}
