/**
 * @module
 * The Alertmanager built into `vigil server`: an alerting rule fires, the server's notifier
 * sends it to its own Alertmanager by default, which routes and groups it and delivers it to a
 * webhook; Debian's `amtool` drives that Alertmanager under `/alertmanager`; without an
 * alertmanager.yml the alerts are kept and listed but notify no one.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AMTOOL, HAVE_AMTOOL } from '../harness/alertmanager.js';
import { startVigil, tempDir } from '../harness/vigil.js';
import { startWebhook, webhookAlertmanagerConfig } from '../harness/webhook.js';

const exec = promisify(execFile);

const RULES = `
groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysOn
        expr: vector(7)
        labels: { severity: page }
        annotations: { summary: 'value is {{ $value }}' }
`;

async function amtool(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(AMTOOL, [`--alertmanager.url=${url}`, ...args], {
    timeout: 20_000,
  });
  return stdout;
}

test(
  'a rule fires and reaches a webhook through the built-in Alertmanager; amtool drives it',
  { timeout: 90_000 },
  async (t) => {
    const hook = await startWebhook(t);
    const dir = tempDir(t, 'vigil-server-am-');
    writeFileSync(join(dir, 'rules.yml'), RULES);
    writeFileSync(join(dir, 'alertmanager.yml'), webhookAlertmanagerConfig(hook.url));
    const vigil = await startVigil(t, {
      config: `global:
  evaluation_interval: 1s
  external_labels: { region: eu1 }
rule_files: ['${join(dir, 'rules.yml')}']
alertmanager:
  config_file: ${join(dir, 'alertmanager.yml')}
`,
    });
    const [body] = await hook.waitFor(1, 30_000);
    assert.equal(body!.receiver, 'hook');
    assert.equal(body!.status, 'firing');
    assert.equal(body!.version, '4');
    assert.match(String(body!.externalURL), /^http:\/\/[^/]+:\d+\/alertmanager$/);
    assert.deepEqual(body!.groupLabels, { alertname: 'AlwaysOn' });
    const [alert] = body!.alerts as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
    assert.deepEqual(alert!.labels, { alertname: 'AlwaysOn', severity: 'page', region: 'eu1' });
    assert.deepEqual(alert!.annotations, { summary: 'value is 7' });

    const am = `${vigil.url}/alertmanager`;
    assert.equal((await fetch(`${am}/-/ready`)).status, 200);
    const status = (await (await fetch(`${am}/api/v2/status`)).json()) as {
      config: { original: string };
    };
    assert.match(status.config.original, /receiver: hook/);
    if (HAVE_AMTOOL) {
      assert.match(await amtool(am, 'alert', 'query'), /AlwaysOn/);
      const id = (
        await amtool(
          am,
          'silence',
          'add',
          'alertname=AlwaysOn',
          '-c',
          'quiet',
          '-a',
          'test',
          '-d',
          '1h',
        )
      ).trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.match(await amtool(am, 'silence', 'query'), new RegExp(id));
      // The silenced alert leaves the default listing.
      let listed = '';
      for (let i = 0; i < 50; i++) {
        listed = await amtool(am, 'alert', 'query');
        if (!listed.includes('AlwaysOn')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.doesNotMatch(listed, /AlwaysOn/);
      await amtool(am, 'silence', 'expire', id);
      assert.equal((await amtool(am, 'silence', 'query', '-q')).trim(), '');
    } else {
      t.diagnostic(`${AMTOOL} is not installed: amtool part skipped`);
    }
    const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
    assert.match(metrics, /^alertmanager_notifications_total\{integration="webhook"\} [1-9]/m);
    assert.match(metrics, /^alertmanager_alerts_received_total\{status="firing"\} [1-9]/m);
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'without an alertmanager.yml the built-in Alertmanager keeps and lists alerts',
  { timeout: 60_000 },
  async (t) => {
    const dir = tempDir(t, 'vigil-server-am-');
    writeFileSync(join(dir, 'rules.yml'), RULES);
    const vigil = await startVigil(t, {
      config: `global:\n  evaluation_interval: 1s\nrule_files: ['${join(dir, 'rules.yml')}']\n`,
    });
    let alerts: { labels: Record<string, string>; receivers: { name: string }[] }[] = [];
    for (let i = 0; i < 100 && alerts.length === 0; i++) {
      alerts = (await (
        await fetch(`${vigil.url}/alertmanager/api/v2/alerts`)
      ).json()) as typeof alerts;
      if (alerts.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.labels.alertname, 'AlwaysOn');
    assert.deepEqual(alerts[0]!.receivers, [{ name: 'default' }]);

    const off = await startVigil(t, {
      config: `global:\n  evaluation_interval: 1s\nalertmanager:\n  enabled: false\n`,
    });
    assert.equal((await fetch(`${off.url}/alertmanager/api/v2/status`)).status, 404);
  },
);

test(
  'SIGHUP re-reads alertmanager.yml: a broken one is refused, a good one applied',
  { timeout: 90_000 },
  async (t) => {
    const first = await startWebhook(t);
    const second = await startWebhook(t);
    const dir = tempDir(t, 'vigil-server-am-');
    writeFileSync(join(dir, 'rules.yml'), RULES);
    const amFile = join(dir, 'alertmanager.yml');
    const amConfig = (receiver: string, url: string) => `route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: '${url}' }]
`;
    writeFileSync(amFile, amConfig('first', first.url));
    const vigil = await startVigil(t, {
      config: `global:\n  evaluation_interval: 1s\nrule_files: ['${join(dir, 'rules.yml')}']\nalertmanager:\n  config_file: ${amFile}\n`,
    });
    await first.waitFor(1, 30_000);
    const reloaded = async () => {
      const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
      return /^vigil_config_last_reload_successful 1$/m.test(metrics);
    };

    writeFileSync(amFile, 'route:\n  receiver: nobody\nreceivers: []\n');
    vigil.child.kill('SIGHUP');
    await vigil.waitForLog((l) => String(l.msg).includes('reload') && l.level === 'error');
    assert.equal(await reloaded(), false);
    const status = (await (await fetch(`${vigil.url}/alertmanager/api/v2/status`)).json()) as {
      config: { original: string };
    };
    assert.match(status.config.original, /receiver: first/);

    writeFileSync(amFile, amConfig('second', second.url));
    vigil.child.kill('SIGHUP');
    const [body] = await second.waitFor(1, 30_000);
    assert.equal(body!.receiver, 'second');
    assert.equal(await reloaded(), true);
  },
);
