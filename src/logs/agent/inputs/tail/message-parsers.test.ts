/**
 * The tail input with message parsers configured: a JSON, a logfmt and a regex line are lifted
 * by the parser that reads them; a line none reads is kept as written and counted.
 */

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tailOptions } from '../../../../../test/harness/tail-options.js';
import { CollectingSink } from '../../../../../test/harness/record-sink.js';
import { tempDir } from '../../../../../test/harness/temp.js';
import { Registry } from '../../../../lib/instrument/index.js';
import { registerAgentMetrics } from '../../metrics.js';
import { LogfmtParser, RegexParser } from '../../parsers/message.js';
import { timeReader } from '../../parsers/time-format.js';
import { PositionDb } from './positions.js';
import { TailInput } from './tail.js';

test('message parsers lift fields and time per line; unread lines are kept and counted', async (t) => {
  const dir = tempDir(t);
  const pod = join(dir, 'pods', 'ns_p_u', 'c');
  mkdirSync(pod, { recursive: true });
  const lines = [
    '{"level":"error","message":"json line"}',
    'level=warn msg="logfmt \\"line\\"" at=2024-05-06T07:08:09.5Z',
    'GET /health 200',
    'a sentence nobody reads',
  ];
  writeFileSync(
    join(pod, '0.log'),
    lines.map((l, i) => `2024-01-01T00:00:0${i}.000000001Z stdout F ${l}\n`).join(''),
  );
  const registry = new Registry();
  const metrics = registerAgentMetrics(registry);
  const input = new TailInput(
    tailOptions(dir, metrics, {
      name: 'pods',
      include: [`${dir}/pods/*/*/*.log`],
      format: 'cri',
      json: true,
      positions: PositionDb.inMemory(),
      messageParsers: [
        new LogfmtParser({
          name: 'app',
          timeField: 'at',
          readTime: timeReader('rfc3339'),
          messageField: 'msg',
        }),
        new RegexParser(
          { name: 'http', timeField: '', readTime: null, messageField: 'message' },
          /^(?<method>[A-Z]+) (?<path>\S+) (?<status>\d{3})$/,
        ),
      ],
    }),
  );
  const sink = new CollectingSink();
  await input.start(sink);
  t.after(() => input.stop());
  const deadline = Date.now() + 5000;
  while (sink.records.length < 4 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  const pick = (d: Record<string, unknown>) => {
    const rest = { ...d };
    for (const k of ['log', 'host', 'stream']) delete rest[k];
    return rest;
  };
  assert.deepEqual(sink.docs().map(pick), [
    { '@timestamp': '2024-01-01T00:00:00.000000001Z', message: 'json line', level: 'error' },
    {
      '@timestamp': '2024-05-06T07:08:09.500Z',
      message: 'logfmt "line"',
      level: 'warn',
      at: '2024-05-06T07:08:09.5Z',
    },
    {
      '@timestamp': '2024-01-01T00:00:02.000000001Z',
      message: 'GET /health 200',
      method: 'GET',
      path: '/health',
      status: '200',
    },
    { '@timestamp': '2024-01-01T00:00:03.000000001Z', message: 'a sentence nobody reads' },
  ]);
  await input.stop();
  assert.match(registry.expose('text'), /vigil_agent_lines_unparsed_total\{input="pods"\} 1\n/);
});
