/**
 * @module
 * "Vigil itself": the server's own health from what `vigil server` exposes on /metrics (scraped
 * as job `vigil` by the built-in scrape jobs): ingestion, storage, queries, HTTP and process.
 */

import { type DashboardDoc, labelVariable, promPanel } from './panels.js';

const J = 'job=~"$job"';

export const VIGIL_DASHBOARD: DashboardDoc = {
  uid: 'vigil-self',
  title: 'Vigil itself',
  description: "Vigil's own metrics: TSDB, log store, scrapes, rules, HTTP and the process.",
  tags: ['builtin', 'vigil'],
  time: { from: 'now-1h', to: 'now' },
  refresh: '30s',
  variables: [
    {
      ...labelVariable('job', 'label_values(vigil_build_info, job)'),
      multi: false,
      includeAll: false,
      current: ['vigil'],
    },
  ],
  panels: [
    promPanel(
      1,
      'stat',
      'Version',
      [0, 0, 4, 4],
      [{ expr: `vigil_build_info{${J}}`, legendFormat: '{{version}}', instant: true }],
      { textMode: 'name' },
    ),
    promPanel(
      2,
      'stat',
      'Uptime',
      [4, 0, 4, 4],
      [{ expr: `time() - process_start_time_seconds{${J}}`, instant: true }],
      { unit: 's' },
    ),
    promPanel(
      3,
      'stat',
      'Head series',
      [8, 0, 4, 4],
      [{ expr: `vigil_tsdb_head_series{${J}}`, instant: true }],
    ),
    promPanel(4, 'stat', 'Targets up', [12, 0, 4, 4], [{ expr: 'sum(up)', instant: true }]),
    promPanel(
      5,
      'stat',
      'Targets down',
      [16, 0, 4, 4],
      [{ expr: 'count(up == 0) or vector(0)', instant: true }],
      {
        thresholds: [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
      },
    ),
    promPanel(
      6,
      'stat',
      'Resident memory',
      [20, 0, 4, 4],
      [{ expr: `process_resident_memory_bytes{${J}}`, instant: true }],
      { unit: 'bytes' },
    ),
    promPanel(
      7,
      'timeseries',
      'Samples appended / s',
      [0, 4, 12, 7],
      [
        {
          expr: `rate(vigil_tsdb_head_samples_appended_total{${J}}[$__rate_interval])`,
          legendFormat: 'samples',
        },
      ],
    ),
    promPanel(
      8,
      'timeseries',
      'Log documents / s',
      [12, 4, 12, 7],
      [
        {
          expr: `sum by (api, result) (rate(vigil_logs_documents_total{${J}}[$__rate_interval]))`,
          legendFormat: '{{api}} {{result}}',
        },
      ],
    ),
    promPanel(
      9,
      'timeseries',
      'HTTP requests / s',
      [0, 11, 12, 7],
      [
        {
          expr: `sum by (handler, code) (rate(vigil_http_requests_total{${J}}[$__rate_interval]))`,
          legendFormat: '{{handler}} {{code}}',
        },
      ],
    ),
    promPanel(
      10,
      'timeseries',
      'HTTP latency p99',
      [12, 11, 12, 7],
      [
        {
          expr: `histogram_quantile(0.99, sum by (le, handler) (rate(vigil_http_request_duration_seconds_bucket{${J}}[$__rate_interval])))`,
          legendFormat: '{{handler}}',
        },
      ],
      { unit: 's' },
    ),
    promPanel(
      11,
      'timeseries',
      'Scrape duration',
      [0, 18, 8, 7],
      [{ expr: 'scrape_duration_seconds', legendFormat: '{{job}} {{instance}}' }],
      { unit: 's' },
    ),
    promPanel(
      12,
      'timeseries',
      'Log searches / s',
      [8, 18, 8, 7],
      [
        {
          expr: `sum by (api) (rate(vigil_logs_searches_total{${J}}[$__rate_interval]))`,
          legendFormat: '{{api}}',
        },
      ],
    ),
    promPanel(
      13,
      'timeseries',
      'Rule evaluations / s',
      [16, 18, 8, 7],
      [
        {
          expr: `sum(rate(vigil_rule_evaluations_total{${J}}[$__rate_interval]))`,
          legendFormat: 'evaluations',
        },
        {
          expr: `sum(rate(vigil_rule_evaluation_failures_total{${J}}[$__rate_interval]))`,
          legendFormat: 'failures',
        },
      ],
    ),
    promPanel(
      14,
      'timeseries',
      'Process CPU',
      [0, 25, 12, 7],
      [{ expr: `rate(process_cpu_seconds_total{${J}}[$__rate_interval])`, legendFormat: 'cores' }],
    ),
    promPanel(
      15,
      'timeseries',
      'Process memory',
      [12, 25, 12, 7],
      [{ expr: `process_resident_memory_bytes{${J}}`, legendFormat: 'resident' }],
      { unit: 'bytes' },
    ),
  ],
};
