/**
 * @module
 * "Kubernetes cluster": nodes, pods, CPU and memory by namespace from the container (cgroup)
 * metrics with their Kubernetes labels, and log volume and error lines by namespace from the
 * log store (the fields the agent's Kubernetes enrichment adds).
 */

import { type DashboardDoc, labelVariable, logsPanel, promPanel } from './panels.js';

const NS = 'namespace=~"$namespace"';

export const KUBERNETES_DASHBOARD: DashboardDoc = {
  uid: 'vigil-kubernetes',
  title: 'Kubernetes cluster',
  description: 'Nodes, pods, CPU and memory by namespace; log volume and error lines.',
  tags: ['builtin', 'kubernetes'],
  time: { from: 'now-1h', to: 'now' },
  refresh: '30s',
  variables: [
    labelVariable('namespace', 'label_values(container_cpu_usage_seconds_total, namespace)'),
  ],
  panels: [
    promPanel(
      1,
      'stat',
      'Nodes',
      [0, 0, 4, 4],
      [{ expr: 'count(node_uname_info)', instant: true }],
    ),
    promPanel(
      2,
      'stat',
      'Pods',
      [4, 0, 4, 4],
      [
        {
          expr: `count(count by (namespace, pod) (container_cpu_usage_seconds_total{pod!="",${NS}}))`,
          instant: true,
        },
      ],
    ),
    promPanel(
      3,
      'stat',
      'Containers',
      [8, 0, 4, 4],
      [{ expr: `count(container_cpu_usage_seconds_total{container!="",${NS}})`, instant: true }],
    ),
    promPanel(
      4,
      'gauge',
      'Cluster CPU busy',
      [12, 0, 6, 4],
      [
        {
          expr: '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval])))',
          instant: true,
        },
      ],
      { unit: 'percent', min: 0, max: 100 },
    ),
    promPanel(
      5,
      'gauge',
      'Cluster memory used',
      [18, 0, 6, 4],
      [
        {
          expr: '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))',
          instant: true,
        },
      ],
      { unit: 'percent', min: 0, max: 100 },
    ),
    promPanel(
      6,
      'timeseries',
      'CPU by namespace',
      [0, 4, 12, 8],
      [
        {
          expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="",${NS}}[$__rate_interval]))`,
          legendFormat: '{{namespace}}',
        },
      ],
      { stacked: true },
    ),
    promPanel(
      7,
      'timeseries',
      'Memory by namespace',
      [12, 4, 12, 8],
      [
        {
          expr: `sum by (namespace) (container_memory_working_set_bytes{container!="",${NS}})`,
          legendFormat: '{{namespace}}',
        },
      ],
      { unit: 'bytes', stacked: true },
    ),
    promPanel(
      8,
      'bargauge',
      'Pods per namespace',
      [0, 12, 8, 8],
      [
        {
          expr: `count by (namespace) (count by (namespace, pod) (container_cpu_usage_seconds_total{pod!="",${NS}}))`,
          legendFormat: '{{namespace}}',
          instant: true,
        },
      ],
    ),
    promPanel(9, 'table', 'Nodes', [8, 12, 16, 8], [{ expr: 'node_uname_info', instant: true }]),
    logsPanel(10, 'logvolume', 'Log volume by namespace', [0, 20, 12, 8], {
      query: 'kubernetes.namespace:$namespace',
      splitBy: 'kubernetes.namespace',
    }),
    logsPanel(11, 'logvolume', 'Error lines by namespace', [12, 20, 12, 8], {
      query: 'kubernetes.namespace:$namespace and (level:error or level:ERROR or stream:stderr)',
      splitBy: 'kubernetes.namespace',
    }),
    logsPanel(12, 'logs', 'Error lines', [0, 28, 24, 10], {
      query: 'kubernetes.namespace:$namespace and (level:error or level:ERROR or stream:stderr)',
      limit: 200,
    }),
  ],
};
