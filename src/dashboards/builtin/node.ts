/**
 * @module
 * "Node": one host as Vigil's exporter sees it (the node_exporter metric names of
 * docs/exporters.md), like the community's "Node Exporter Full" board, condensed.
 */

import { type DashboardDoc, labelVariable, promPanel } from './panels.js';

const I = 'instance=~"$instance"';

export const NODE_DASHBOARD: DashboardDoc = {
  uid: 'vigil-node',
  title: 'Node',
  description: 'Host CPU, memory, disk, filesystem and network from the node exporter metrics.',
  tags: ['builtin', 'node'],
  time: { from: 'now-1h', to: 'now' },
  refresh: '30s',
  variables: [
    {
      ...labelVariable('instance', 'label_values(node_uname_info, instance)'),
      multi: false,
      includeAll: false,
      current: [],
    },
  ],
  panels: [
    promPanel(
      1,
      'stat',
      'Uptime',
      [0, 0, 4, 4],
      [{ expr: `time() - node_boot_time_seconds{${I}}`, instant: true }],
      { unit: 's' },
    ),
    promPanel(
      2,
      'gauge',
      'CPU busy',
      [4, 0, 5, 4],
      [
        {
          expr: `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle",${I}}[$__rate_interval])))`,
          instant: true,
        },
      ],
      {
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: [
          { value: null, color: 'green' },
          { value: 70, color: 'orange' },
          { value: 90, color: 'red' },
        ],
      },
    ),
    promPanel(
      3,
      'gauge',
      'Memory used',
      [9, 0, 5, 4],
      [
        {
          expr: `100 * (1 - node_memory_MemAvailable_bytes{${I}} / node_memory_MemTotal_bytes{${I}})`,
          instant: true,
        },
      ],
      {
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: [
          { value: null, color: 'green' },
          { value: 80, color: 'orange' },
          { value: 95, color: 'red' },
        ],
      },
    ),
    promPanel(
      4,
      'stat',
      'Load (1m)',
      [14, 0, 3, 4],
      [{ expr: `node_load1{${I}}`, instant: true }],
      { decimals: 2 },
    ),
    promPanel(
      5,
      'stat',
      'CPU cores',
      [17, 0, 3, 4],
      [{ expr: `count(node_cpu_seconds_total{mode="idle",${I}})`, instant: true }],
    ),
    promPanel(
      6,
      'stat',
      'Memory total',
      [20, 0, 4, 4],
      [{ expr: `node_memory_MemTotal_bytes{${I}}`, instant: true }],
      { unit: 'bytes' },
    ),
    promPanel(
      7,
      'timeseries',
      'CPU by mode',
      [0, 4, 12, 8],
      [
        {
          expr: `sum by (mode) (rate(node_cpu_seconds_total{mode!="idle",${I}}[$__rate_interval]))`,
          legendFormat: '{{mode}}',
        },
      ],
      { stacked: true },
    ),
    promPanel(
      8,
      'timeseries',
      'Memory',
      [12, 4, 12, 8],
      [
        {
          expr: `node_memory_MemTotal_bytes{${I}} - node_memory_MemAvailable_bytes{${I}}`,
          legendFormat: 'used',
        },
        {
          expr: `node_memory_Cached_bytes{${I}} + node_memory_Buffers_bytes{${I}}`,
          legendFormat: 'cache + buffers',
        },
        { expr: `node_memory_MemAvailable_bytes{${I}}`, legendFormat: 'available' },
      ],
      { unit: 'bytes' },
    ),
    promPanel(
      9,
      'timeseries',
      'Load average',
      [0, 12, 8, 7],
      [
        { expr: `node_load1{${I}}`, legendFormat: '1m' },
        { expr: `node_load5{${I}}`, legendFormat: '5m' },
        { expr: `node_load15{${I}}`, legendFormat: '15m' },
      ],
    ),
    promPanel(
      10,
      'timeseries',
      'Disk I/O',
      [8, 12, 8, 7],
      [
        {
          expr: `sum by (device) (rate(node_disk_read_bytes_total{${I}}[$__rate_interval]))`,
          legendFormat: '{{device}} read',
        },
        {
          expr: `sum by (device) (rate(node_disk_written_bytes_total{${I}}[$__rate_interval]))`,
          legendFormat: '{{device}} written',
        },
      ],
      { unit: 'Bps' },
    ),
    promPanel(
      11,
      'timeseries',
      'Network',
      [16, 12, 8, 7],
      [
        {
          expr: `sum by (device) (rate(node_network_receive_bytes_total{device!="lo",${I}}[$__rate_interval]))`,
          legendFormat: '{{device}} in',
        },
        {
          expr: `sum by (device) (rate(node_network_transmit_bytes_total{device!="lo",${I}}[$__rate_interval]))`,
          legendFormat: '{{device}} out',
        },
      ],
      { unit: 'Bps' },
    ),
    promPanel(
      12,
      'bargauge',
      'Filesystem used',
      [0, 19, 12, 7],
      [
        {
          expr: `100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs",${I}} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs",${I}})`,
          legendFormat: '{{mountpoint}}',
          instant: true,
        },
      ],
      {
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: [
          { value: null, color: 'green' },
          { value: 80, color: 'orange' },
          { value: 90, color: 'red' },
        ],
      },
    ),
    promPanel(
      13,
      'table',
      'Filesystems',
      [12, 19, 12, 7],
      [
        {
          expr: `node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs",${I}}`,
          instant: true,
        },
      ],
      { unit: 'bytes' },
    ),
  ],
};
