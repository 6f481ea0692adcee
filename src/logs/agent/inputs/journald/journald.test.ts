import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  fakeJournalctl,
  type FakeJournalctl,
} from '../../../../../test/harness/fake-journalctl.js';
import { CollectingSink } from '../../../../../test/harness/record-sink.js';
import { tempDir } from '../../../../../test/harness/temp.js';
import { Registry } from '../../../../lib/instrument/index.js';
import { Logger } from '../../../../lib/log/logger.js';
import { DiskBuffer } from '../../buffer/disk-buffer.js';
import { registerAgentMetrics } from '../../metrics.js';
import type { AgentRecord, RecordSink } from '../../stage.js';
import { CursorFile } from './cursor-file.js';
import { JournaldInput, type JournaldOptions } from './journald.js';

interface Setup {
  dir: string;
  jc: FakeJournalctl;
  logs: string[];
  registry: Registry;
  options: (o?: Partial<JournaldOptions>) => JournaldOptions;
}

function setup(t: TestContext): Setup {
  const dir = tempDir(t);
  const jc = fakeJournalctl(dir);
  const logs: string[] = [];
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const log = new Logger({ level: 'debug', format: 'json', write: (l) => logs.push(l) });
  mkdirSync(join(dir, 'journal-empty'));
  const options = (o: Partial<JournaldOptions> = {}): JournaldOptions => ({
    name: 'journal',
    journalctl: jc.path,
    directory: '',
    systemJournalDirs: [join(dir, 'journal-empty')],
    readFrom: 'head',
    since: '',
    units: [],
    matches: [],
    maxLineBytes: 1024,
    node: 'node-a',
    cursor: CursorFile.open(join(dir, 'cursor.json')),
    minRestartMs: 20,
    maxRestartMs: 100,
    metrics,
    log,
    ...o,
  });
  return { dir, jc, logs, registry, options };
}

async function started(
  t: TestContext,
  o: JournaldOptions,
  sink: RecordSink = new CollectingSink(),
) {
  const input = new JournaldInput(o);
  await input.start(sink);
  t.after(() => input.stop());
  return input;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const entry = (i: number, extra: Record<string, unknown> = {}) => ({
  __REALTIME_TIMESTAMP: String(1714979289000000 + i),
  PRIORITY: '6',
  _SYSTEMD_UNIT: 'app.service',
  SYSLOG_IDENTIFIER: 'app',
  _PID: '4242',
  _HOSTNAME: 'web-1',
  MESSAGE: `line ${i}`,
  ...extra,
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => entry(from + i));

const warnings = (logs: string[], msg: string) =>
  logs.filter((l) => l.includes(msg) && l.includes('"level":"warn"')).length;

test('reads the journal from its head, follows new entries, saves the cursor after the sink synced', async (t) => {
  const s = setup(t);
  s.jc.append([entry(0, { MESSAGE: [...Buffer.from('bytes \x1b[1mbold\x1b[0m')], PRIORITY: '3' })]);
  s.jc.append(range(1, 3));
  const sink = new CollectingSink();
  const input = await started(t, s.options(), sink);
  await until('3 entries', () => sink.records.length === 3);
  s.jc.append(range(3, 5));
  await until('5 entries', () => sink.records.length === 5);
  assert.deepEqual(sink.messages(), [
    'bytes \x1b[1mbold\x1b[0m',
    'line 1',
    'line 2',
    'line 3',
    'line 4',
  ]);
  const [first, second] = sink.docs();
  assert.equal(first!['@timestamp'], '2024-05-06T07:08:09.000000Z');
  assert.deepEqual(first!.log, { level: 'err', syslog: { priority: 3 } });
  assert.deepEqual(second!.systemd, { unit: 'app.service' });
  assert.deepEqual(second!.syslog, { identifier: 'app' });
  assert.deepEqual(second!.process, { pid: 4242 });
  assert.deepEqual(second!.host, { name: 'web-1' });
  await input.stop();
  assert.ok(sink.syncs > 0, 'the sink was synced before the cursor was saved');
  const saved = JSON.parse(readFileSync(join(s.dir, 'cursor.json'), 'utf8')) as { cursor: string };
  assert.equal(saved.cursor, (sink.docs()[4]!.journald as { cursor: string }).cursor);
  const [args] = s.jc.calls();
  assert.deepEqual(args, ['--output=json', '--follow', '--all', '--no-pager', '--lines=all']);
  assert.match(s.registry.expose('text'), /vigil_agent_lines_read_total\{input="journal"\} 5\b/);
});

test('journalctl that exits is restarted with backoff after the last accepted entry: no loss, no duplicates', async (t) => {
  const s = setup(t);
  s.jc.exitAfter([4, 1, 6]);
  s.jc.append(range(0, 8));
  const sink = new CollectingSink();
  await started(t, s.options(), sink);
  await until('8 entries', () => sink.records.length >= 8);
  s.jc.append(range(8, 20));
  await until('20 entries', () => sink.records.length >= 20);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    sink.messages(),
    range(0, 20).map((e) => e.MESSAGE),
  );
  assert.equal(new Set(sink.records.map((r) => r.id)).size, 20);
  const calls = s.jc.calls();
  assert.equal(calls.length, 4);
  const cursors = sink.docs().map((d) => (d.journald as { cursor: string }).cursor);
  assert.ok(calls[1]!.includes(`--after-cursor=${cursors[3]}`), calls[1]!.join(' '));
  assert.ok(calls[2]!.includes(`--after-cursor=${cursors[4]}`), calls[2]!.join(' '));
  assert.ok(calls[3]!.includes(`--after-cursor=${cursors[10]}`), calls[3]!.join(' '));
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_restarts_total\{input="journal"\} 3\b/,
  );
  assert.equal(warnings(s.logs, 'journalctl exited, restarting it'), 3);
  assert.ok(s.logs.some((l) => l.includes('fake journalctl: exiting as told')));
});

test('an agent restart resumes after the saved cursor; with the buffer, every entry is there exactly once', async (t) => {
  const s = setup(t);
  const total = 600;
  // 600 entries of ~300 bytes do not fit the 16 KiB buffer: reading stops with most unread.
  s.jc.append(range(0, total).map((e) => ({ ...e, MESSAGE: `${e.MESSAGE} ${'p'.repeat(250)}` })));
  const bufferDir = join(s.dir, 'buffer');
  const small = DiskBuffer.open({ dir: bufferDir, maxBytes: 16 << 10, chunkBytes: 64 << 10 });
  const first = new JournaldInput(s.options());
  await first.start(small);
  await until('the buffer to fill', () => small.bytes >= 16 << 10);
  await new Promise((r) => setTimeout(r, 1200)); // a cursor save while reading waits
  // As the pipeline stops: the buffer closes first, failing the append that waits for space.
  await small.close();
  await first.stop();
  assert.ok(existsSync(join(s.dir, 'cursor.json')));
  assert.ok(!s.logs.some((l) => l.includes('"level":"error"')), s.logs.join('\n'));

  const big = DiskBuffer.open({ dir: bufferDir, maxBytes: 64 << 20, chunkBytes: 1 << 20 });
  const second = new JournaldInput(
    s.options({ cursor: CursorFile.open(join(s.dir, 'cursor.json')) }),
  );
  await second.start(big);
  const got: AgentRecord[] = [];
  try {
    const deadline = Date.now() + 20_000;
    while (got.length < total && Date.now() < deadline) {
      const batch = await big.read(1000, 1 << 20, 50);
      // Read before the acknowledgement, after which the buffer may reuse their bytes.
      got.push(...batch.records.map((r) => ({ id: r.id, json: r.json })));
      await big.ack(batch.end);
    }
    await new Promise((r) => setTimeout(r, 200));
    const rest = await big.read(1000, 1 << 20, 50);
    got.push(...rest.records);
  } finally {
    await big.close();
    await second.stop();
  }
  const messages = got.map(
    (r) => (JSON.parse(r.json) as { message: string }).message.split(' p')[0],
  );
  assert.equal(got.length, total, 'no entry lost or read twice');
  assert.deepEqual(
    messages,
    range(0, total).map((e) => e.MESSAGE),
  );
  assert.equal(new Set(got.map((r) => r.id)).size, total);
  assert.equal(s.jc.calls().length, 2);
  assert.ok(s.jc.calls()[1]!.some((a) => a.startsWith('--after-cursor=')));
});

test('read_from tail takes only new entries, also when journalctl exits before the first one', async (t) => {
  const s = setup(t);
  s.jc.append(range(0, 3));
  // The first run prints the last entry (the baseline) and exits.
  s.jc.exitAfter([1]);
  const sink = new CollectingSink();
  await started(t, s.options({ readFrom: 'tail' }), sink);
  await until(
    'a restart',
    () => existsSync(join(s.dir, 'calls.jsonl')) && s.jc.calls().length === 2,
  );
  s.jc.append(range(3, 5));
  await until('the new entries', () => sink.records.length === 2);
  assert.deepEqual(sink.messages(), ['line 3', 'line 4']);
  const calls = s.jc.calls();
  assert.ok(calls[0]!.includes('--lines=1'));
  assert.ok(calls[1]!.some((a) => a.startsWith('--after-cursor=')));
});

test('units and matches are passed to journalctl', async (t) => {
  const s = setup(t);
  s.jc.append([
    entry(0, { _SYSTEMD_UNIT: 'ssh.service', PRIORITY: '3' }),
    entry(1, { _SYSTEMD_UNIT: 'ssh.service', PRIORITY: '6' }),
    entry(2, { _SYSTEMD_UNIT: 'cron.service', PRIORITY: '3' }),
  ]);
  const sink = new CollectingSink();
  await started(t, s.options({ units: ['ssh.service'], matches: ['PRIORITY=3'] }), sink);
  await until('the match', () => sink.records.length === 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(sink.messages(), ['line 0']);
  assert.deepEqual(s.jc.calls()[0]!.slice(-2), ['--unit=ssh.service', 'PRIORITY=3']);
});

test('an absent journalctl is reported once, with a metric, and picked up once it is there', async (t) => {
  const s = setup(t);
  const sink = new CollectingSink();
  const missing = join(s.dir, 'later', 'bin', 'journalctl');
  await started(t, s.options({ journalctl: missing, maxRestartMs: 30 }), sink);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(warnings(s.logs, 'cannot read the journal'), 1, s.logs.join('\n'));
  assert.ok(s.logs.filter((l) => l.includes('journal still unavailable')).length >= 3);
  assert.ok(!s.logs.some((l) => l.includes('"level":"error"')));
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_unavailable\{input="journal"\} 1\b/,
  );
  // Installed later: read at the next try.
  const installed = fakeJournalctl(join(s.dir, 'later'));
  installed.append(range(0, 2));
  await until('the entries', () => sink.records.length === 2);
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_unavailable\{input="journal"\} 0\b/,
  );
});

test('no journal files on the host is reported once while journalctl waits for them', async (t) => {
  const s = setup(t);
  const sink = new CollectingSink();
  await started(t, s.options({ maxRestartMs: 30 }), sink);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(warnings(s.logs, 'cannot read the journal'), 1);
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_unavailable\{input="journal"\} 1\b/,
  );
  s.jc.append(range(0, 1));
  await until('the entry', () => sink.records.length === 1);
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_unavailable\{input="journal"\} 0\b/,
  );
});

test('the real journalctl with an empty journal directory is reported once, not an error loop', async (t) => {
  if (!existsSync('/usr/bin/journalctl')) {
    t.skip('no journalctl on this machine');
    return;
  }
  const s = setup(t);
  await started(
    t,
    s.options({
      journalctl: '/usr/bin/journalctl',
      directory: join(s.dir, 'journal-empty'),
      maxRestartMs: 50,
    }),
  );
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(warnings(s.logs, 'cannot read the journal'), 1, s.logs.join('\n'));
  assert.equal(warnings(s.logs, 'journalctl exited'), 0);
  assert.match(
    s.registry.expose('text'),
    /vigil_agent_journald_unavailable\{input="journal"\} 1\b/,
  );
});
