import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startVigil } from '../harness/vigil.js';

function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let response = '';
    socket.on('data', (c: Buffer) => (response += c.toString('latin1')));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

test('headers larger than server.max_header_size are refused with 431', async (t) => {
  const vigil = await startVigil(t, { config: 'server:\n  max_header_size: 2KiB\n' });
  const small = await rawRequest(
    vigil.port,
    'GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  );
  assert.match(small, /^HTTP\/1\.1 200 /);
  const big = await rawRequest(
    vigil.port,
    `GET /-/healthy HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(4096)}\r\nConnection: close\r\n\r\n`,
  );
  assert.match(big, /^HTTP\/1\.1 431 /);
  assert.equal((await vigil.stop()).code, 0);
});

test('a client that never finishes its request is cut off after server.request_timeout', async (t) => {
  const vigil = await startVigil(t, { config: 'server:\n  request_timeout: 1s\n' });
  const started = Date.now();
  const response = await new Promise<string>((resolve, reject) => {
    const socket = connect(vigil.port, '127.0.0.1', () =>
      socket.write('GET /-/healthy HTTP/1.1\r\nHost: x\r\n'),
    );
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  const ms = Date.now() - started;
  assert.match(response, /^HTTP\/1\.1 408 /);
  assert.ok(ms >= 900 && ms < 5_000, `cut off after ${ms} ms`);
  assert.equal((await vigil.stop()).code, 0);
});
