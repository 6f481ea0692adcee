import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cgroupCollector } from './collector.js';

const testdata = fileURLToPath(new URL('../testdata/', import.meta.url));
const UID = '0f3c0b1e-5a43-4c8e-9c55-0d7b8f3a9e21';
const CID = '3f1c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';

function lines(root: string, proc = `${testdata}proc`): string[] {
  return cgroupCollector({ root, proc, sys: `${testdata}sys` })
    .collect()
    .flatMap((f) =>
      f.samples.map(
        (s) =>
          `${f.name}${s.suffix}{${s.labels.map(([k, v]) => `${k}="${v}"`).join(',')}} ${s.value}`,
      ),
    );
}

test('cgroup v2: CPU, working set, RSS, I/O with device names, pod network on the pod cgroup', () => {
  const out = lines(`${testdata}cgroup-v2`);
  const podId = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`;
  const pod = `id="${podId}",pod_uid="${UID}"`;
  const ctr = `id="${podId}/cri-containerd-${CID}.scope",pod_uid="${UID}",container_id="${CID}"`;
  for (const line of [
    'container_cpu_usage_seconds_total{id="/",cpu="total"} 5000',
    `container_cpu_usage_seconds_total{${ctr},cpu="total"} 1.5`,
    `container_cpu_user_seconds_total{${ctr}} 1`,
    `container_cpu_system_seconds_total{${ctr}} 0.5`,
    `container_memory_usage_bytes{${ctr}} 104857600`,
    // 100 MiB usage minus 30 MiB inactive file pages
    `container_memory_working_set_bytes{${ctr}} 73400320`,
    `container_memory_rss{${ctr}} 52428800`,
    `container_memory_cache{${ctr}} 41943040`,
    `container_memory_swap{${ctr}} 0`,
    `container_fs_reads_bytes_total{${ctr},device="/dev/vda"} 4096`,
    `container_fs_writes_bytes_total{${ctr},device="/dev/vda"} 8192`,
    `container_fs_reads_total{${ctr},device="/dev/vda"} 1`,
    `container_fs_writes_total{${ctr},device="/dev/vda"} 2`,
    // inactive_file larger than usage: clamped, not negative
    'container_memory_working_set_bytes{id="/system.slice/sshd.service"} 0',
    `container_network_receive_bytes_total{${pod},interface="eth0"} 5000`,
    `container_network_receive_errors_total{${pod},interface="eth0"} 1`,
    `container_network_receive_packets_dropped_total{${pod},interface="eth0"} 2`,
    `container_network_transmit_packets_total{${pod},interface="eth0"} 70`,
  ]) {
    assert.ok(out.includes(line), `missing ${line}\n${out.join('\n')}`);
  }
  assert.ok(!out.some((l) => l.includes('interface="lo"')), 'loopback excluded');
  assert.ok(
    !out.some((l) => l.includes('container_network') && l.includes('container_id')),
    'network only on the pod',
  );
  assert.ok(
    !out.some((l) => l.includes('container_network') && l.includes('sshd')),
    'host namespace not repeated',
  );
  assert.ok(
    !out.some((l) => l.startsWith('container_memory_usage_bytes{id="/"}')),
    'v2 root has no memory.current',
  );
});

test('cgroup v1 (hybrid layout, cgroupfs driver): per-controller trees joined by path', () => {
  const out = lines(`${testdata}cgroup-v1`);
  const ctr = `id="/kubepods/besteffort/pod${UID}/${CID}",pod_uid="${UID}",container_id="${CID}"`;
  for (const line of [
    'container_cpu_usage_seconds_total{id="/",cpu="total"} 2.5',
    `container_cpu_usage_seconds_total{${ctr},cpu="total"} 2.5`,
    `container_cpu_user_seconds_total{${ctr}} 2`,
    `container_cpu_system_seconds_total{${ctr}} 0.5`,
    `container_memory_working_set_bytes{${ctr}} 73400320`,
    `container_memory_rss{${ctr}} 52428800`,
    `container_fs_reads_bytes_total{${ctr},device="/dev/vda"} 4096`,
    `container_fs_writes_total{${ctr},device="/dev/vda"} 2`,
    `container_network_transmit_bytes_total{id="/kubepods/besteffort/pod${UID}",pod_uid="${UID}",interface="eth0"} 7000`,
  ]) {
    assert.ok(out.includes(line), `missing ${line}\n${out.join('\n')}`);
  }
  assert.ok(!out.some((l) => l.includes('id="/unified"')), 'the empty v2 tree is not walked');
});

test('no cgroup file system: no families', () => {
  assert.deepEqual(lines(`${testdata}does-not-exist`), []);
});

const real = '/sys/fs/cgroup';
test(
  'the real hierarchy of this machine',
  { skip: existsSync(real) ? false : 'no /sys/fs/cgroup' },
  () => {
    const out = lines(real, '/proc');
    const root = out.find((l) =>
      l.startsWith('container_cpu_usage_seconds_total{id="/",cpu="total"}'),
    );
    assert.ok(root !== undefined, out.slice(0, 20).join('\n'));
    assert.ok(Number(root.split(' ')[1]) > 0);
    for (const l of out) {
      assert.ok(Number.isFinite(Number(l.slice(l.lastIndexOf(' ') + 1))), l);
      if (l.startsWith('container_memory_working_set_bytes'))
        assert.ok(Number(l.split(' ').pop()) >= 0, l);
    }
  },
);
