/**
 * @module
 * `filesystem`: size, free space and inodes of every mounted file system, from the mount table
 * plus `statfs(2)`. The mount table is PID 1's (`/proc/1/mounts`), as node_exporter reads it, so
 * an exporter in its own mount namespace with the host's `/proc` still sees the host's mounts;
 * `/proc/mounts` is the fallback when PID 1's is unreadable.
 *
 * `statfs` runs synchronously on the scrape path: a hung network mount blocks the scrape (where
 * node_exporter would give up on that mount after a timeout), so exclude such mounts with
 * `mountPointsExclude`/`fsTypesExclude`.
 */
import { statfsSync } from 'node:fs';
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { fieldsOf, gauge, readOptional, readRequired, type Series } from '../families.js';

/** node_exporter's upstream default (Debian's package also excludes /run, /mnt and /media). */
export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/** node_exporter's default: pseudo and read-only image file systems. */
export const DEFAULT_FS_TYPES_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;

export interface FilesystemOptions {
  mountPointsExclude?: RegExp;
  fsTypesExclude?: RegExp;
}

interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
  readonly: boolean;
}

/**
 * @example
 * filesystemCollector({ proc: '/proc', sys: '/sys' }, { fsTypesExclude: /^(nfs4?|cifs)$/ }).collect();
 */
export function filesystemCollector(
  paths: KernelPaths,
  options: FilesystemOptions = {},
): ExporterCollector {
  const mountPointsExclude = options.mountPointsExclude ?? DEFAULT_MOUNT_POINTS_EXCLUDE;
  const fsTypesExclude = options.fsTypesExclude ?? DEFAULT_FS_TYPES_EXCLUDE;
  return {
    name: 'filesystem',
    collect: () => {
      const table = readOptional(`${paths.proc}/1/mounts`) ?? readRequired(`${paths.proc}/mounts`);
      const mounts = parseMounts(table).filter(
        (m) => !mountPointsExclude.test(m.mountpoint) && !fsTypesExclude.test(m.fstype),
      );
      return filesystemFamilies(mounts);
    },
  };
}

/** Mount table entries, one per distinct (device, mountpoint, fstype): stacked mounts repeat them. */
function parseMounts(text: string): Mount[] {
  const seen = new Set<string>();
  const mounts: Mount[] = [];
  for (const [device, mountpoint, fstype, options] of fieldsOf(text)) {
    if (device === undefined || mountpoint === undefined || fstype === undefined) continue;
    const m: Mount = {
      device: unescapeOctal(device),
      mountpoint: unescapeOctal(mountpoint),
      fstype,
      readonly: (options ?? '').split(',').includes('ro'),
    };
    const key = `${m.device}\0${m.mountpoint}\0${m.fstype}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mounts.push(m);
  }
  return mounts;
}

/** The kernel escapes space, tab, newline and backslash in mount paths as `\ooo`. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function filesystemFamilies(mounts: readonly Mount[]): MetricFamily[] {
  const size: Series[] = [];
  const free: Series[] = [];
  const avail: Series[] = [];
  const files: Series[] = [];
  const filesFree: Series[] = [];
  const readonly: Series[] = [];
  const deviceError: Series[] = [];
  for (const m of mounts) {
    const labels = [
      ['device', m.device],
      ['fstype', m.fstype],
      ['mountpoint', m.mountpoint],
    ] as const;
    let st;
    try {
      st = statfsSync(m.mountpoint);
    } catch {
      // node_exporter reports the failure and nothing else for the mount.
      deviceError.push({ labels, value: 1 });
      continue;
    }
    deviceError.push({ labels, value: 0 });
    size.push({ labels, value: st.blocks * st.bsize });
    free.push({ labels, value: st.bfree * st.bsize });
    avail.push({ labels, value: st.bavail * st.bsize });
    files.push({ labels, value: st.files });
    filesFree.push({ labels, value: st.ffree });
    readonly.push({ labels, value: m.readonly ? 1 : 0 });
  }
  return [
    gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', size),
    gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', free),
    gauge(
      'node_filesystem_avail_bytes',
      'Filesystem space available to non-root users in bytes.',
      avail,
    ),
    gauge('node_filesystem_files', 'Filesystem total file nodes.', files),
    gauge('node_filesystem_files_free', 'Filesystem total free file nodes.', filesFree),
    gauge('node_filesystem_readonly', 'Filesystem read-only status.', readonly),
    gauge(
      'node_filesystem_device_error',
      'Whether an error occurred while getting statistics for the given device.',
      deviceError,
    ),
  ];
}
