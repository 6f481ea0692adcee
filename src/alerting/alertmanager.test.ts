/**
 * Grouping, repeat intervals, resolution, inhibition, silences, retries and restarts, each
 * driven by a controlled clock against a real webhook server and real files.
 */

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/harness/temp.js';
import { startWebhook, type WebhookReceiver } from '../../test/harness/webhook.js';
import { ManualClock } from '../lib/clock/clock.js';
import { Registry } from '../lib/instrument/index.js';
import { Logger } from '../lib/log/logger.js';
import { Alertmanager } from './alertmanager.js';
import { loadAlertmanagerConfig } from './config/load.js';
import { newAlert, type Alert } from './model/alert.js';
import { Matcher } from './model/matchers.js';

const T0 = Date.parse('2024-03-04T10:00:00Z');
const S = 1000;
const M = 60 * S;

interface Setup {
  am: Alertmanager;
  clock: ManualClock;
  hook: WebhookReceiver;
  registry: Registry;
  dir: string;
}

function config(hookUrl: string, extra = ''): string {
  return `global:
  resolve_timeout: 5m
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hookUrl}
${extra}`;
}

async function setup(
  t: TestContext,
  opts: { extra?: string; dir?: string; clock?: ManualClock; hook?: WebhookReceiver } = {},
): Promise<Setup> {
  // After hooks run in the order registered: stop (which waits for in-flight deliveries to be
  // logged) before the temporary directory goes.
  const running: { am?: Alertmanager } = {};
  t.after(() => running.am?.stop());
  const hook = opts.hook ?? (await startWebhook(t));
  const dir = opts.dir ?? tempDir(t);
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, config(hook.url, opts.extra));
  const clock = opts.clock ?? new ManualClock(T0);
  const registry = new Registry();
  const am = new Alertmanager({
    config: loadAlertmanagerConfig(file),
    storageDir: join(dir, 'state'),
    externalURL: () => 'http://am.example:9093',
    clock,
    registry,
    logger: new Logger({ level: 'error' }),
  });
  running.am = am;
  await am.start();
  return { am, clock, hook, registry, dir };
}

function firing(clock: ManualClock, labels: Record<string, string>, startsAt = clock.now()): Alert {
  return newAlert({
    labels,
    annotations: { summary: `${labels.alertname} fires` },
    startsAt,
    endsAt: clock.now() + 15 * M,
    updatedAt: clock.now(),
    timeout: true,
  });
}

function metric(registry: Registry, series: string): number {
  const line = registry
    .expose('text')
    .split('\n')
    .find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

const alertnames = (body: Record<string, unknown>) =>
  (body.alerts as { labels: Record<string, string> }[]).map((a) => a.labels.instance).sort();

test('alerts of one group wait group_wait, then come every group_interval, repeat after repeat_interval', async (t) => {
  const { am, clock, hook } = await setup(t);
  am.store.put([firing(clock, { alertname: 'Down', instance: 'a' })]);
  await clock.advance(10 * S);
  am.store.put([firing(clock, { alertname: 'Down', instance: 'b' })]);
  await clock.advance(19 * S);
  assert.equal(hook.received.length, 0, 'nothing before group_wait');
  await clock.advance(1 * S);
  const [first] = await hook.waitFor(1);
  assert.deepEqual(alertnames(first!), ['a', 'b']);
  assert.equal(first!.groupKey, '{}:{alertname="Down"}');
  assert.deepEqual(first!.groupLabels, { alertname: 'Down' });

  // A new alert joins: sent at the next group_interval, not before.
  am.store.put([firing(clock, { alertname: 'Down', instance: 'c' })]);
  await clock.advance(5 * M - 1);
  assert.equal(hook.received.length, 1);
  await clock.advance(1);
  await hook.waitFor(2);
  assert.deepEqual(alertnames(hook.received[1]!), ['a', 'b', 'c']);

  // Nothing new: flushes go by silently until more than repeat_interval has passed since the
  // last send (at 5m30s): the flush at 65m30s is exactly 1h later and stays silent.
  for (let i = 0; i < 12; i++) {
    // Keep the alerts alive as a sender re-sending them would.
    am.store.put(['a', 'b', 'c'].map((instance) => firing(clock, { alertname: 'Down', instance })));
    await clock.advance(5 * M);
  }
  assert.equal(hook.received.length, 2, 'no repeat before repeat_interval');
  am.store.put(['a', 'b', 'c'].map((instance) => firing(clock, { alertname: 'Down', instance })));
  await clock.advance(5 * M);
  await hook.waitFor(3);
});

test('an alert that started long ago is sent without waiting group_wait', async (t) => {
  const { am, clock, hook } = await setup(t);
  am.store.put([firing(clock, { alertname: 'Old', instance: 'a' }, clock.now() - 10 * M)]);
  await clock.advance(0);
  await hook.waitFor(1);
});

test('a resolved alert is reported once, with its end time, and leaves the group', async (t) => {
  const { am, clock, hook } = await setup(t);
  am.store.put([firing(clock, { alertname: 'Flap', instance: 'a' })]);
  await clock.advance(30 * S);
  const [sent] = await hook.waitFor(1);
  const alert = (sent!.alerts as Record<string, unknown>[])[0]!;
  assert.equal(alert.status, 'firing');
  assert.equal(alert.endsAt, '0001-01-01T00:00:00Z', 'firing alerts carry no end');
  assert.equal(alert.startsAt, '2024-03-04T10:00:00Z');

  const end = clock.now() + 10 * S;
  am.store.put([
    newAlert({
      labels: { alertname: 'Flap', instance: 'a' },
      startsAt: T0,
      endsAt: end,
      updatedAt: clock.now(),
    }),
  ]);
  await clock.advance(5 * M);
  await am.settled();
  const [, resolved] = await hook.waitFor(2);
  assert.equal(resolved!.status, 'resolved');
  const r = (resolved!.alerts as Record<string, unknown>[])[0]!;
  assert.equal(r.status, 'resolved');
  assert.equal(r.endsAt, new Date(end).toISOString().replace('.000Z', 'Z'));
  assert.equal(am.groups().length, 0, 'the emptied group is gone');
});

test('a firing source alert inhibits targets that agree on the equal labels', async (t) => {
  const extra = `inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
`;
  const { am, clock, hook } = await setup(t, { extra });
  am.store.put([
    firing(clock, { alertname: 'ClusterDown', severity: 'critical', cluster: 'eu' }),
    firing(clock, { alertname: 'Slow', severity: 'warning', cluster: 'eu', instance: 'eu' }),
    firing(clock, { alertname: 'Slow', severity: 'warning', cluster: 'us', instance: 'us' }),
  ]);
  await clock.advance(30 * S);
  await am.settled();
  await hook.waitFor(2);
  const slow = hook.received.find(
    (b) => (b.groupLabels as Record<string, string>).alertname === 'Slow',
  );
  assert.deepEqual(alertnames(slow!), ['us'], 'eu is inhibited, us is not');
  const inhibited = am.store
    .list()
    .find((a) => a.labels.cluster === 'eu' && a.labels.alertname === 'Slow')!;
  const source = am.store.list().find((a) => a.labels.alertname === 'ClusterDown')!;
  assert.deepEqual(am.marker.status(inhibited.fingerprint), {
    state: 'suppressed',
    silencedBy: [],
    inhibitedBy: [source.fingerprint],
  });

  // Once the source resolves, the target is notified at the next flush.
  am.store.put([
    newAlert({ labels: source.labels, startsAt: T0, endsAt: clock.now(), updatedAt: clock.now() }),
  ]);
  for (const cluster of ['eu', 'us']) {
    am.store.put([
      firing(clock, { alertname: 'Slow', severity: 'warning', cluster, instance: cluster }),
    ]);
  }
  await clock.advance(5 * M);
  await am.settled();
  await hook.waitFor(3);
  const last = hook.received
    .filter((b) => (b.groupLabels as Record<string, string>).alertname === 'Slow')
    .at(-1)!;
  assert.deepEqual(alertnames(last), ['eu', 'us']);
});

test('silences mute matching alerts until they expire, and survive a restart', async (t) => {
  const dir = tempDir(t);
  const first = await setup(t, { dir });
  const { clock, hook } = first;
  const id = first.am.silences.set({
    matchers: [new Matcher('=~', 'instance', 'a|b')],
    startsAt: clock.now(),
    endsAt: clock.now() + 20 * M,
    createdBy: 'test',
    comment: 'maintenance',
  });
  await first.am.stop();

  // A new process on the same storage: the silence is still there.
  const second = await setup(t, { dir, clock, hook });
  assert.equal(second.am.silences.get(id)?.comment, 'maintenance');
  const put = () =>
    second.am.store.put(
      ['a', 'c'].map((instance) => firing(clock, { alertname: 'Disk', instance })),
    );
  put();
  await clock.advance(30 * S);
  const [sent] = await hook.waitFor(1);
  assert.deepEqual(alertnames(sent!), ['c']);
  assert.deepEqual(
    second.am.marker.status(
      second.am.store.list().find((a) => a.labels.instance === 'a')!.fingerprint,
    ).silencedBy,
    [id],
  );

  // After expiry the alert joins: the firing set grew, so it is sent at the next flush.
  for (let i = 0; i < 4; i++) {
    put();
    await clock.advance(5 * M);
  }
  await hook.waitFor(2);
  assert.deepEqual(alertnames(hook.received[1]!), ['a', 'c']);
  await second.am.stop(); // before the directory made above goes
});

test('the notification log keeps a restart from repeating a notification', async (t) => {
  const dir = tempDir(t);
  const first = await setup(t, { dir });
  const { clock, hook } = first;
  const alert = firing(clock, { alertname: 'Down', instance: 'a' });
  first.am.store.put([alert]);
  await clock.advance(30 * S);
  await hook.waitFor(1);
  await first.am.stop();

  const second = await setup(t, { dir, clock, hook });
  second.am.store.put([firing(clock, { alertname: 'Down', instance: 'a' }, alert.startsAt)]);
  await clock.advance(30 * S);
  await clock.advance(5 * M);
  assert.equal(hook.received.length, 1, 'already notified before the restart');
  await second.am.stop(); // before the directory made above goes
});

test('failed deliveries are retried with backoff and counted', async (t) => {
  const { am, clock, hook, registry } = await setup(t);
  hook.failNext.push(500, 503);
  am.store.put([firing(clock, { alertname: 'Down', instance: 'a' })]);
  await clock.advance(30 * S);
  for (let i = 0; i < 20 && hook.received.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    await clock.advance(2 * S);
  }
  await hook.waitFor(1);
  assert.equal(
    metric(registry, 'alertmanager_notification_requests_total{integration="webhook"}'),
    3,
  );
  assert.equal(
    metric(registry, 'alertmanager_notification_requests_failed_total{integration="webhook"}'),
    2,
  );
  assert.equal(
    metric(registry, 'alertmanager_notifications_failed_total{integration="webhook"}'),
    0,
  );

  // A 4xx is not retried: the notification fails at once.
  hook.failNext.push(400);
  am.store.put([firing(clock, { alertname: 'Other', instance: 'b' })]);
  await clock.advance(30 * S);
  for (
    let i = 0;
    i < 100 &&
    metric(registry, 'alertmanager_notifications_failed_total{integration="webhook"}') === 0;
    i++
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(
    metric(registry, 'alertmanager_notifications_failed_total{integration="webhook"}'),
    1,
  );
});

test('a reload routes to the new receivers and keeps alerts, silences and the notification log', async (t) => {
  const { am, clock, hook, dir } = await setup(t);
  const other = await startWebhook(t);
  am.store.put([firing(clock, { alertname: 'Down', instance: 'a' })]);
  await clock.advance(30 * S);
  await hook.waitFor(1);
  await am.settled();
  const silence = am.silences.set({
    matchers: [new Matcher('=', 'instance', 'quiet')],
    startsAt: clock.now(),
    endsAt: clock.now() + 60 * M,
    createdBy: 'test',
    comment: 'kept',
  });

  // A template file that does not parse refuses the reload; the old configuration stays.
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(join(dir, 'bad.tmpl'), '{{ define "x" }}{{ nosuch }}{{ end }}');
  writeFileSync(file, `${config(other.url)}templates: ['bad.tmpl']\n`);
  await assert.rejects(am.reload(loadAlertmanagerConfig(file)), /function "nosuch" not defined/);
  assert.match(am.config.original, new RegExp(hook.url));

  // The new receiver was never notified: it gets the group at once (its alerts are older than
  // group_wait), Down/a included; the old webhook gets nothing more.
  const text = config(other.url)
    .replace('name: hook', 'name: other')
    .replace('receiver: hook', 'receiver: other');
  writeFileSync(file, text);
  await am.reload(loadAlertmanagerConfig(file));
  assert.equal(am.receivers.has('other'), true);
  assert.equal(am.silences.get(silence)?.comment, 'kept');
  am.store.put([firing(clock, { alertname: 'Down', instance: 'b' }, clock.now() - 10 * M)]);
  await clock.advance(0);
  await am.settled();
  const [sent] = await other.waitFor(1);
  assert.equal(sent!.receiver, 'other');
  assert.deepEqual(alertnames(sent!), ['a', 'b']);
  assert.equal(hook.received.length, 1);
});
