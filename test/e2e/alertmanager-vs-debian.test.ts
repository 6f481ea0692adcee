/**
 * @module
 * Debian's Prometheus (2.42) evaluates an always-firing rule and sends its alerts to both
 * `vigil alertmanager` and Debian's Alertmanager (0.25), each configured with the same route and
 * a webhook receiver of its own. Both webhooks must receive the same message: the same keys, the
 * same group key, status, receiver, labels and annotations, and per alert the same status,
 * times, generator URL and fingerprint — all but `externalURL`, which names each Alertmanager.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEBIAN_ALERTMANAGER,
  HAVE_DEBIAN_ALERTMANAGER,
  startDebianAlertmanager,
  startVigilAlertmanager,
} from '../harness/alertmanager.js';
import { HAVE_PROMETHEUS, PROMETHEUS, startPrometheus } from '../harness/prometheus.js';
import { startWebhook } from '../harness/webhook.js';

const skip = !HAVE_PROMETHEUS
  ? `${PROMETHEUS} is not installed`
  : !HAVE_DEBIAN_ALERTMANAGER
    ? `${DEBIAN_ALERTMANAGER} is not installed`
    : false;

const RULES = `groups:
  - name: always
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels:
          severity: page
          team: "db \\"core\\""
        annotations:
          summary: "it fires: {{ $value }}"
`;

function amConfig(hookUrl: string): string {
  return `route:
  receiver: team.hook
  group_by: [alertname, severity]
  group_wait: 1s
  group_interval: 1m
  routes:
    - matchers: ['severity=~"page|critical"']
      receiver: team.hook
receivers:
  - name: team.hook
    webhook_configs:
      - url: ${hookUrl}
`;
}

test(
  'Prometheus alerts reach a webhook through Vigil and through Debian Alertmanager alike',
  { skip },
  async (t) => {
    const vigilHook = await startWebhook(t);
    const debianHook = await startWebhook(t);
    const vigil = await startVigilAlertmanager(t, amConfig(vigilHook.url));
    const debian = await startDebianAlertmanager(t, amConfig(debianHook.url));
    const target = (url: string) => url.replace('http://', '');
    const prometheus = await startPrometheus(
      t,
      (_port, dir) => {
        writeFileSync(join(dir, 'rules.yml'), RULES);
        return `global:
  evaluation_interval: 1s
rule_files: [${join(dir, 'rules.yml')}]
alerting:
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets: ['${target(vigil.url)}', '${target(debian.url)}']
`;
      },
      // An alert evaluated before Prometheus has discovered its Alertmanagers is dropped;
      // resend it soon rather than after the default minute.
      ['--rules.alert.resend-delay=1s'],
    );

    const [ours] = await vigilHook.waitFor(1, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\nvigil:\n${vigil.log()}\nprometheus:\n${prometheus.log()}`);
    });
    const [theirs] = await debianHook.waitFor(1, 60_000);
    assert.equal(ours!.externalURL, vigil.url);
    assert.equal(theirs!.externalURL !== undefined, true);
    const strip = (m: Record<string, unknown>) => ({ ...m, externalURL: '<each its own>' });
    assert.deepEqual(strip(ours!), strip(theirs!));
    // Key order too, as a consumer hashing or diffing raw bodies would see it.
    assert.deepEqual(Object.keys(ours!), Object.keys(theirs!));
    const a = (m: Record<string, unknown>) => Object.keys((m.alerts as object[])[0]!);
    assert.deepEqual(a(ours!), a(theirs!));
    assert.equal(ours!.receiver, 'team\\.hook');

    // The same alert as the API lists it: the fingerprint agrees too.
    const list = async (url: string) =>
      (
        (await (await fetch(`${url}/api/v2/alerts`)).json()) as {
          fingerprint: string;
          labels: object;
        }[]
      ).map((x) => [x.fingerprint, x.labels]);
    assert.deepEqual(await list(vigil.url), await list(debian.url));
  },
);
