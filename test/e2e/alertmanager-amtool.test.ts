/**
 * @module
 * Debian's `amtool` (0.25) against `vigil alertmanager`: it lists posted alerts, adds a silence
 * that then suppresses the alert, queries and expires it; and `amtool config routes test` names
 * the same receivers as Vigil's router for 48 label sets on a tree with every kind of matcher,
 * nesting and `continue`.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadAlertmanagerConfig } from '../../src/alerting/config/load.js';
import { Route } from '../../src/alerting/route.js';
import { AMTOOL, HAVE_AMTOOL, startVigilAlertmanager } from '../harness/alertmanager.js';
import { rng } from '../harness/temp.js';

const exec = promisify(execFile);
const ROUTES = fileURLToPath(new URL('testdata/alertmanager/routes.yml', import.meta.url));
const skip = HAVE_AMTOOL ? false : `${AMTOOL} is not installed`;

const CONFIG = `route:
  receiver: hook
  group_by: [alertname]
receivers:
  - name: hook
`;

async function amtool(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(AMTOOL, [`--alertmanager.url=${url}`, ...args], {
    timeout: 20_000,
  });
  return stdout;
}

test('amtool queries alerts and adds, queries and expires silences', { skip }, async (t) => {
  const am = await startVigilAlertmanager(t, CONFIG);
  const now = Date.now();
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname: 'DiskFull', instance: 'db1', severity: 'page' },
        annotations: { summary: 'disk db1 full' },
      },
      {
        labels: { alertname: 'Slow', instance: 'web1' },
        startsAt: new Date(now - 60_000).toISOString(),
      },
    ]),
  });
  assert.equal(res.status, 200);

  const rows = (await amtool(am.url, 'alert', 'query', '-o', 'json')).trim();
  const alerts = JSON.parse(rows) as {
    labels: Record<string, string>;
    status: { state: string };
  }[];
  assert.deepEqual(alerts.map((a) => a.labels.alertname).sort(), ['DiskFull', 'Slow']);
  const simple = await amtool(am.url, 'alert', 'query', 'alertname=DiskFull');
  assert.match(simple, /DiskFull\s+\S+ \S+ UTC\s+disk db1 full/);
  assert.doesNotMatch(simple, /Slow/);

  const id = (
    await amtool(
      am.url,
      'silence',
      'add',
      'instance=~"db.*"',
      '--comment=maintenance',
      '--author=ops',
      '--duration=2h',
    )
  ).trim();
  assert.match(id, /^[0-9a-f-]{36}$/);
  const listed = JSON.parse(await amtool(am.url, 'silence', 'query', '-o', 'json')) as Record<
    string,
    unknown
  >[];
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.id, id);
  assert.equal(listed[0]!.createdBy, 'ops');
  assert.deepEqual(listed[0]!.matchers, [
    { isEqual: true, isRegex: true, name: 'instance', value: 'db.*' },
  ]);
  assert.match(await amtool(am.url, 'silence', 'query', 'instance=~"db.*"'), new RegExp(id));

  // The silenced alert drops out of the default query and shows as suppressed with --silenced.
  const active = await amtool(am.url, 'alert', 'query');
  assert.doesNotMatch(active, /DiskFull/);
  const silenced = JSON.parse(
    await amtool(am.url, 'alert', 'query', '--silenced', '-o', 'json'),
  ) as {
    labels: Record<string, string>;
    status: { state: string; silencedBy: string[] };
  }[];
  const disk = silenced.find((a) => a.labels.alertname === 'DiskFull')!;
  assert.equal(disk.status.state, 'suppressed');
  assert.deepEqual(disk.status.silencedBy, [id]);

  await amtool(am.url, 'silence', 'expire', id);
  assert.equal(
    (await amtool(am.url, 'silence', 'query', '-q')).trim(),
    '',
    'no unexpired silence left',
  );
  const expired = JSON.parse(
    await amtool(am.url, 'silence', 'query', '--expired', '-o', 'json'),
  ) as { id: string; status: { state: string } }[];
  assert.deepEqual(
    expired.map((s) => [s.id, s.status.state]),
    [[id, 'expired']],
  );
  assert.match(await amtool(am.url, 'alert', 'query'), /DiskFull/);

  // Expiring it again is refused, as by Alertmanager.
  await assert.rejects(amtool(am.url, 'silence', 'expire', id));
});

test(
  'amtool config routes test names the same receivers as Vigil for 48 label sets',
  { skip },
  async () => {
    const route = new Route(loadAlertmanagerConfig(ROUTES).config.route);
    const random = rng(9);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const values = {
      severity: ['page', 'critical', 'warning', ''],
      team: ['db', 'storage', 'web', ''],
      env: ['prod', 'staging', 'dev', ''],
      service: ['api-gw', 'api-', 'web', ''],
      region: ['eu', 'us', 'ap', ''],
    };
    const seen = new Set<string>();
    for (let i = 0; seen.size < 48 && i < 10_000; i++) {
      const labels: Record<string, string> = { alertname: random() < 0.1 ? 'Watchdog' : 'Down' };
      for (const [name, options] of Object.entries(values)) {
        const v = pick(options);
        if (v !== '') labels[name] = v;
      }
      const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      if (seen.has(args.join(' '))) continue;
      seen.add(args.join(' '));
      const { stdout } = await exec(
        AMTOOL,
        ['config', 'routes', 'test', `--config.file=${ROUTES}`, ...args],
        { timeout: 20_000 },
      );
      const ours = route
        .match(labels)
        .map((r) => r.options.receiver)
        .join(',');
      assert.equal(ours, stdout.trim(), `receivers for ${args.join(' ')}`);
    }
    assert.equal(seen.size, 48);
  },
);
