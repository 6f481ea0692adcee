/**
 * @module
 * The dashboards API of a real `vigil server` over real HTTP: create, read, list with search,
 * replace with version checks, delete; validation errors that name the field; dashboards that
 * survive a restart on the same data directory; provisioning from a folder (read-only, bad files
 * skipped) next to the built-in dashboards.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, tempDir } from '../harness/vigil.js';

interface Envelope {
  status: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  field?: string;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ code: number; body: Envelope }> {
  const res = await fetch(`${base}/api/v1/dashboards${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { code: res.status, body: (await res.json()) as Envelope };
}

const PANEL = {
  id: 1,
  type: 'timeseries',
  title: 'Up',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  targets: [{ expr: 'up' }],
};

test('dashboards API: CRUD, validation, versions and persistence across a restart', async (t) => {
  const dataDir = tempDir(t);
  let vigil = await startVigil(t, { dataDir });

  const created = await call(vigil.url, 'POST', '', {
    title: 'My board',
    tags: ['team-a'],
    panels: [PANEL],
  });
  assert.equal(created.code, 201, JSON.stringify(created.body));
  const { dashboard } = created.body.data as { dashboard: { uid: string; version: number } };
  assert.match(dashboard.uid, /^[A-Za-z0-9_-]{12}$/);
  assert.equal(dashboard.version, 1);

  const withUid = await call(vigil.url, 'POST', '', { uid: 'ops', title: 'Ops', panels: [] });
  assert.equal(withUid.code, 201);
  const dup = await call(vigil.url, 'POST', '', { uid: 'ops', title: 'Ops again' });
  assert.equal(dup.code, 409);
  assert.match(dup.body.error!, /uid "ops" exists/);

  // Validation names the field at fault.
  const bad = await call(vigil.url, 'POST', '', {
    title: 'Bad',
    panels: [PANEL, { ...PANEL, id: 2, gridPos: { x: 20, y: 0, w: 8, h: 4 } }],
  });
  assert.equal(bad.code, 400);
  assert.equal(bad.body.errorType, 'bad_data');
  assert.equal(bad.body.field, 'panels[1].gridPos.w');
  assert.match(bad.body.error!, /panels\[1\]\.gridPos\.w: x \+ w must be at most 24/);
  const noTitle = await call(vigil.url, 'POST', '', { title: '' });
  assert.equal(noTitle.body.field, 'title');
  const badType = await call(vigil.url, 'POST', '', {
    title: 'x',
    panels: [{ ...PANEL, type: 'pie' }],
  });
  assert.equal(badType.body.field, 'panels[0].type');
  const notJson = await fetch(`${vigil.url}/api/v1/dashboards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"title":',
  });
  assert.equal(notJson.status, 400);

  // Read, list, search.
  const got = await call(vigil.url, 'GET', `/${dashboard.uid}`);
  assert.equal(got.code, 200);
  const list = await call(vigil.url, 'GET', '');
  const titles = (list.body.data as { title: string }[]).map((d) => d.title);
  for (const title of ['My board', 'Ops', 'Kubernetes cluster', 'Node', 'Vigil itself']) {
    assert.ok(titles.includes(title), `${title} in ${titles.join(', ')}`);
  }
  const searched = await call(vigil.url, 'GET', '?query=team-a');
  assert.deepEqual(
    (searched.body.data as { uid: string }[]).map((d) => d.uid),
    [dashboard.uid],
  );
  assert.equal((await call(vigil.url, 'GET', '/nope')).code, 404);

  // Replace: the version goes up; a stale version is refused.
  const saved = await call(vigil.url, 'PUT', `/${dashboard.uid}`, {
    title: 'My board v2',
    panels: [PANEL, { ...PANEL, id: 2, gridPos: { x: 12, y: 0, w: 12, h: 8 } }],
    version: 1,
  });
  assert.equal(saved.code, 200, JSON.stringify(saved.body));
  assert.equal((saved.body.data as { dashboard: { version: number } }).dashboard.version, 2);
  const stale = await call(vigil.url, 'PUT', `/${dashboard.uid}`, { title: 'Old', version: 1 });
  assert.equal(stale.code, 409);
  assert.match(stale.body.error!, /changed by someone else/);

  // Built-in dashboards are read-only.
  const builtin = await call(vigil.url, 'PUT', '/vigil-node', { title: 'Mine' });
  assert.equal(builtin.code, 403);
  assert.equal((await call(vigil.url, 'DELETE', '/vigil-node')).code, 403);

  assert.equal((await call(vigil.url, 'DELETE', '/ops')).code, 200);
  assert.equal((await call(vigil.url, 'GET', '/ops')).code, 404);

  // A restart on the same data directory keeps what was saved and not what was deleted.
  assert.equal((await vigil.stop()).code, 0);
  vigil = await startVigil(t, { dataDir });
  const again = await call(vigil.url, 'GET', `/${dashboard.uid}`);
  assert.equal(again.code, 200);
  const d = (again.body.data as { dashboard: { title: string; version: number; panels: [] } })
    .dashboard;
  assert.equal(d.title, 'My board v2');
  assert.equal(d.version, 2);
  assert.equal(d.panels.length, 2);
  assert.equal((await call(vigil.url, 'GET', '/ops')).code, 404);
  assert.equal((await vigil.stop()).code, 0);
});

test('dashboards API: provisioning from a folder, read-only, bad files skipped', async (t) => {
  const dir = tempDir(t, 'vigil-config-');
  const folder = join(dir, 'boards');
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'team.json'),
    JSON.stringify({ uid: 'team', title: 'Team board', panels: [PANEL] }),
  );
  // Grafana's export wrapper is accepted too.
  writeFileSync(
    join(folder, 'wrapped.json'),
    JSON.stringify({ dashboard: { uid: 'wrapped', title: 'Wrapped' } }),
  );
  writeFileSync(join(folder, 'broken.json'), '{"uid": "broken", "title": ');
  writeFileSync(join(folder, 'invalid.json'), JSON.stringify({ uid: 'bad uid', title: 'x' }));
  const vigil = await startVigil(t, {
    config: `dashboards:\n  provisioning_dir: ${folder}\n  builtin: false\n`,
  });
  const list = await call(vigil.url, 'GET', '');
  const items = list.body.data as { uid: string; provisioned: string | null }[];
  assert.deepEqual(items.map((d) => d.uid).sort(), ['team', 'wrapped']);
  assert.equal(items.find((d) => d.uid === 'team')!.provisioned, join(folder, 'team.json'));
  const failed = vigil.logs.filter((l) => l.msg === 'cannot provision dashboard');
  assert.equal(failed.length, 2, JSON.stringify(failed));
  assert.ok(failed.some((l) => /uid: must be/.test(String(l.err))));
  const put = await call(vigil.url, 'PUT', '/team', { title: 'Changed' });
  assert.equal(put.code, 403);
  assert.match(put.body.error!, /provisioned from .*team\.json/);
  // A copy under a new uid can be saved.
  const copy = await call(vigil.url, 'POST', '', { uid: 'team-copy', title: 'Team board copy' });
  assert.equal(copy.code, 201);
  assert.equal((await vigil.stop()).code, 0);
});
