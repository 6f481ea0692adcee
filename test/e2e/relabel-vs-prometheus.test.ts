/**
 * @module
 * Runs Debian's Prometheus 2.42 with static scrape targets and a `relabel_configs` list that uses
 * every action, and requires our `relabel()` to agree with it on every target: applied to each
 * target's labels before relabeling, it must drop exactly the targets Prometheus lists as dropped
 * and give each active target the `labels` Prometheus shows — after the steps Prometheus' target
 * page takes past relabeling (`instance` defaulted to `__address__`, `__*`
 * labels hidden). The rules stay within what 2.42 and 3.x treat alike: legacy label names and no
 * newlines in values (3.x regexes let `.` match a newline; 2.x's do not). The labels before
 * relabeling are built from the config, as Prometheus builds them, rather than read from the API:
 * 2.42 reports active targets' `discoveredLabels` from a builder that relabeling later overwrote
 * (observed: one target's discovered labels showing another's relabeled result).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { Labels } from '../../src/metrics/model/labels.js';
import { relabelConfigsSchema } from '../../src/metrics/model/relabel/config.js';
import { relabel } from '../../src/metrics/model/relabel/relabel.js';
import { HAVE_PROMETHEUS, PROMETHEUS, startPrometheus } from '../harness/prometheus.js';

const STATIC_CONFIGS: { targets: string[]; labels: Record<string, string> }[] = [
  {
    targets: ['127.0.0.1:9101', '127.0.0.1:9102', '127.0.0.1:9103', '127.0.0.1:9108'],
    labels: {
      env: 'Prod',
      team: 'Core-Infra',
      region: 'eu-west-1',
      zone: 'a',
      drop_me: 'x',
      peer: '9101',
      want_path: '/metrics',
      __meta_static_owner: 'alice',
    },
  },
  {
    targets: ['127.0.0.1:9104', 'localhost:9105', '127.0.0.1:9109'],
    labels: {
      env: 'staging',
      team: 'wéb',
      region: 'us-east-2',
      peer: '9104',
      want_path: '/metrics',
    },
  },
  { targets: ['127.0.0.1:9106'], labels: { env: 'dev', want_path: '/metrics' } },
  { targets: ['127.0.0.1:9107'], labels: { env: 'prod', want_path: '/other' } },
];
const TARGETS = STATIC_CONFIGS.reduce((n, g) => n + g.targets.length, 0);

const RULES = [
  {
    source_labels: ['__address__'],
    regex: '(.+):(\\d+)',
    target_label: '__tmp_port',
    replacement: '$2',
  },
  { action: 'keep', source_labels: ['env'], regex: '(?i)prod|staging' },
  { action: 'drop', source_labels: ['__address__'], regex: '.*:9103' },
  { action: 'dropequal', source_labels: ['__tmp_port'], target_label: 'peer' },
  { action: 'keepequal', source_labels: ['want_path'], target_label: '__metrics_path__' },
  {
    source_labels: ['region'],
    regex: '(?P<area>[a-z]+)-(\\w+)-(\\d)',
    target_label: '${area}_idx',
    replacement: '$3-${2}x',
  },
  { source_labels: ['zone'], target_label: 'zone', replacement: '$1x' },
  { source_labels: ['env', 'team'], separator: '/', target_label: 'combo' },
  { source_labels: ['nonexistent', 'env'], target_label: 'missing_join' },
  { source_labels: ['env'], regex: 'nomatch', target_label: 'env', replacement: 'changed' },
  { source_labels: ['env'], regex: '(x?)(.*)', target_label: '$1', replacement: 'v' },
  { action: 'lowercase', source_labels: ['env'], target_label: 'env_lower' },
  { action: 'uppercase', source_labels: ['team', 'region'], target_label: 'team_upper' },
  { action: 'hashmod', source_labels: ['__address__'], modulus: 5, target_label: 'shard' },
  { action: 'labelmap', regex: '__meta_static_(.+)', replacement: 'meta_$1' },
  { action: 'labelmap', regex: 'want_(.*)' },
  { action: 'labeldrop', regex: 'drop_.*' },
  {
    action: 'labelkeep',
    regex: '__.*|job|env.*|team.*|shard|meta_.*|.*_idx|combo|missing_join|path',
  },
];

interface Target {
  discoveredLabels: Record<string, string>;
  labels?: Record<string, string>;
}

/** Each target's labels before relabeling, built from the scrape config as Prometheus does. */
function discoveredLabels(): Record<string, string>[] {
  return STATIC_CONFIGS.flatMap((group) =>
    group.targets.map((address) => ({
      ...group.labels,
      __address__: address,
      job: 'relabel',
      __scrape_interval__: '1h',
      __scrape_timeout__: '10s',
      __metrics_path__: '/metrics',
      __scheme__: 'http',
    })),
  );
}

/** What Prometheus' target page shows of a relabeled set. */
function publicLabels(relabeled: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  relabeled.forEach((n, v) => {
    if (!n.startsWith('__')) out[n] = v;
  });
  out.instance ??= relabeled.get('__address__');
  return out;
}

test(
  'relabel() agrees with Prometheus 2.42 on targets relabeled by every action',
  { skip: HAVE_PROMETHEUS ? false : `${PROMETHEUS} is not installed` },
  async (t) => {
    const config = {
      scrape_configs: [
        {
          job_name: 'relabel',
          scrape_interval: '1h',
          scrape_timeout: '10s',
          static_configs: STATIC_CONFIGS,
          relabel_configs: RULES,
        },
      ],
    };
    const prometheus = await startPrometheus(t, () => stringify(config));

    // Targets appear once discovery has run and the scrape manager has synced (a 5s throttle).
    let active: Target[];
    let dropped: Target[];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${prometheus.url}/api/v1/targets`).catch(() => undefined);
      if (res?.status === 200) {
        const body = (await res.json()) as {
          data: { activeTargets: Target[]; droppedTargets: Target[] };
        };
        ({ activeTargets: active, droppedTargets: dropped } = body.data);
        if (active.length + dropped.length === TARGETS) break;
      }
      if (Date.now() > deadline) {
        assert.fail(`Prometheus listed no complete target set; its log:\n${prometheus.log()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }

    const rules = relabelConfigsSchema.parse(RULES);
    const want = new Map<string, Record<string, string>>();
    const wantDropped: string[] = [];
    for (const discovered of discoveredLabels()) {
      const ours = relabel(Labels.fromRecord(discovered), rules);
      if (ours === null) wantDropped.push(discovered.__address__!);
      else want.set(ours.get('__address__'), publicLabels(ours));
    }
    const got = new Map(active.map((a) => [a.labels!.instance!, a.labels!]));
    assert.deepEqual(got, want);
    const gotDropped = dropped.map((d) => d.discoveredLabels.__address__!);
    assert.deepEqual(gotDropped.sort(), wantDropped.sort());
    assert.equal(active.length, 4, 'the rules leave four active targets');
  },
);
