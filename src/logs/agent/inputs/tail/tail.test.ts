import { tailOptions } from '../../../../../test/harness/tail-options.js';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Registry } from '../../../../lib/instrument/index.js';
import { CollectingSink } from '../../../../../test/harness/record-sink.js';
import { tempDir } from '../../../../../test/harness/temp.js';
import { registerAgentMetrics, type AgentMetrics } from '../../metrics.js';
import { TailInput, type TailOptions } from './tail.js';

interface Run {
  input: TailInput;
  sink: CollectingSink;
  metrics: AgentMetrics;
  registry: Registry;
}

async function run(t: TestContext, dir: string, options: Partial<TailOptions> = {}): Promise<Run> {
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const input = new TailInput(tailOptions(dir, metrics, { node: 'node-a', ...options }));
  const sink = new CollectingSink();
  await input.start(sink);
  t.after(() => input.stop());
  return { input, sink, metrics, registry };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function setup(t: TestContext): { dir: string; logs: string } {
  const dir = tempDir(t);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  return { dir, logs };
}

test('reads new and growing files, ignores .gz and excluded files, resumes after a restart with the same ids', async (t) => {
  const { dir, logs } = setup(t);
  writeFileSync(join(logs, 'a.log'), 'a1\na2\n');
  writeFileSync(join(logs, 'skip.log'), 'no\n');
  writeFileSync(join(logs, 'old.log.gz'), 'no\n');
  const first = await run(t, dir, { exclude: [`${logs}/skip*`] });
  await until('a.log', () => first.sink.records.length === 2);
  appendFileSync(join(logs, 'a.log'), 'a3\npartial');
  writeFileSync(join(logs, 'b.log'), 'b1\n');
  await until('a3 and b1', () => first.sink.records.length === 4);
  assert.deepEqual(first.sink.messages().sort(), ['a1', 'a2', 'a3', 'b1']);
  const ids = new Map(first.sink.records.map((r, i) => [first.sink.messages()[i], r.id]));
  await first.input.stop();
  assert.ok(first.sink.syncs > 0, 'buffers synced before positions were saved');

  appendFileSync(join(logs, 'a.log'), ' line\na4\n');
  const second = await run(t, dir, { exclude: [`${logs}/skip*`] });
  await until('the rest', () => second.sink.records.length === 2);
  assert.deepEqual(second.sink.messages(), ['partial line', 'a4']);
  // Re-reading gives the same ids: the second run's ids continue the first's scheme.
  const prefix = (id: string) => id.slice(0, id.lastIndexOf('-'));
  assert.equal(prefix(second.sink.records[0]!.id), prefix(ids.get('a1')!));
  assert.equal(ids.get('a2'), `${prefix(ids.get('a1')!)}-3`);
});

test('read_from tail skips what files held at the first start only', async (t) => {
  const { dir, logs } = setup(t);
  writeFileSync(join(logs, 'a.log'), 'old\n');
  writeFileSync(join(logs, 'a2.log'), 'old too\n');
  const r = await run(t, dir, { readFrom: 'tail' });
  await new Promise((res) => setTimeout(res, 100));
  appendFileSync(join(logs, 'a.log'), 'new\n');
  writeFileSync(join(logs, 'b.log'), 'from the start\n');
  await until('new lines', () => r.sink.records.length === 2);
  assert.deepEqual(r.sink.messages().sort(), ['from the start', 'new']);
});

test('rename rotation: the old file is finished, the new one read from its start', async (t) => {
  const { dir, logs } = setup(t);
  const live = join(logs, '0.log');
  writeFileSync(live, 'one\n');
  const r = await run(t, dir);
  await until('one', () => r.sink.records.length === 1);
  // Written after the rename, to the old file (the writer still has it open): not lost.
  renameSync(live, join(logs, '0.log.20240506-070809'));
  appendFileSync(join(logs, '0.log.20240506-070809'), 'two\n');
  writeFileSync(live, 'three\n');
  await until('two and three', () => r.sink.records.length === 3);
  assert.deepEqual(r.sink.messages().sort(), ['one', 'three', 'two']);
  const prefixes = new Set(r.sink.records.map((x) => x.id.slice(0, x.id.lastIndexOf('-'))));
  assert.equal(prefixes.size, 2, 'two files, two identities');
});

test('rotation while the agent is stopped: the renamed file is found and finished', async (t) => {
  const { dir, logs } = setup(t);
  const live = join(logs, '0.log');
  writeFileSync(live, 'one\n');
  const first = await run(t, dir);
  await until('one', () => first.sink.records.length === 1);
  await first.input.stop();
  appendFileSync(live, 'two\n');
  renameSync(live, join(logs, '0.log.20240506-070809'));
  writeFileSync(live, 'three\n');
  const second = await run(t, dir);
  await until('two and three', () => second.sink.records.length === 2);
  assert.deepEqual(second.sink.messages().sort(), ['three', 'two']);
  const two = second.sink.docs().find((d) => d.message === 'two')!;
  assert.deepEqual(two.log, { file: { path: live }, offset: 4 });
  assert.deepEqual(two.host, { name: 'node-a' });
});

test('copytruncate: a file that shrinks is read again from its start', async (t) => {
  const { dir, logs } = setup(t);
  const live = join(logs, 'app.log');
  writeFileSync(live, 'first line of a long file\n');
  const r = await run(t, dir);
  await until('first', () => r.sink.records.length === 1);
  truncateSync(live, 0);
  writeFileSync(live, 'after\n');
  await until('after', () => r.sink.records.length === 2);
  assert.deepEqual(r.sink.messages(), ['first line of a long file', 'after']);
  const [a, b] = r.sink.records.map((x) => x.id.slice(0, x.id.lastIndexOf('-')));
  assert.notEqual(a, b);
});

test("a new file reusing a deleted file's inode is not resumed at the old offset", async (t) => {
  const { dir, logs } = setup(t);
  const path = join(logs, 'a.log');
  writeFileSync(path, 'old file line 1\nold file line 2\n');
  const first = await run(t, dir);
  await until('old', () => first.sink.records.length === 2);
  await first.input.stop();
  unlinkSync(path);
  // Most file systems hand the freed inode to the next file; the fingerprint tells them apart.
  writeFileSync(path, 'new 1\nnew 2\nnew 3\nnew 4\n');
  const second = await run(t, dir);
  await until('new', () => second.sink.records.length === 4);
  assert.deepEqual(second.sink.messages(), ['new 1', 'new 2', 'new 3', 'new 4']);
});

test('long lines are cut and counted; invalid UTF-8 is replaced and counted', async (t) => {
  const { dir, logs } = setup(t);
  writeFileSync(
    join(logs, 'a.log'),
    Buffer.concat([
      Buffer.from(`${'x'.repeat(300_000)}\nshort\nbad `),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]),
  );
  const r = await run(t, dir);
  await until('3 lines', () => r.sink.records.length === 3);
  assert.deepEqual(
    r.sink.messages().map((m) => m.length),
    [1024, 5, 6],
  );
  await until('metrics', () =>
    /lines_invalid_utf8_total\{input="files"\} 1/.test(r.registry.expose('text')),
  );
  const text = r.registry.expose('text');
  assert.match(text, /vigil_agent_lines_truncated_total\{input="files"\} 1\b/);
  assert.match(text, /vigil_agent_lines_read_total\{input="files"\} 3\b/);
});

test("a read's records reach the sink in pieces of about 192 KiB, in order", async (t) => {
  const { dir, logs } = setup(t);
  const lines = Array.from({ length: 4000 }, (_, i) => `line ${i} ${'x'.repeat(140)}`);
  writeFileSync(join(logs, 'a.log'), `${lines.join('\n')}\n`);
  const { sink } = await run(t, dir);
  await until('all lines', () => sink.records.length === lines.length);
  assert.deepEqual(sink.messages(), lines);
  // ~1 MB of records from four 256 KiB reads: whole reads' worth would be ~250 KiB each.
  assert.ok(sink.appendBytes.length >= 6, `${sink.appendBytes.length} appends`);
  for (const bytes of sink.appendBytes) assert.ok(bytes < (192 << 10) + 1024, `${bytes} bytes`);
});
