import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '../../../../test/harness/temp.js';
import { HttpClient } from '../../../lib/http-client/client.js';
import { Registry } from '../../../lib/instrument/index.js';
import { Logger } from '../../../lib/log/logger.js';
import { registerAgentMetrics } from '../metrics.js';
import type { AgentRecord } from '../stage.js';
import { DeadLetterFile } from './dead-letter.js';
import { lokiPushBody, LokiOutput } from './loki.js';

const rec = (id: string, doc: Record<string, unknown>): AgentRecord => ({
  id,
  json: JSON.stringify(doc),
});

const LABELS = { namespace: 'kubernetes.namespace', pod: 'kubernetes.pod.name', level: 'level' };

test('lokiPushBody groups records into streams by label fields, in time order, the rest as the line', () => {
  const body = lokiPushBody(
    [
      rec('a', {
        '@timestamp': '2024-05-06T07:08:09.000000002Z',
        message: 'second',
        kubernetes: { namespace: 'shop', pod: { name: 'web-0', uid: 'u' } },
      }),
      rec('b', {
        '@timestamp': '2024-05-06T07:08:09.000000001Z',
        message: 'first',
        kubernetes: { namespace: 'shop', pod: { name: 'web-0' } },
      }),
      rec('c', {
        '@timestamp': '2024-05-06T07:08:09Z',
        message: 'other',
        level: 'warn',
        kubernetes: { namespace: 'shop', pod: { name: 'web-1' } },
      }),
      // A label field that is an object is not a label value: it stays in the line.
      rec('d', { '@timestamp': '2024-05-06T07:08:09Z', message: 'x', level: { a: 1 } }),
    ],
    LABELS,
    { cluster: 'eu-1' },
  );
  assert.deepEqual(body, {
    streams: [
      {
        stream: { cluster: 'eu-1', namespace: 'shop', pod: 'web-0' },
        values: [
          ['1714979289000000001', '{"message":"first"}'],
          ['1714979289000000002', '{"message":"second","kubernetes":{"pod":{"uid":"u"}}}'],
        ],
      },
      {
        stream: { cluster: 'eu-1', namespace: 'shop', pod: 'web-1', level: 'warn' },
        values: [['1714979289000000000', '{"message":"other"}']],
      },
      {
        stream: { cluster: 'eu-1' },
        values: [['1714979289000000000', '{"message":"x","level":{"a":1}}']],
      },
    ],
  });
});

test('LokiOutput pushes gzipped JSON with the tenant header; 400 goes to the dead-letter file', async (t) => {
  const requests: { headers: IncomingMessage['headers']; body: unknown }[] = [];
  let status = 503;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      requests.push({ headers: req.headers, body: JSON.parse(text.toString()) });
      const s = status;
      if (status === 503) status = 204;
      res.writeHead(s).end(s === 400 ? 'entry too far behind' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const deadLetter = new DeadLetterFile(join(tempDir(t), 'dead.ndjson'), 'loki');
  const out = new LokiOutput({
    name: 'loki',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    labels: LABELS,
    staticLabels: {},
    tenantId: 'team-a',
    gzip: true,
    timeoutMs: 5000,
    retry: { maxRetries: 0, minBackoffMs: 5, maxBackoffMs: 20 },
    client: new HttpClient({ tls_config: { insecure_skip_verify: false }, follow_redirects: true }),
    deadLetter,
    metrics,
    log: new Logger({ level: 'error' }),
  });
  const batch = [rec('a', { '@timestamp': '2024-05-06T07:08:09Z', message: 'm', level: 'info' })];
  await out.send(batch, new AbortController().signal);
  assert.equal(requests.length, 2, 'a 503 is retried');
  assert.equal(requests[1]!.headers['content-type'], 'application/json');
  assert.equal(requests[1]!.headers['x-scope-orgid'], 'team-a');
  assert.deepEqual(requests[1]!.body, {
    streams: [{ stream: { level: 'info' }, values: [['1714979289000000000', '{"message":"m"}']] }],
  });
  status = 400;
  await out.send(batch, new AbortController().signal);
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_sent_total\{output="loki"\} 1\n/);
  assert.match(text, /vigil_agent_records_failed_total\{output="loki"\} 1\n/);
});
