/**
 * @module
 * `vigil alertmanager` reloads its configuration on `POST /-/reload` (and SIGHUP), as
 * Alertmanager does: a valid file is applied, a broken one answers 500 and the old one stays.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startVigilAlertmanager } from '../harness/alertmanager.js';

const config = (receiver: string) =>
  `route:\n  receiver: ${receiver}\nreceivers:\n  - name: ${receiver}\n`;

test('POST /-/reload applies a valid file and refuses a broken one', async (t) => {
  const am = await startVigilAlertmanager(t, config('first'));
  const receivers = async () =>
    ((await (await fetch(`${am.url}/api/v2/receivers`)).json()) as { name: string }[]).map(
      (r) => r.name,
    );
  assert.deepEqual(await receivers(), ['first']);

  writeFileSync(am.configFile, config('second'));
  const ok = await fetch(`${am.url}/-/reload`, { method: 'POST' });
  assert.equal(ok.status, 200);
  assert.deepEqual(await receivers(), ['second']);

  writeFileSync(am.configFile, 'route:\n  receiver: nobody\nreceivers: []\n');
  const refused = await fetch(`${am.url}/-/reload`, { method: 'POST' });
  assert.equal(refused.status, 500);
  assert.match(await refused.text(), /failed to reload config: .*undefined receiver "nobody"/s);
  assert.deepEqual(await receivers(), ['second']);
  assert.equal(await am.stop(), 0);
});
