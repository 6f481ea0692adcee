import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { PlainGetError } from './plain-get.js';
import { BodyBuffer, PlainGetPool, type PlainResponse } from './plain-get.js';

async function listen(t: TestContext, server: net.Server): Promise<URL> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics?x=1`);
}

/** A server that answers every request on a connection with `reply(n)`, n counting from 0. */
function rawServer(reply: (n: number, socket: net.Socket) => string | null): net.Server {
  let n = 0;
  return net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const r = reply(n++, socket);
        if (r !== null) socket.write(r, 'latin1');
      }
    });
    socket.on('error', () => {});
  });
}

function pool(t: TestContext): PlainGetPool {
  const p = new PlainGetPool();
  t.after(() => p.close());
  return p;
}

function get(
  p: PlainGetPool,
  url: URL,
  body: BodyBuffer,
  maxBodyBytes = 1 << 20,
  timeoutMs = 5000,
  signal?: AbortSignal,
): Promise<PlainResponse> {
  return p.get(
    { url, headers: { accept: 'text/plain' }, body, maxBodyBytes },
    timeoutMs,
    signal,
    () => Object.assign(new Error('timed out'), { name: 'Timeout' }),
  );
}

test('reads Content-Length, chunked and close-delimited bodies from a real HTTP server', async (t) => {
  const seen: string[] = [];
  const big = 'x'.repeat(200_000);
  const url = await listen(
    t,
    http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.host} ${req.headers.accept}`);
      if (req.url!.startsWith('/chunked')) {
        res.write('a'.repeat(70_000));
        res.write('b');
        res.end('c'.repeat(3));
      } else if (req.url!.startsWith('/close')) {
        res.shouldKeepAlive = false;
        res.removeHeader('content-length');
        res.writeHead(500, { connection: 'close' });
        res.end('gone');
      } else {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end(big);
      }
    }),
  );
  const p = pool(t);
  const body = new BodyBuffer();
  let res = await get(p, url, body);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4');
  assert.equal(body.bytes().toString(), big);
  res = await get(p, new URL('/chunked', url), body);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(body.bytes().toString(), `${'a'.repeat(70_000)}bccc`);
  res = await get(p, new URL('/close', url), body);
  assert.equal(res.status, 500);
  assert.equal(body.bytes().toString(), 'gone');
  assert.deepEqual(seen, [
    `GET /metrics?x=1 ${url.host} text/plain`,
    `GET /chunked ${url.host} text/plain`,
    `GET /close ${url.host} text/plain`,
  ]);
});

test('a kept-alive connection serves the next request; one the server closed is replaced', async (t) => {
  const connections: net.Socket[] = [];
  const server = rawServer(() => 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
  server.on('connection', (s) => connections.push(s));
  const url = await listen(t, server);
  const p = pool(t);
  const body = new BodyBuffer();
  await get(p, url, body);
  await get(p, url, body);
  assert.equal(connections.length, 1);
  // The server drops the idle connection; the pool notices or retries on a new one.
  connections[0]!.destroy();
  await get(p, url, body);
  assert.equal(body.bytes().toString(), 'ok');
  assert.equal(connections.length, 2);
});

test('a stale kept-alive connection that closes without answering is retried once', async (t) => {
  let sockets = 0;
  const server = rawServer((n, socket) => {
    // The second request arrives on the first connection, which closes without a byte.
    if (n === 1) {
      socket.destroy();
      return null;
    }
    return 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nyes';
  });
  server.on('connection', () => sockets++);
  const url = await listen(t, server);
  const p = pool(t);
  const body = new BodyBuffer();
  await get(p, url, body);
  await get(p, url, body);
  assert.equal(body.bytes().toString(), 'yes');
  assert.equal(sockets, 2);
});

test('informational responses are skipped; split heads and chunk lines are reassembled', async (t) => {
  const server = net.createServer((socket) => {
    socket.once('data', async () => {
      const parts = [
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2',
        '00 OK\r\ntransfer-encoding: chunked\r',
        '\n\r\n3;ext=1\r',
        '\nabc\r\n1',
        '0\r\n0123456789abcdef\r\n0\r\ntrailer: x\r\n\r\n',
      ];
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    socket.on('error', () => {});
  });
  const url = await listen(t, server);
  const body = new BodyBuffer();
  const res = await get(pool(t), url, body);
  assert.equal(res.status, 200);
  assert.equal(body.bytes().toString(), 'abc0123456789abcdef');
});

test('a body over the limit is cut and marked truncated', async (t) => {
  const url = await listen(
    t,
    http.createServer((_req, res) => res.end('y'.repeat(100_000))),
  );
  const body = new BodyBuffer();
  const res = await get(pool(t), url, body, 1000);
  assert.equal(res.truncated, true);
  assert.equal(body.length, 1000);
});

test('garbage, a cut body and a refused connection reject with messages that say which', async (t) => {
  const server = rawServer((n, socket) => {
    if (n === 0) return 'SSH-2.0-OpenSSH\r\n\r\n';
    if (n === 1) return 'HTTP/1.1 200 OK\r\ncontent-length: x1\r\n\r\n';
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort');
    return null;
  });
  const url = await listen(t, server);
  const p = pool(t);
  const body = new BodyBuffer();
  const message = (err: unknown) => (err as PlainGetError).message;
  await assert.rejects(get(p, url, body), (err) => /malformed HTTP response/.test(message(err)));
  await assert.rejects(get(p, url, body), (err) => /bad Content-Length/.test(message(err)));
  await assert.rejects(get(p, url, body), (err) => message(err) === 'unexpected EOF');
  const closed = net.createServer();
  const closedUrl = await listen(t, closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(get(p, closedUrl, body), (err) => /ECONNREFUSED/.test(message(err)));
});

test('a hanging server times out, an abort stops the request, and the pool stays usable', async (t) => {
  let n = 0;
  const server = net.createServer((socket) => {
    socket.on('data', () => {
      if (n++ >= 2) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n!');
    });
    socket.on('error', () => {});
  });
  const url = await listen(t, server);
  const p = pool(t);
  const body = new BodyBuffer();
  await assert.rejects(get(p, url, body, 1 << 20, 100), { name: 'Timeout' });
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('stopped')), 50);
  await assert.rejects(get(p, url, body, 1 << 20, 5000, abort.signal), { message: 'stopped' });
  await get(p, url, body);
  assert.equal(body.bytes().toString(), '!');
});

test('a response head over 64 KiB is refused', async (t) => {
  const url = await listen(
    t,
    rawServer(() => `HTTP/1.1 200 OK\r\nx-big: ${'h'.repeat(70_000)}\r\n\r\n`),
  );
  await assert.rejects(get(pool(t), url, new BodyBuffer()), {
    message: 'server response headers exceeded the limit',
  });
});
