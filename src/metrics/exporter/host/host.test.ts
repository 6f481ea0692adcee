import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { MetricFamily } from '../../../lib/instrument/index.js';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { cpuCollector } from './cpu.js';
import { diskstatsCollector } from './diskstats.js';
import { filesystemCollector } from './filesystem.js';
import { loadavgCollector } from './loadavg.js';
import { meminfoCollector } from './meminfo.js';
import { netdevCollector } from './netdev.js';
import { pressureCollector } from './pressure.js';
import { statCollector } from './stat.js';
import { timeCollector } from './time.js';
import { unameCollector } from './uname.js';

const testdata = fileURLToPath(new URL('../testdata/', import.meta.url));
const paths: KernelPaths = { proc: `${testdata}proc`, sys: `${testdata}sys` };

/** Every sample as `name{a="b",…} value`, with counters' `_total`, for compact expectations. */
function lines(c: ExporterCollector): string[] {
  return c.collect().flatMap((f: MetricFamily) =>
    f.samples.map((s) => {
      const labels = s.labels.map(([k, v]) => `${k}="${v}"`).join(',');
      return `${f.name}${s.suffix}${labels === '' ? '' : `{${labels}}`} ${s.value}`;
    }),
  );
}

function f(c: ExporterCollector, expected: string[]): void {
  assert.deepEqual(lines(c), expected);
}

test('cpu: per-CPU seconds by mode at USER_HZ=100, guest modes separately', () => {
  const out = lines(cpuCollector(paths));
  assert.equal(out.length, 2 * 8 + 2 * 2);
  assert.ok(out.includes('node_cpu_seconds_total{cpu="0",mode="idle"} 4243.29'));
  assert.ok(out.includes('node_cpu_seconds_total{cpu="1",mode="steal"} 65.98'));
  assert.ok(out.includes('node_cpu_guest_seconds_total{cpu="1",mode="user"} 0.17'));
  assert.ok(out.includes('node_cpu_guest_seconds_total{cpu="1",mode="nice"} 0.03'));
  assert.ok(!out.some((l) => l.includes('cpu=""')), 'the aggregate line is not a CPU');
});

test('stat: boot time, context switches, forks, interrupts, processes', () => {
  f(statCollector(paths), [
    'node_boot_time_seconds 1796020684',
    'node_context_switches_total 31813443',
    'node_forks_total 176773',
    'node_intr_total 11689736',
    'node_procs_running 7',
    'node_procs_blocked 1',
  ]);
});

test('loadavg', () => {
  f(loadavgCollector(paths), ['node_load1 3.2', 'node_load5 2.52', 'node_load15 3.41']);
});

test('meminfo: kB fields in bytes with _bytes, counts as is, (anon) as _anon', () => {
  f(meminfoCollector(paths), [
    'node_memory_MemTotal_bytes 25276514304',
    'node_memory_MemFree_bytes 20480000000',
    'node_memory_MemAvailable_bytes 22528000000',
    'node_memory_Active_anon_bytes 1626112',
    'node_memory_Inactive_file_bytes 126418944',
    'node_memory_HugePages_Total 0',
    'node_memory_Hugepagesize_bytes 2097152',
  ]);
});

test('pressure: some is waiting, full is stalled, CPU has no stalled, missing files report nothing', () => {
  f(pressureCollector(paths), [
    'node_pressure_cpu_waiting_seconds_total 4350.190869',
    'node_pressure_io_waiting_seconds_total 71.443472',
    'node_pressure_io_stalled_seconds_total 28.490454',
  ]);
});

test('diskstats: partitions and loop devices excluded, sectors in bytes, ms in seconds', () => {
  const out = lines(diskstatsCollector(paths, { udevData: `${testdata}udev` }));
  assert.ok(
    out.includes(
      'node_disk_info{device="vda",major="254",minor="0",model="QEMU_DISK",path="pci-0000:00:05.0",revision="",serial="abc123",wwn=""} 1',
    ),
  );
  assert.ok(out.includes('node_disk_read_bytes_total{device="vda"} 4166956032'));
  assert.ok(out.includes('node_disk_written_bytes_total{device="vda"} 27544977408'));
  assert.ok(out.includes('node_disk_read_time_seconds_total{device="vda"} 1245.156'));
  assert.ok(out.includes('node_disk_io_now{device="vda"} 8'));
  assert.ok(out.includes('node_disk_discarded_sectors_total{device="vda"} 1533751560'));
  assert.ok(out.includes('node_disk_flush_requests_time_seconds_total{device="vda"} 18.144'));
  // An old kernel's 11 columns: no discard or flush counters for sda.
  assert.ok(out.includes('node_disk_io_time_weighted_seconds_total{device="sda"} 0.09'));
  assert.ok(!out.some((l) => l.includes('device="sda"') && l.includes('discard')));
  assert.ok(!out.some((l) => /device="(loop0|vda1)"/.test(l)));
});

test('netdev: header-named counters, loopback excluded, nohandler from sysfs', () => {
  const out = lines(netdevCollector(paths));
  assert.ok(out.includes('node_network_receive_bytes_total{device="eth0"} 2200495110'));
  assert.ok(out.includes('node_network_receive_multicast_total{device="eth0"} 6'));
  assert.ok(out.includes('node_network_transmit_colls_total{device="eth0"} 10'));
  assert.ok(out.includes('node_network_transmit_compressed_total{device="eth0"} 12'));
  assert.ok(out.includes('node_network_receive_nohandler_total{device="eth0"} 0'));
  assert.equal(out.length, 17);
  assert.ok(!out.some((l) => l.includes('device="lo"')));
});

test('filesystem: PID 1 mount table, default exclusions, duplicates once, statfs failure as device_error', () => {
  const out = lines(filesystemCollector(paths));
  const root = 'device="/dev/vda",fstype="ext4",mountpoint="/"';
  const missing = 'device="/dev/vdb",fstype="ext4",mountpoint="/does/not exist"';
  assert.equal(out.filter((l) => l.startsWith(`node_filesystem_size_bytes{${root}}`)).length, 1);
  assert.ok(out.includes(`node_filesystem_readonly{${root}} 0`));
  assert.ok(out.includes(`node_filesystem_device_error{${root}} 0`));
  assert.ok(out.includes(`node_filesystem_device_error{${missing}} 1`));
  assert.ok(!out.some((l) => l.startsWith('node_filesystem_size_bytes{') && l.includes('vdb')));
  assert.ok(!out.some((l) => /mountpoint="\/(proc|dev\/shm|sys\/fs\/cgroup)"/.test(l)));
});

test('uname: one info series with the six uname labels', () => {
  const [family] = unameCollector(paths).collect();
  assert.deepEqual(
    family!.samples[0]!.labels.map(([k]) => k),
    ['domainname', 'machine', 'nodename', 'release', 'sysname', 'version'],
  );
  assert.deepEqual(family!.samples[0]!.labels[0], ['domainname', '(none)']);
});

test('time: clock, zone offset and clock sources', () => {
  const out = lines(timeCollector(paths));
  const now = Number(out[0]!.split(' ')[1]);
  assert.ok(Math.abs(now - Date.now() / 1000) < 60);
  assert.ok(
    out.includes('node_time_clocksource_available_info{clocksource="kvm-clock",device="0"} 1'),
  );
  assert.ok(out.includes('node_time_clocksource_current_info{clocksource="tsc",device="0"} 1'));
});
