/**
 * Filters between a real tail input and its sink: records a filter drops still move the file's
 * position, so a restart does not read them again and lines after them are not held back.
 */

import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { CollectingSink } from '../../../../test/harness/record-sink.js';
import { tempDir } from '../../../../test/harness/temp.js';
import { Registry } from '../../../lib/instrument/index.js';
import { PositionDb } from '../inputs/tail/positions.js';
import { TailInput } from '../inputs/tail/tail.js';
import { registerAgentMetrics, type AgentMetrics } from '../metrics.js';
import { FilterChain, filteredInput } from './chain.js';
import { KqlDropFilter } from './kql-drop.js';
import type { RecordFilter } from './record-filter.js';
import { tailOptions } from '../../../../test/harness/tail-options.js';

async function start(
  t: TestContext,
  dir: string,
  metrics: AgentMetrics,
  filters: RecordFilter[],
): Promise<{ sink: CollectingSink; stop: () => Promise<void> }> {
  const tail = new TailInput(tailOptions(dir, metrics, { json: true }));
  const input =
    filters.length === 0
      ? tail
      : filteredInput(tail, new FilterChain(filters, metrics.recordsDropped));
  const sink = new CollectingSink();
  await input.start(sink);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await input.stop();
  };
  t.after(stop);
  return { sink, stop };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('dropped records advance the position: a restart reads only what came after them', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  const file = join(dir, 'logs', 'a.log');
  writeFileSync(file, '{"level":"debug","message":"d1"}\n{"level":"debug","message":"d2"}\n');
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const first = await start(t, dir, metrics, [new KqlDropFilter('no-debug', 'level:debug')]);
  await until('both lines dropped', () =>
    /vigil_agent_records_dropped_total\{filter="no-debug"\} 2\n/.test(registry.expose('text')),
  );
  // A kept line after the dropped ones is not held back by them.
  appendFileSync(file, '{"level":"info","message":"i1"}\n');
  await until('i1', () => first.sink.records.length === 1);
  assert.deepEqual(first.sink.messages(), ['i1']);
  await first.stop();
  const saved = [...PositionDb.open(join(dir, 'positions.json')).entries()];
  assert.equal(saved.length, 1);
  assert.equal(saved[0]![1].offset, statSync(file).size);

  // Without the filter, a restart reads none of the dropped lines again.
  appendFileSync(file, '{"level":"debug","message":"d3"}\n');
  const second = await start(t, dir, registerAgentMetrics(new Registry()), []);
  await until('d3', () => second.sink.records.length >= 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(second.sink.messages(), ['d3']);
});
