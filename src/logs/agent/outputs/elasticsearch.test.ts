import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
import { ElasticsearchOutput, indexNamer } from './elasticsearch.js';

test('indexNamer names the daily index from the record time', () => {
  const name = indexNamer('logs-%Y.%m.%d');
  assert.equal(
    name('{"@timestamp":"2024-05-06T23:59:59.999999999Z","message":"x"}'),
    'logs-2024.05.06',
  );
  assert.equal(name('{"@timestamp":"2024-05-07T01:00:00+02:00","message":"x"}'), 'logs-2024.05.06');
  assert.equal(indexNamer('fixed')('{}'), 'fixed');
  assert.match(name('{"message":"no time"}'), /^logs-\d{4}\.\d\d\.\d\d$/);
});

test('bulk create with ids; 409 counts as delivered, 429 items are sent again, mapping errors go to the dead-letter file', async (t: TestContext) => {
  const requests: string[][] = [];
  let round = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const lines = gunzipSync(Buffer.concat(chunks)).toString().trim().split('\n');
      requests.push(lines);
      const actions = lines
        .filter((_, i) => i % 2 === 0)
        .map((l) => JSON.parse(l) as { create: { _id: string } });
      round++;
      const items = actions.map(({ create }) => {
        if (create._id === 'b' && round === 1)
          return {
            create: {
              _id: 'b',
              status: 429,
              error: { type: 'es_rejected_execution_exception', reason: 'busy' },
            },
          };
        if (create._id === 'c')
          return {
            create: {
              _id: 'c',
              status: 409,
              error: { type: 'version_conflict_engine_exception', reason: 'exists' },
            },
          };
        if (create._id === 'd')
          return {
            create: {
              _id: 'd',
              status: 400,
              error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' },
            },
          };
        return { create: { _id: create._id, status: 201 } };
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ took: 1, errors: true, items }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const deadLetter = new DeadLetterFile(join(tempDir(t), 'es.ndjson'), 'es');
  const out = new ElasticsearchOutput({
    name: 'es',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    index: 'logs-%Y.%m.%d',
    gzip: true,
    timeoutMs: 5000,
    retry: { maxRetries: 0, minBackoffMs: 5, maxBackoffMs: 20 },
    client: new HttpClient({ tls_config: { insecure_skip_verify: false }, follow_redirects: true }),
    deadLetter,
    metrics,
    log: new Logger({ level: 'error' }),
  });
  const rec = (id: string): AgentRecord => ({
    id,
    json: `{"@timestamp":"2024-05-06T07:08:09Z","message":"${id}"}`,
  });
  await out.send(['a', 'b', 'c', 'd'].map(rec), new AbortController().signal);
  assert.equal(requests.length, 2);
  assert.deepEqual(requests[0]!.slice(0, 2), [
    '{"create":{"_index":"logs-2024.05.06","_id":"a"}}',
    '{"@timestamp":"2024-05-06T07:08:09Z","message":"a"}',
  ]);
  assert.deepEqual(requests[1], [
    '{"create":{"_index":"logs-2024.05.06","_id":"b"}}',
    '{"@timestamp":"2024-05-06T07:08:09Z","message":"b"}',
  ]);
  const dead = readFileSync(deadLetter.path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; reason: string });
  assert.deepEqual(
    dead.map((d) => [d.id, d.reason]),
    [['d', '400 mapper_parsing_exception: failed to parse field [n]']],
  );
  const text = registry.expose('text');
  assert.match(text, /vigil_agent_records_sent_total\{output="es"\} 3\b/);
  assert.match(text, /vigil_agent_records_failed_total\{output="es"\} 1\b/);
  assert.match(text, /vigil_agent_output_retries_total\{output="es"\} 1\b/);
});
