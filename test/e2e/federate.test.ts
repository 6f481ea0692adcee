import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snappyEncode } from '../../src/lib/snappy/index.js';
import { encodeWriteRequest } from '../../src/metrics/remote/testdata/write-request.js';
import { createParser } from '../../src/metrics/model/textparse/parser.js';
import { startVigil } from '../harness/vigil.js';

const STALE = 0x7ff0000000000002n;

test('/federate exposes the newest sample of each matching series in the text format', async (t) => {
  const vigil = await startVigil(t);
  const now = Date.now();
  const written = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyEncode(
      encodeWriteRequest([
        {
          labels: [
            ['__name__', 'fed_total'],
            ['job', 'a'],
            ['Zone', 'x"y'],
          ],
          samples: [
            [now - 60_000, 1],
            [now - 30_000, 2],
          ],
        },
        {
          labels: [
            ['__name__', 'fed_total'],
            ['job', 'b'],
          ],
          samples: [[now - 30_000, 5]],
        },
        {
          labels: [
            ['__name__', 'fed_total'],
            ['job', 'gone'],
          ],
          samples: [
            [now - 60_000, 3],
            [now - 30_000, STALE],
          ],
        },
        {
          labels: [
            ['__name__', 'fed_total'],
            ['job', 'old'],
          ],
          samples: [[now - 10 * 60_000, 4]],
        },
        {
          labels: [
            ['__name__', 'other'],
            ['job', 'a'],
          ],
          samples: [[now - 30_000, 7]],
        },
      ]),
    ),
  });
  assert.equal(written.status, 204);

  const res = await fetch(
    `${vigil.url}/federate?${new URLSearchParams([
      ['match[]', 'fed_total'],
      ['match[]', '{job="a"}'],
    ])}`,
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const body = await res.text();
  assert.equal(
    body,
    [
      '# TYPE fed_total untyped',
      `fed_total{Zone="x\\"y",job="a"} 2 ${now - 30_000}`,
      `fed_total{job="b"} 5 ${now - 30_000}`,
      '# TYPE other untyped',
      `other{job="a"} 7 ${now - 30_000}`,
      '',
    ].join('\n'),
  );
  // Our own parser of the format reads it back.
  const parser = createParser(body, 'text/plain; version=0.0.4');
  let series = 0;
  for (let e = parser.next(); e !== null; e = parser.next()) if (e === 'series') series++;
  assert.equal(series, 3);

  const bad = await fetch(`${vigil.url}/federate?match[]=${encodeURIComponent('{job=~".*"}')}`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /match\[\] must contain at least one non-empty matcher/);
  assert.equal((await vigil.stop()).code, 0);
});
