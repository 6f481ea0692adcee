import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../../../../test/harness/temp.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { PositionDb } from '../inputs/tail/positions.js';
import { TailInput } from '../inputs/tail/tail.js';
import { registerAgentMetrics } from '../metrics.js';
import type { AgentRecord, RecordSink } from '../stage.js';
import type { MultilineOptions } from './multiline.js';

class CollectingSink implements RecordSink {
  records: AgentRecord[] = [];
  async append(records: readonly AgentRecord[]): Promise<void> {
    this.records.push(...records);
  }
  async sync(): Promise<void> {}
  docs(): { message: string; stream?: string; log: { offset: number } }[] {
    return this.records.map((r) => JSON.parse(r.json) as ReturnType<CollectingSink['docs']>[0]);
  }
}

async function run(t: TestContext, dir: string, multiline: MultilineOptions) {
  const input = new TailInput({
    name: 'pods',
    include: [`${dir}/logs/*.log`],
    exclude: [],
    readFrom: 'head',
    format: 'auto',
    json: false,
    multiline,
    maxLineBytes: 64 << 10,
    scanIntervalMs: 100,
    pollIntervalMs: 20,
    rotateWaitMs: 100,
    node: 'node-a',
    positions: PositionDb.open(join(dir, 'positions.json')),
    filters: [],
    metrics: registerAgentMetrics(new Registry()),
    log: new Logger({ level: 'error' }),
  });
  const sink = new CollectingSink();
  await input.start(sink);
  t.after(() => input.stop());
  return { input, sink };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let clock = 0;
const cri = (stream: 'stdout' | 'stderr', text: string, tag = 'F') =>
  `2024-05-06T07:08:${String(10 + (clock++ % 40)).padStart(2, '0')}.000000001Z ${stream} ${tag} ${text}\n`;

const JAVA = [
  'Exception in thread "main" java.lang.IllegalStateException: boom',
  '\tat com.shop.Cart.checkout(Cart.java:42)',
  '\tat com.shop.Main.main(Main.java:7)',
  'Caused by: java.io.IOException: disk',
  '\tat com.shop.Disk.write(Disk.java:9)',
  '\t... 2 more',
];
const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/app/main.py", line 3, in <module>',
  '    f()',
  '  File "/app/main.py", line 2, in f',
  '    raise ValueError("bad")',
  'ValueError: bad',
];
const GO = [
  'panic: runtime error: index out of range [3] with length 3',
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:8 +0x1d',
  'exit status 2',
];
const NODE = [
  "TypeError: Cannot read properties of undefined (reading 'id')",
  '    at handler (/app/server.js:10:15)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
];

const RUBY = [
  "app.rb:3:in `charge': card declined (RuntimeError)",
  "\tfrom app.rb:7:in `checkout'",
  "\tfrom app.rb:10:in `<main>'",
];

test('built-in rules join Java, Python, Go, Node.js and Ruby stack traces, stdout and stderr kept apart', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  // stderr's Java trace interleaves with stdout lines; a long frame arrives as CRI pieces.
  let text = '';
  text += cri('stderr', JAVA[0]!);
  text += cri('stdout', 'GET /cart 200');
  text += cri('stderr', JAVA[1]!.slice(0, 10), 'P');
  text += cri('stdout', 'GET /pay 500');
  text += cri('stderr', JAVA[1]!.slice(10));
  for (const l of JAVA.slice(2)) text += cri('stderr', l);
  for (const l of PYTHON) text += cri('stdout', l);
  for (const l of GO) text += cri('stderr', l);
  for (const l of NODE) text += cri('stdout', l);
  for (const l of RUBY) text += cri('stderr', l);
  text += cri('stdout', 'after the traces');
  text += cri('stderr', 'plain stderr line');
  writeFileSync(join(dir, 'logs', '0.log'), text);
  const { sink } = await run(t, dir, {
    firstLine: null,
    rules: ['java', 'python', 'go', 'node', 'ruby'],
    flushTimeoutMs: 200,
  });
  await until('every record', () => sink.records.length === 9);
  const byStream = (s: string) =>
    sink
      .docs()
      .filter((d) => d.stream === s)
      .map((d) => d.message);
  assert.deepEqual(byStream('stdout'), [
    'GET /cart 200',
    'GET /pay 500',
    PYTHON.join('\n'),
    NODE.join('\n'),
    'after the traces',
  ]);
  assert.deepEqual(byStream('stderr'), [
    JAVA.join('\n'),
    GO.join('\n'),
    RUBY.join('\n'),
    'plain stderr line',
  ]);
  // A joined record has its first line's offset (its id and resume point).
  const java = sink.docs().find((d) => d.message.startsWith('Exception'))!;
  assert.equal(java.log.offset, 0);
});

test('a first-line pattern joins the rest; a quiet stream is flushed after the timeout, and a restart re-reads an unfinished record whole', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'logs'));
  const file = join(dir, 'logs', 'app.log');
  writeFileSync(file, '2024-05-06 07:08:09 ERROR failed\n  detail one\n  detail two\n');
  const options = { firstLine: /^\d{4}-\d\d-\d\d /, rules: [], flushTimeoutMs: 300 };
  const first = await run(t, dir, options);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(first.sink.records.length, 0, 'held while more lines may come');
  await until('the timeout flush', () => first.sink.records.length === 1);
  assert.equal(
    first.sink.docs()[0]!.message,
    '2024-05-06 07:08:09 ERROR failed\n  detail one\n  detail two',
  );

  // A record begun, then the agent stops before it is finished.
  appendFileSync(file, '2024-05-06 07:08:10 WARN slow\n');
  await new Promise((r) => setTimeout(r, 80));
  await first.input.stop();
  assert.equal(first.sink.records.length, 1);
  appendFileSync(file, '  took 3s\n2024-05-06 07:08:11 INFO ok\n');
  const second = await run(t, dir, options);
  await until('both records', () => second.sink.records.length === 2);
  assert.deepEqual(
    second.sink.docs().map((d) => d.message),
    ['2024-05-06 07:08:10 WARN slow\n  took 3s', '2024-05-06 07:08:11 INFO ok'],
  );
});
