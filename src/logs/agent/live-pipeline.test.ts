import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../../../test/harness/temp.js';
import { Registry } from '../../lib/instrument/index.js';
import { Logger } from '../../lib/log/logger.js';
import { DiskBuffer } from './buffer/disk-buffer.js';
import { LaneSink, LivePipeline, PartsFailedError } from './live-pipeline.js';
import { registerAgentMetrics } from './metrics.js';
import { FileOutput } from './outputs/file.js';
import { Shipper } from './outputs/shipper.js';
import type { OutputLane } from './pipeline.js';
import { SinkClosedError, type AgentRecord } from './stage.js';

const log = new Logger({ level: 'error' });

/** A lane whose destination cannot be written (its directory is missing): nothing is acked. */
function stuckLane(t: TestContext, dir: string, maxBytes: number): OutputLane {
  const buffer = DiskBuffer.open({ dir: join(dir, 'buffer'), maxBytes, chunkBytes: 1 << 20 });
  const output = new FileOutput({
    name: 'stuck',
    path: join(dir, 'missing', 'out.ndjson'),
    minBackoffMs: 1000,
    maxBackoffMs: 1000,
    metrics: registerAgentMetrics(new Registry()),
    log,
  });
  const shipper = new Shipper(
    buffer,
    output,
    { maxRecords: 100, maxBytes: 1 << 20, waitMs: 10, inFlight: 1 },
    log,
  );
  t.after(async () => {
    await shipper.stop();
    await buffer.close();
  });
  return { buffer, shipper };
}

const batch = (tag: string): AgentRecord[] => [{ id: tag, json: `{"message":"${tag}"}` }];

test('an append waiting on a full buffer that is replaced lands in the replacement, once', async (t) => {
  const dir = tempDir(t);
  const sink = new LaneSink();
  await sink.replace('out', () => stuckLane(t, dir, 10));
  await sink.append(batch('first')); // fills it
  let done = false;
  const waiting = sink.append(batch('second')).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(done, false, 'waits for room');
  // The replacement reopens the same directory with room to spare.
  let next!: OutputLane;
  await sink.replace('out', () => (next = stuckLane(t, dir, 1 << 20)));
  await waiting;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push(...(await next.buffer.read(100, 1 << 20, 0)).records.map((r) => r.id));
  }
  assert.deepEqual(ids, ['first', 'second']);

  // An aborted append gives up without writing, even while it waits for room.
  const full = new LaneSink();
  await full.replace('out', () => stuckLane(t, tempDir(t), 10));
  await full.append(batch('a'));
  const abort = new AbortController();
  const refused = full.append(batch('b'), abort.signal);
  abort.abort();
  await assert.rejects(refused, SinkClosedError);
  // A removed lane takes nothing more, and appends do not fail for it.
  await full.replace('out', null);
  await full.append(batch('c'));
});

test('a part that cannot be built is named and skipped; the others run, and the next apply tries it again', async (t) => {
  const dir = tempDir(t);
  const pipeline = new LivePipeline(log);
  t.after(() => pipeline.stop());
  const good = { key: 'a1', build: () => stuckLane(t, join(dir, 'a'), 1 << 20) };
  let broken = true;
  const flaky = {
    key: 'b1',
    build: () => {
      if (broken) throw new Error('disk on fire');
      return stuckLane(t, join(dir, 'b'), 1 << 20);
    },
  };
  const outputs = new Map([
    ['a', good],
    ['b', flaky],
  ]);
  await assert.rejects(
    pipeline.apply(new Map(), outputs),
    (err: unknown) =>
      err instanceof PartsFailedError && err.message === 'cannot start output b: disk on fire',
  );
  broken = false;
  const again = await pipeline.apply(new Map(), outputs);
  assert.deepEqual(again.outputs, { started: ['b'], restarted: [], stopped: [] });
});
