import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '../../../../test/harness/temp.js';
import { HttpClient } from '../../../lib/http-client/client.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { registerAgentMetrics } from '../metrics.js';
import type { AgentRecord } from '../stage.js';
import { DeadLetterFile } from './dead-letter.js';
import { VigilOutput } from './vigil.js';

/** A destination on a real socket that answers with `answer(request body lines)`. */
async function destination(
  t: TestContext,
  answer: (lines: Record<string, unknown>[], req: IncomingMessage) => [number, unknown],
): Promise<{ url: string; requests: Record<string, unknown>[][] }> {
  const requests: Record<string, unknown>[][] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body
        .toString()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      requests.push(lines);
      const [status, json] = answer(lines, req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function output(t: TestContext, url: string, maxRetries = 0, gzip = true) {
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const deadLetter = new DeadLetterFile(join(tempDir(t), 'dead.ndjson'), 'vigil');
  const out = new VigilOutput({
    name: 'vigil',
    url,
    index: 'logs-x',
    gzip,
    timeoutMs: 5000,
    retry: { maxRetries, minBackoffMs: 5, maxBackoffMs: 20 },
    client: new HttpClient({ tls_config: { insecure_skip_verify: false }, follow_redirects: true }),
    deadLetter,
    metrics,
    log: new Logger({ level: 'error' }),
  });
  return { out, registry, deadLetter };
}

const recs = (n: number): AgentRecord[] =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, json: `{"message":"m${i}"}` }));

const ok = (lines: Record<string, unknown>[]): [number, unknown] => [
  200,
  { status: 'success', data: { created: lines.length, exists: 0, rejected: [] } },
];

test('sends gzipped JSON lines with _id, retrying 503 and network errors until accepted', async (t) => {
  let calls = 0;
  const dest = await destination(t, (lines) =>
    ++calls <= 2 ? [503, { error: 'busy' }] : ok(lines),
  );
  const { out, registry } = output(t, dest.url);
  await out.send(recs(3), new AbortController().signal);
  assert.equal(dest.requests.length, 3);
  assert.deepEqual(dest.requests[2], [
    { _id: 'id-0', message: 'm0' },
    { _id: 'id-1', message: 'm1' },
    { _id: 'id-2', message: 'm2' },
  ]);
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_sent_total\{output="vigil"\} 3\b/);
  assert.match(text, /vigil_agent_output_retries_total\{output="vigil"\} 2\b/);

  // Nothing listens here: retried until the caller gives up.
  const closed = output(t, 'http://127.0.0.1:1');
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('stop')), 100);
  await assert.rejects(closed.out.send(recs(1), abort.signal), /stop/);
  assert.match(
    closed.registry.expose('text'),
    /vigil_agent_output_retries_total\{output="vigil"\} [1-9]/,
  );
});

test('a batch larger than a body chunk arrives whole, gzipped or not', async (t) => {
  // ~1.3 MB of lines: ten chunks, each written into the same buffer while zlib works on the last.
  const records = Array.from({ length: 4000 }, (_, i) => ({
    id: `id-${i}`,
    json: JSON.stringify({ message: `${i} ${'x'.repeat(300)}` }),
  }));
  for (const gzip of [true, false]) {
    const dest = await destination(t, ok);
    const { out } = output(t, dest.url, 0, gzip);
    await out.send(records, new AbortController().signal);
    assert.equal(dest.requests.length, 1);
    assert.deepEqual(
      dest.requests[0],
      records.map((r) => ({ _id: r.id, ...(JSON.parse(r.json) as object) })),
    );
  }
});

test('a refused token (401, 403) keeps the lines and retries until the token works', async (t) => {
  let calls = 0;
  const dest = await destination(t, (lines) =>
    ++calls === 1 ? [401, { error: 'bad token' }] : calls === 2 ? [403, {}] : ok(lines),
  );
  const { out, registry, deadLetter } = output(t, dest.url);
  await out.send(recs(2), new AbortController().signal);
  assert.equal(dest.requests.length, 3);
  assert.equal(existsSync(deadLetter.path), false);
  assert.match(registry.expose('text'), /vigil_agent_records_sent_total\{output="vigil"\} 2\b/);
});

test('413 halves the batch; refused lines and final errors go to the dead-letter file', async (t) => {
  const dest = await destination(t, (lines) => {
    if (lines.length > 2) return [413, {}];
    if (lines.some((l) => l._id === 'id-3')) return [400, { error: 'bad' }];
    const rejected = lines.flatMap((l, i) =>
      l._id === 'id-0' ? [{ line: i + 1, type: 'document_too_large', reason: 'too large' }] : [],
    );
    return [
      200,
      { status: 'success', data: { created: lines.length - rejected.length, rejected } },
    ];
  });
  const { out, registry, deadLetter } = output(t, dest.url);
  await out.send(recs(4), new AbortController().signal);
  assert.deepEqual(
    dest.requests.map((r) => r.map((l) => l._id)),
    [
      ['id-0', 'id-1', 'id-2', 'id-3'],
      ['id-0', 'id-1'],
      ['id-2', 'id-3'],
    ],
  );
  const dead = readFileSync(deadLetter.path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; reason: string; doc: unknown });
  assert.deepEqual(
    dead.map((d) => [d.id, d.doc]),
    [
      ['id-0', { message: 'm0' }],
      ['id-2', { message: 'm2' }],
      ['id-3', { message: 'm3' }],
    ],
  );
  assert.match(dead[0]!.reason, /document_too_large/);
  assert.match(dead[1]!.reason, /server answered 400/);
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_sent_total\{output="vigil"\} 1\b/);
  assert.match(text, /vigil_agent_records_failed_total\{output="vigil"\} 3\b/);
});

test('with max_retries a batch is given up on after that many retries', async (t) => {
  const dest = await destination(t, () => [500, {}]);
  const { out, deadLetter } = output(t, dest.url, 2);
  await out.send(recs(2), new AbortController().signal);
  assert.equal(dest.requests.length, 3);
  assert.match(
    readFileSync(deadLetter.path, 'utf8'),
    /gave up after 2 retries: server answered 500/,
  );
});
