import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { openLocalStore, type LocalStoreOptions } from '../../store/local/store.js';
import { registerAgentMetrics } from '../metrics.js';
import { SinkClosedError, type AgentRecord } from '../stage.js';
import { DeadLetterFile } from './dead-letter.js';
import { StoreSink } from './store.js';

async function setup(t: TestContext, options: LocalStoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-sink-'));
  const store = await openLocalStore(join(dir, 'logs'), options);
  // Closed before the directory goes: a flush may still be writing in it.
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
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
  const retries = () => metrics.retries.labels('local').value;
  return { sink, deadLetter, docs, sent, failed, retries };
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
  const s = await setup(t, { maxDocBytes: 1024 });
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

test('a busy store is retried until it takes the batch: nothing lost, the retries counted', async (t) => {
  // Two documents fill the memory part, and one part waiting for its flush makes the store busy.
  const s = await setup(t, { flushDocs: 2, maxFrozenParts: 1 });
  await s.sink.append([record(0), record(1)]);
  // The flush runs on the store's worker thread: still running when the next batch comes.
  await s.sink.append([record(2), record(3)]);
  assert.ok(s.retries() >= 1, `${s.retries()} retries`);
  assert.equal(await s.docs(), 4);
  assert.equal(s.sent(), 4);
  assert.equal(s.failed(), 0);
});
