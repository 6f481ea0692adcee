import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../../../../test/harness/temp.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { openLocalStore } from '../../store/local/store.js';
import { registerAgentMetrics } from '../metrics.js';
import { SinkClosedError, type AgentRecord } from '../stage.js';
import { DeadLetterFile } from './dead-letter.js';
import { StoreSink } from './store.js';

async function setup(t: TestContext, maxDocBytes = 1 << 20) {
  const dir = tempDir(t, 'vigil-store-sink-');
  const store = await openLocalStore(join(dir, 'logs'), { maxDocBytes });
  t.after(() => store.close());
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const deadLetter = new DeadLetterFile(join(dir, 'dead-letter', 'local.ndjson'), 'local');
  const sink = new StoreSink({
    name: 'local',
    writer: store,
    index: 'logs-agent',
    deadLetter,
    metrics,
    log: new Logger({ level: 'error' }),
  });
  const docs = async () => (await store.indices()).find((i) => i.name === 'logs-agent')?.docs ?? 0;
  const sent = () => metrics.recordsSent.labels('local').value;
  const failed = () => metrics.recordsFailed.labels('local').value;
  return { sink, deadLetter, docs, sent, failed };
}

const record = (i: number, message = `line ${i}`): AgentRecord => ({
  id: `id-${i}`,
  json: JSON.stringify({ '@timestamp': '2024-05-06T07:08:09Z', message }),
});

test('records are stored under their ids: appended again, they are not stored twice', async (t) => {
  const s = await setup(t);
  const batch = [record(0), record(1), record(2)];
  await s.sink.append(batch);
  await s.sink.append(batch);
  assert.equal(await s.docs(), 3);
  assert.equal(s.sent(), 6, 'stored now or before, by id');
  assert.equal(s.failed(), 0);
});

test('a document the store refuses goes to the dead-letter file; the rest are stored', async (t) => {
  const s = await setup(t, 1024);
  await s.sink.append([record(0), record(1, 'x'.repeat(4096)), record(2)]);
  assert.equal(await s.docs(), 2);
  assert.equal(s.sent(), 2);
  assert.equal(s.failed(), 1);
  const dead = readFileSync(s.deadLetter.path, 'utf8').trim().split('\n');
  assert.equal(dead.length, 1);
  assert.equal((JSON.parse(dead[0]!) as { id: string }).id, 'id-1');
});

test('once closed, or with its signal aborted, the sink takes nothing', async (t) => {
  const s = await setup(t);
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(s.sink.append([record(0)], abort.signal), SinkClosedError);
  s.sink.close();
  await assert.rejects(s.sink.append([record(1)]), SinkClosedError);
  assert.equal(await s.docs(), 0);
  assert.ok(!existsSync(s.deadLetter.path));
});
