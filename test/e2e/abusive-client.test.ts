/**
 * @module
 * One abusive client does not stop the others: 20 ingest clients send batches to a real server,
 * first alone, then while another client opens slow requests that trickle their headers a byte
 * at a time and streams bodies larger than the server's limit. The well-behaved clients keep at
 * least 80 % of their throughput, the slow requests are cut off by `request_timeout`, and the
 * oversized bodies are refused (413, or the connection cut).
 */

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startVigil, type VigilServer } from '../harness/vigil.js';

const CLIENTS = 20;
const WINDOW_MS = 6_000;
const BATCH = Array.from({ length: 100 }, (_, i) =>
  JSON.stringify({ message: `request ${i} served`, level: 'info' }),
).join('\n');

/** Documents the well-behaved clients got acknowledged in one window. */
async function ingestFor(vigil: VigilServer, ms: number): Promise<number> {
  const until = Date.now() + ms;
  let docs = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-fair`, {
          method: 'POST',
          body: BATCH,
        });
        const body = (await res.json()) as { data?: { created: number; exists: number } };
        if (res.status === 200) docs += body.data!.created + body.data!.exists;
      }
    }),
  );
  return docs;
}

/** Opens a request whose headers arrive one byte a second; resolves when the server hangs up. */
function slowHeaders(port: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    const text = 'POST /api/v1/logs/ingest HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100);
    let i = 0;
    const timer = setInterval(() => {
      if (i < text.length && !socket.destroyed) socket.write(text[i++]!);
    }, 1000);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
  });
}

/** Streams a chunked body past the server's limit; resolves with the status it answered. */
function oversized(port: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0)));
    socket.write(
      'POST /api/v1/logs/ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const send = () => {
      if (socket.destroyed || answer !== '') return;
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write('\r\n', () => setTimeout(send, 20));
    };
    send();
  });
}

test('an abusive client does not stop 20 well-behaved ingest clients', async (t) => {
  const vigil = await startVigil(t, {
    config: 'server:\n  request_timeout: 5s\n  max_request_body_size: 4MiB\n',
  });
  const port = Number(new URL(vigil.url).port);
  await ingestFor(vigil, 1_000);
  // The baseline is taken before and after the contested window, and the lower one counts:
  // on a shared machine, load from elsewhere changes throughput more than the abuse may.
  const before = await ingestFor(vigil, WINDOW_MS / 2);

  const slow = Array.from({ length: 50 }, () => slowHeaders(port));
  const big: Promise<number>[] = [];
  const abuse = setInterval(() => {
    if (big.length < 12) big.push(oversized(port));
  }, 500);
  const contested = await ingestFor(vigil, WINDOW_MS);
  clearInterval(abuse);
  // 413, or (0) the connection cut while the client was still writing, which loses the answer.
  const statuses = await Promise.all(big);
  const held = await Promise.all(slow);
  const after = await ingestFor(vigil, WINDOW_MS / 2);
  const alone = 2 * Math.min(before, after);
  t.diagnostic(
    `documents acknowledged in ${WINDOW_MS} ms: ${alone} alone (${before} + ${after} in halves), ${contested} contested`,
  );

  assert.ok(
    contested >= alone * 0.8,
    `${contested} documents with the abusive client, ${alone} without`,
  );
  assert.ok(
    statuses.every((s) => s === 413 || s === 0) && statuses.includes(413),
    `oversized bodies answered ${statuses.join(' ')}`,
  );
  assert.ok(
    held.every((ms) => ms < 15_000),
    `slow requests held for ${Math.max(...held)} ms`,
  );
});
