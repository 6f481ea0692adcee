/**
 * vigil_agent_file_lag_bytes: per followed file, the bytes past its acknowledged position — all
 * of a file while the buffers have not taken its records, none once they have.
 */

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tailOptions } from '../../../../../test/harness/tail-options.js';
import { tempDir } from '../../../../../test/harness/temp.js';
import { Registry } from '../../../../lib/instrument/index.js';
import { registerAgentMetrics } from '../../metrics.js';
import type { AgentRecord, RecordSink } from '../../stage.js';
import { PositionDb } from './positions.js';
import { TailInput } from './tail.js';

/** Takes nothing until opened: like a full buffer. */
class GateSink implements RecordSink {
  #open!: () => void;
  readonly #gate = new Promise<void>((r) => (this.#open = r));
  taken: AgentRecord[] = [];
  async append(records: readonly AgentRecord[]): Promise<void> {
    await this.#gate;
    this.taken.push(...records);
  }
  async sync(): Promise<void> {}
  open(): void {
    this.#open();
  }
}

test('file lag is the bytes past the acknowledged position, per file, and goes with the input', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  const a = join(dir, 'logs', 'a.log');
  writeFileSync(a, 'one\ntwo\n');
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const input = new TailInput(tailOptions(dir, metrics, { positions: PositionDb.inMemory() }));
  const sink = new GateSink();
  await input.start(sink);
  const lag = () =>
    /vigil_agent_file_lag_bytes\{input="files",path="([^"]+)"\} (\d+)/.exec(
      registry.expose('text'),
    );
  const until = async (ok: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ok()) {
      assert.ok(Date.now() < deadline, registry.expose('text'));
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  // Read, not taken: the whole file is behind.
  await until(() => lag()?.[2] === '8');
  assert.equal(lag()![1], a);
  sink.open();
  await until(() => lag()?.[2] === '0');
  assert.equal(sink.taken.length, 2);
  await input.stop();
  assert.equal(lag(), null, 'a stopped input exports no files');
});
