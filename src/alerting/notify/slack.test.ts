/**
 * Slack notifications from a real Alertmanager to a real HTTP server standing in for Slack's
 * incoming webhook: the message shape, default and custom templates, retries.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../test/harness/temp.js';
import { startWebhook } from '../../../test/harness/webhook.js';
import { ManualClock } from '../../lib/clock/clock.js';
import { Registry } from '../../lib/instrument/index.js';
import { Logger } from '../../lib/log/logger.js';
import { Alertmanager } from '../alertmanager.js';
import { loadAlertmanagerConfig, parseAlertmanagerConfig } from '../config/load.js';
import { newAlert } from '../model/alert.js';
import { ConfigError } from '../../config/errors.js';

const T0 = Date.parse('2024-03-04T10:00:00Z');

test('Slack gets Alertmanager’s message: defaults, custom fields, colour by status', async (t) => {
  const running: { am?: Alertmanager } = {};
  t.after(() => running.am?.stop()); // before the directory goes: hooks run in registration order
  const slack = await startWebhook(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'url'), `${slack.url}?from=file\n`);
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(
    file,
    `global:
  slack_api_url: ${slack.url}
route:
  receiver: chat
  group_by: [alertname]
  group_wait: 10s
  group_interval: 1m
receivers:
  - name: chat
    slack_configs:
      - channel: '#alerts'
        send_resolved: true
      - api_url_file: ${join(dir, 'url')}
        username: vigil
        icon_emoji: ':fire:'
        title: '{{ .CommonLabels.alertname }} on {{ len .Alerts }}'
        text: '{{ range .Alerts }}{{ .Annotations.summary }} {{ end }}'
        fields:
          - { title: Severity, value: '{{ .CommonLabels.severity }}', short: true }
          - { title: Runbook, value: 'http://runbooks/{{ .GroupLabels.alertname }}' }
        actions:
          - type: button
            text: 'Silence {{ .CommonLabels.alertname }}'
            url: '{{ .ExternalURL }}/#/silences/new'
            confirm: { text: 'Sure?' }
`,
  );
  const clock = new ManualClock(T0);
  const registry = new Registry();
  const am = new Alertmanager({
    config: loadAlertmanagerConfig(file),
    storageDir: join(dir, 'state'),
    externalURL: () => 'http://am.example:9093',
    clock,
    registry,
    logger: new Logger({ level: 'error', write: () => {} }),
  });
  running.am = am;
  await am.start();
  const alert = (endsAt: number) =>
    newAlert({
      labels: { alertname: 'Down', instance: 'a', severity: 'page' },
      annotations: { summary: 'a is down' },
      startsAt: T0,
      endsAt,
      updatedAt: clock.now(),
      timeout: false,
    });
  slack.failNext.push(503);
  am.store.put([alert(T0 + 3_600_000)]);
  await clock.advance(10_000);
  // One of the two posts met the 503 and is retried after its backoff.
  for (let i = 0; i < 20 && slack.received.length < 2; i++) {
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
  }
  const bodies = await slack.waitFor(2);
  const byChannel = bodies.find((b) => b.channel === '#alerts')!;
  assert.deepEqual(byChannel, {
    channel: '#alerts',
    username: 'Alertmanager',
    attachments: [
      {
        title: '[FIRING:1] Down (a page)',
        title_link: 'http://am.example:9093/#/alerts?receiver=chat',
        text: '',
        fallback: '[FIRING:1] Down (a page) | http://am.example:9093/#/alerts?receiver=chat',
        callback_id: '',
        footer: '',
        color: 'danger',
        mrkdwn_in: ['fallback', 'pretext', 'text'],
      },
    ],
  });
  const custom = bodies.find((b) => b.username === 'vigil')!;
  assert.equal(custom.icon_emoji, ':fire:');
  const [att] = custom.attachments as Record<string, unknown>[];
  assert.equal(att!.title, 'Down on 1');
  assert.equal(att!.text, 'a is down ');
  assert.deepEqual(att!.fields, [
    { title: 'Severity', value: 'page', short: true },
    { title: 'Runbook', value: 'http://runbooks/Down', short: false },
  ]);
  assert.deepEqual(att!.actions, [
    {
      type: 'button',
      text: 'Silence Down',
      url: 'http://am.example:9093/#/silences/new',
      confirm: { text: 'Sure?' },
    },
  ]);
  const failed = registry
    .expose('text')
    .split('\n')
    .find((l) =>
      l.startsWith('alertmanager_notification_requests_failed_total{integration="slack"}'),
    );
  assert.equal(failed?.split(' ')[1], '1');

  // Resolved: only the config with send_resolved posts, coloured good.
  am.store.put([alert(clock.now())]);
  await clock.advance(60_000);
  const [, , resolved] = await slack.waitFor(3);
  assert.equal(resolved!.channel, '#alerts');
  const [r] = resolved!.attachments as Record<string, unknown>[];
  assert.equal(r!.color, 'good');
  assert.equal(r!.title, '[RESOLVED] Down (a page)');
});

test('a Slack or email config without a URL, smarthost or sender is refused at load', () => {
  const load = (receiver: string) =>
    parseAlertmanagerConfig(
      `route: { receiver: r }\nreceivers:\n  - name: r\n${receiver}`,
      'am.yml',
    );
  assert.throws(
    () => load('    slack_configs: [{ channel: x }]'),
    (e: unknown) => e instanceof ConfigError && /no global Slack API URL set/.test(e.message),
  );
  assert.throws(
    () =>
      load('    slack_configs: [{ api_url: "http://x", actions: [{ type: button, text: t }] }]'),
    (e: unknown) => e instanceof ConfigError && /missing name or url/.test(e.message),
  );
  assert.throws(
    () => load('    email_configs: [{ to: a@b }]'),
    (e: unknown) =>
      e instanceof ConfigError &&
      /no global SMTP smarthost set/.test(e.message) &&
      /no global SMTP from set/.test(e.message),
  );
});
