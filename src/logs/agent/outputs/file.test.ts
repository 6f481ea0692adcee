import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../../test/harness/temp.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { registerAgentMetrics } from '../metrics.js';
import { FileOutput } from './file.js';

test('the file output appends JSON lines with _id, and retries a write that fails until it works', async (t) => {
  const dir = tempDir(t);
  const registry = new Registry();
  // The file's directory is missing at first: writes fail, and are retried.
  const path = join(dir, 'out', 'records.ndjson');
  const out = new FileOutput({
    name: 'debug',
    path,
    minBackoffMs: 10,
    maxBackoffMs: 20,
    metrics: registerAgentMetrics(registry),
    log: new Logger({ level: 'error' }),
  });
  t.after(() => out.close());
  const sending = out.send(
    [
      { id: 'a', json: '{"message":"one"}' },
      { id: 'b', json: '{}' },
    ],
    new AbortController().signal,
  );
  await new Promise((r) => setTimeout(r, 60));
  mkdirSync(join(dir, 'out'));
  await sending;
  await out.send([{ id: 'c', json: '{"message":"three"}' }], new AbortController().signal);
  assert.equal(
    readFileSync(path, 'utf8'),
    '{"_id":"a","message":"one"}\n{"_id":"b"}\n{"_id":"c","message":"three"}\n',
  );
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_sent_total\{output="debug"\} 3\n/);
  assert.match(text, /vigil_agent_output_retries_total\{output="debug"\} [1-9]/);

  // Stopping while it cannot write rejects with the stop's reason: nothing counts as delivered.
  await out.close();
  rmSync(join(dir, 'out'), { recursive: true });
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('stopping')), 50);
  await assert.rejects(out.send([{ id: 'd', json: '{}' }], abort.signal), /stopping/);
});
