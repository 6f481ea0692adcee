import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { tempDir } from '../../../../test/harness/temp.js';
import { openLocalStore } from '../../../logs/store/local/store.js';
import { logsApi } from './routes.js';

// `GET /api/v1/logs/context` and `GET /api/v1/logs/fields`, what the Logs page's "surrounding
// lines" and field sidebar read, through fastify's inject against a real local store: two
// interleaved streams (two files) of ten lines each, one second apart.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const T0 = Date.parse('2024-05-06T07:00:00Z');

async function setup(t: { after: (fn: () => unknown) => void }) {
  const store = await openLocalStore(tempDir(t), { inlineJobs: true });
  const docs = [];
  for (let i = 0; i < 10; i++) {
    for (const file of ['/var/log/a.log', '/var/log/b.log']) {
      docs.push({
        index: 'logs-app',
        op: 'create' as const,
        id: `${file.at(-5)}${i}`,
        source: {
          '@timestamp': new Date(T0 + i * 1000).toISOString(),
          message: `line ${i} of ${file}`,
          level: i % 3 === 0 ? 'error' : 'info',
          log: { file: { path: file } },
        },
      });
    }
  }
  await store.write(docs);
  const app = Fastify();
  await app.register(logsApi, { writer: () => store, searcher: () => store, bodyLimit: 1 << 20 });
  t.after(async () => {
    await app.close();
    await store.close();
  });
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, json: res.json() as Json };
  };
  return { get };
}

test('context: the anchor and the lines before and after it in its own stream', async (t) => {
  const { get } = await setup(t);
  const found = await get(
    `/api/v1/logs/search?q=${encodeURIComponent('message:"line 5 of /var/log/a.log"')}`,
  );
  assert.equal(found.status, 200);
  const hit = found.json.data.hits[0];
  assert.equal(hit.id, 'a5');

  const r = await get(`/api/v1/logs/context?index=logs-app&sort=${hit.sort}&size=3`);
  assert.equal(r.status, 200);
  const data = r.json.data;
  assert.deepEqual(data.stream, { 'log.file.path': '/var/log/a.log' });
  assert.equal(data.anchor.id, 'a5');
  assert.equal(data.anchor.sort, hit.sort);
  assert.equal(data.anchor['@timestamp'], hit['@timestamp']);
  assert.equal(data.anchor.source.message, 'line 5 of /var/log/a.log');
  assert.deepEqual(
    data.before.map((h: Json) => h.id),
    ['a2', 'a3', 'a4'],
  );
  assert.deepEqual(
    data.after.map((h: Json) => h.id),
    ['a6', 'a7', 'a8'],
  );

  // `stream` names the fields: by level, the neighbours of a5 (info) skip the error lines.
  const byLevel = await get(
    `/api/v1/logs/context?index=logs-app&sort=${hit.sort}&size=2&stream=level`,
  );
  assert.deepEqual(byLevel.json.data.stream, { level: 'info' });
  assert.ok(byLevel.json.data.before.every((h: Json) => h.source.level === 'info'));
});

test('context: errors name the parameter; an unknown document is not_found', async (t) => {
  const { get } = await setup(t);
  let r = await get('/api/v1/logs/context?sort=x');
  assert.equal(r.status, 400);
  assert.match(r.json.error, /"index"/);
  r = await get('/api/v1/logs/context?index=logs-app&sort=nope');
  assert.equal(r.status, 400);
  assert.match(r.json.error, /page token/);
  const token = Buffer.from(JSON.stringify([T0 + 500, 0, 'zz'])).toString('base64url');
  r = await get(`/api/v1/logs/context?index=logs-app&sort=${token}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.errorType, 'not_found');
});

test('fields: every field with its top values among the matching sample', async (t) => {
  const { get } = await setup(t);
  const r = await get('/api/v1/logs/fields?index=logs-app&q=level:error');
  assert.equal(r.status, 200);
  assert.equal(r.json.data.sample, 8);
  const level = r.json.data.fields.find((f: Json) => f.path === 'level');
  assert.deepEqual(level.top, [{ value: 'error', count: 8 }]);
  assert.equal(level.sampled, 8);
  const file = r.json.data.fields.find((f: Json) => f.path === 'log.file.path');
  assert.deepEqual(
    file.top.map((v: Json) => v.count),
    [4, 4],
  );
});
