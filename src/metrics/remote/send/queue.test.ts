import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remoteWriteEntry } from '../../../config/remote-write.js';
import { snappyDecode } from '../../../lib/snappy/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { Labels } from '../../model/labels.js';
import { Tsdb } from '../../tsdb/db.js';
import { decodeWriteRequest } from '../write-request.js';
import { RemoteWriteQueue } from './queue.js';

/** What the fake remote received, decoded, and the headers of the last request. */
interface Received {
  samples: string[];
  headers: IncomingMessage['headers'];
  requests: number;
}

type Answer = (req: IncomingMessage, res: ServerResponse, n: number) => boolean;

/**
 * A remote on a real socket that decodes what it gets. `answer` may reply itself (returning
 * true); otherwise the request is accepted with 204 and its samples recorded.
 */
async function remote(t: TestContext, answer: Answer = () => false) {
  const received: Received = { samples: [], headers: {}, requests: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.headers = req.headers;
      const n = received.requests++;
      if (answer(req, res, n)) return;
      const wr = decodeWriteRequest(snappyDecode(Buffer.concat(chunks), 1 << 24));
      for (const s of wr.series) {
        for (let i = s.start; i < s.end; i++) {
          received.samples.push(`${s.labels.toString()}@${wr.timestamps[i]}=${wr.values[i]}`);
        }
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/write`, received };
}

interface Setup {
  db: Tsdb;
  dir: string;
  queue(config: Record<string, unknown>): RemoteWriteQueue;
}

function setup(t: TestContext): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-queue-'));
  const db = Tsdb.open(join(dir, 'metrics'));
  const queues: RemoteWriteQueue[] = [];
  t.after(async () => {
    for (const q of queues) await q.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const log = new Logger({ level: 'error', format: 'json', write: () => {} });
  return {
    db,
    dir,
    queue(config) {
      const q = new RemoteWriteQueue({
        name: 'test',
        config: remoteWriteEntry.parse({
          queue_config: { batch_send_deadline: '20ms', min_backoff: '10ms', max_backoff: '50ms' },
          ...config,
        }),
        externalLabels: { cluster: 'c1', job: 'not-used' },
        feed: db.feed,
        progressDir: join(dir, 'remote-write'),
        log,
      });
      queues.push(q);
      q.start();
      return q;
    },
  };
}

async function write(db: Tsdb, series: number, from: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const app = db.appender();
    const t = from + k * 1000;
    for (let i = 0; i < series; i++) {
      const labels = Labels.fromRecord({ __name__: 'm', i: String(i), job: 'j' });
      app.append(0, labels, t, k);
      // As sent: the external label added, the series' own job kept.
      out.push(`${labels.with('cluster', 'c1').toString()}@${t}=${k}`);
    }
    await app.commit();
  }
  return out;
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Samples per series, in the order the remote got them. */
function bySeries(samples: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of samples) {
    const key = s.slice(0, s.indexOf('@'));
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

test('every sample arrives once, in order per series, with remote write headers', async (t) => {
  const { url, received } = await remote(t);
  const s = setup(t);
  s.queue({
    url,
    headers: { 'X-Scope-OrgID': 'team-a' },
    authorization: { credentials: 'tok' },
  });
  const want = await write(s.db, 30, 1000, 100);
  await until('all samples', () => received.samples.length >= want.length);
  assert.deepEqual(bySeries(received.samples), bySeries(want));
  const h = received.headers;
  assert.equal(h['content-encoding'], 'snappy');
  assert.equal(h['content-type'], 'application/x-protobuf');
  assert.equal(h['x-prometheus-remote-write-version'], '0.1.0');
  assert.match(String(h['user-agent']), /^Vigil\//);
  assert.equal(h.authorization, 'Bearer tok');
  assert.equal(h['x-scope-orgid'], 'team-a');
});

test('5xx and 429 are retried until accepted; Retry-After is honoured', async (t) => {
  const times: number[] = [];
  const { url, received } = await remote(t, (_req, res, n) => {
    times.push(Date.now());
    if (n === 0) res.writeHead(503).end('busy');
    else if (n === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    else return false;
    return true;
  });
  const s = setup(t);
  const q = s.queue({ url });
  const want = await write(s.db, 3, 1000, 5);
  await until('all samples', () => received.samples.length >= want.length);
  assert.deepEqual(bySeries(received.samples), bySeries(want));
  assert.ok(times[2]! - times[1]! >= 950, `retried after ${times[2]! - times[1]!} ms`);
  assert.ok(q.stats.samplesRetried > 0);
  assert.equal(q.stats.samplesFailed, 0);
});

test('a 4xx other than 429 drops the batch and goes on', async (t) => {
  const { url, received } = await remote(t, (_req, res, n) => {
    if (n > 0) return false;
    res.writeHead(400).end('bad labels');
    return true;
  });
  const s = setup(t);
  const q = s.queue({ url });
  const first = await write(s.db, 2, 1000, 1);
  await until('the rejection', () => q.stats.samplesFailed === first.length);
  const second = await write(s.db, 2, 5000, 3);
  await until('the rest', () => received.samples.length >= second.length);
  assert.deepEqual(received.samples.sort(), second.sort());
});

test('with retry_on_http_429 false, a 429 drops the batch', async (t) => {
  const { url } = await remote(t, (_req, res) => {
    res.writeHead(429).end();
    return true;
  });
  const s = setup(t);
  const q = s.queue({
    url,
    queue_config: { retry_on_http_429: false, batch_send_deadline: '20ms' },
  });
  const want = await write(s.db, 2, 1000, 2);
  await until('the drop', () => q.stats.samplesFailed === want.length);
  assert.equal(q.stats.samplesRetried, 0);
});

test('sample_age_limit drops samples older than the limit instead of sending them', async (t) => {
  const { url, received } = await remote(t);
  const s = setup(t);
  const q = s.queue({ url, queue_config: { sample_age_limit: '1h', batch_send_deadline: '20ms' } });
  const now = Date.now();
  await write(s.db, 2, now - 3 * 3600_000, 1);
  const fresh = await write(s.db, 2, now, 1);
  await until('the fresh samples', () => received.samples.length >= fresh.length);
  assert.deepEqual(received.samples.sort(), fresh.sort());
  assert.equal(q.stats.samplesDropped, 2);
});

test('a queue stopped while the remote is down resumes where it stopped', async (t) => {
  let down = true;
  const { url, received } = await remote(t, (_req, res) => {
    if (!down) return false;
    res.writeHead(500).end();
    return true;
  });
  const s = setup(t);
  const first = s.queue({ url });
  const before = await write(s.db, 4, 1000, 20);
  await until('a retry', () => first.stats.samplesRetried > 0);
  await first.stop();
  const after = await write(s.db, 4, 100_000, 20);
  down = false;
  s.queue({ url });
  const want = [...before, ...after];
  await until('all samples', () => received.samples.length >= want.length);
  assert.deepEqual(bySeries(received.samples), bySeries(want));
});
