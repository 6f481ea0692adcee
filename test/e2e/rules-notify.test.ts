/**
 * @module
 * Alerts from Vigil's rules reach Alertmanagers over API v2: `vigil server` evaluates an
 * always-firing rule and sends to both `vigil alertmanager` and Debian's Alertmanager; each
 * lists the alert with the rule's labels, the external labels the alert lacked, the effect of
 * `alert_relabel_configs`, the rendered annotations and a generator URL.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HAVE_DEBIAN_ALERTMANAGER,
  startDebianAlertmanager,
  startVigilAlertmanager,
} from '../harness/alertmanager.js';
import { startVigil, tempDir } from '../harness/vigil.js';

const AM_CONFIG = 'route:\n  receiver: none\nreceivers:\n  - name: none\n';

const RULES = `
groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysOn
        expr: vector(42)
        labels: { severity: info, drop_me: x, cluster: from-rule }
        annotations: { summary: 'value {{ $value }} in {{ $externalLabels.region }}' }
`;

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  startsAt: string;
  endsAt: string;
}

test(
  'alerts from rules reach vigil alertmanager and Debian Alertmanager',
  { timeout: 60_000 },
  async (t) => {
    const ams = [await startVigilAlertmanager(t, AM_CONFIG)];
    if (HAVE_DEBIAN_ALERTMANAGER) ams.push(await startDebianAlertmanager(t, AM_CONFIG));
    const dir = tempDir(t, 'vigil-rules-notify-');
    const rulesFile = join(dir, 'rules.yml');
    writeFileSync(rulesFile, RULES);
    const targets = ams.map((am) => `'${new URL(am.url).host}'`).join(', ');
    const vigil = await startVigil(t, {
      config: `global:
  evaluation_interval: 1s
  external_labels: { region: eu1, cluster: from-global }
rule_files: ['${rulesFile}']
alerting:
  alert_relabel_configs:
    - action: labeldrop
      regex: drop_me
  alertmanagers:
    - static_configs: [{ targets: [${targets}] }]
      timeout: 5s
`,
    });
    for (const am of ams) {
      let got: AmAlert[] = [];
      const deadline = Date.now() + 20_000;
      while (got.length === 0 && Date.now() < deadline) {
        got = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as AmAlert[];
        if (got.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(got.length, 1, `${am.url}: ${am.log()}`);
      const a = got[0]!;
      assert.deepEqual(a.labels, {
        alertname: 'AlwaysOn',
        severity: 'info',
        cluster: 'from-rule',
        region: 'eu1',
      });
      assert.deepEqual(a.annotations, { summary: 'value 42 in eu1' });
      assert.match(
        a.generatorURL,
        /^http:\/\/[^/]+:\d+\/graph\?g0\.expr=vector%2842%29&g0\.tab=1$/,
      );
      assert.ok(Date.parse(a.endsAt) > Date.now(), `endsAt ${a.endsAt} is in the future`);
    }
    const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
    assert.match(metrics, /^vigil_notifications_sent_total [1-9]/m);
    assert.match(metrics, /^vigil_notifications_errors_total 0$/m);
    await vigil.stop();
  },
);

test(
  'Alertmanagers found by file_sd_configs get the alerts, and follow the file',
  { timeout: 90_000 },
  async (t) => {
    const first = await startVigilAlertmanager(t, AM_CONFIG);
    const second = await startVigilAlertmanager(t, AM_CONFIG);
    const dir = tempDir(t, 'vigil-rules-notify-');
    // `Later` starts firing 25 s from now, after the file has switched to the second
    // Alertmanager: a newly firing alert is sent at once, while AlwaysOn is re-sent only every
    // minute.
    const later = Math.floor(Date.now() / 1000) + 25;
    writeFileSync(
      join(dir, 'rules.yml'),
      `${RULES}      - alert: Later\n        expr: vector(1) and on() (vector(time()) > ${later})\n`,
    );
    const sd = join(dir, 'alertmanagers.json');
    const targets = (am: { url: string }) => JSON.stringify([{ targets: [new URL(am.url).host] }]);
    writeFileSync(sd, targets(first));
    await startVigil(t, {
      config: `global:
  evaluation_interval: 1s
rule_files: ['${join(dir, 'rules.yml')}']
alerting:
  alertmanagers:
    - file_sd_configs: [{ files: ['${sd}'], refresh_interval: 1s }]
alertmanager:
  enabled: false
`,
    });
    const names = async (am: { url: string }, want: string) => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const got = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as AmAlert[];
        const list = got.map((a) => a.labels.alertname!).sort();
        if (list.includes(want) || Date.now() > deadline) return list;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    assert.deepEqual(await names(first, 'AlwaysOn'), ['AlwaysOn']);
    writeFileSync(sd, targets(second));
    assert.deepEqual(await names(second, 'Later'), ['Later']);
    assert.deepEqual(await names(first, 'AlwaysOn'), ['AlwaysOn'], 'Later went to the second only');
  },
);
