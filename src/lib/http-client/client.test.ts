import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { tempDir } from '../../../test/harness/temp.js';
import { selfSignedCert } from '../../../test/harness/tls.js';
import { BodyBuffer, HttpClient, HttpClientError, type HttpClientOptions } from './client.js';

const plain: HttpClientOptions = {
  tls_config: { insecure_skip_verify: false },
  follow_redirects: true,
};

async function listen(t: TestContext, server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

test('the Authorization header comes from basic_auth, authorization or bearer_token', async (t) => {
  const seen: (string | undefined)[] = [];
  const port = await listen(
    t,
    http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end();
    }),
  );
  const dir = tempDir(t);
  const secret = join(dir, 'secret');
  writeFileSync(secret, 'from-file\n');
  const url = `http://127.0.0.1:${port}/`;
  const get = (o: Partial<HttpClientOptions>) => {
    const client = new HttpClient({ ...plain, ...o });
    return client.request(url, { method: 'GET', timeoutMs: 5000 }).finally(() => client.close());
  };
  await get({ basic_auth: { username: 'u', password: 'p' } });
  await get({ basic_auth: { username: 'u', password_file: secret } });
  await get({ authorization: { type: 'Token', credentials: 'abc' } });
  await get({ bearer_token_file: secret });
  // A rotated file is read again on the next request.
  writeFileSync(secret, 'rotated');
  await get({ bearer_token_file: secret });
  await get({});
  assert.deepEqual(seen, [
    `Basic ${Buffer.from('u:p').toString('base64')}`,
    `Basic ${Buffer.from('u:from-file').toString('base64')}`,
    'Token abc',
    'Bearer from-file',
    'Bearer rotated',
    undefined,
  ]);
});

test('a missing secret file fails the request, naming the file', async (t) => {
  const client = new HttpClient({ ...plain, bearer_token_file: '/nonexistent/token' });
  t.after(() => client.close());
  await assert.rejects(
    client.request('http://127.0.0.1:1/', { method: 'GET', timeoutMs: 1000 }),
    (err: unknown) => err instanceof HttpClientError && err.message.includes('/nonexistent/token'),
  );
});

test('307 redirects keep method and body; follow_redirects: false returns them', async (t) => {
  const bodies: string[] = [];
  const port = await listen(
    t,
    http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/old') {
          res.writeHead(307, { location: '/new' }).end();
          return;
        }
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.end('ok');
      });
    }),
  );
  const url = `http://127.0.0.1:${port}/old`;
  const client = new HttpClient(plain);
  t.after(() => client.close());
  const body = new TextEncoder().encode('payload');
  const res = await client.request(url, { method: 'POST', body, timeoutMs: 5000 });
  assert.equal(res.status, 200);
  assert.deepEqual(bodies, ['POST /new payload']);
  const manual = new HttpClient({ ...plain, follow_redirects: false });
  t.after(() => manual.close());
  assert.equal((await manual.request(url, { method: 'POST', body, timeoutMs: 5000 })).status, 307);
});

test('a server that does not answer in time fails the request', async (t) => {
  const port = await listen(
    t,
    http.createServer(() => {
      /* never answers */
    }),
  );
  const client = new HttpClient(plain);
  t.after(() => client.close());
  await assert.rejects(
    client.request(`http://127.0.0.1:${port}/`, { method: 'GET', timeoutMs: 200 }),
    /no complete response within 200ms/,
  );
});

test('TLS: the CA, the server name, insecure_skip_verify and a client certificate', async (t) => {
  const dir = tempDir(t);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const subj = (cn: string) => ['-subj', `/CN=${cn}`];
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    ...subj('Test CA'),
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  for (const [name, san] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:vigil.test'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      ...subj(name),
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    writeFileSync(join(dir, `${name}.ext`), `${san}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
  }
  const file = (name: string) => readFileSync(join(dir, name));
  const clientNames: string[] = [];
  const server = https.createServer(
    {
      cert: file('server.pem'),
      key: file('server.key'),
      ca: file('ca.pem'),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      clientNames.push(
        (req.socket as TLSSocket).authorized ? String(peer.subject?.CN) : 'anonymous',
      );
      res.end();
    },
  );
  const url = `https://127.0.0.1:${await listen(t, server)}/`;
  const get = async (tls: HttpClientOptions['tls_config']) => {
    const client = new HttpClient({ ...plain, tls_config: tls });
    try {
      return (await client.request(url, { method: 'GET', timeoutMs: 5000 })).status;
    } finally {
      client.close();
    }
  };
  const ca_file = join(dir, 'ca.pem');
  assert.equal(await get({ ca_file, insecure_skip_verify: false }), 200);
  await assert.rejects(
    get({ insecure_skip_verify: false }),
    /self[- ]signed|unable to (get|verify)/,
  );
  assert.equal(await get({ insecure_skip_verify: true }), 200);
  await assert.rejects(
    get({ ca_file, server_name: 'other.test', insecure_skip_verify: false }),
    /other\.test/,
  );
  assert.equal(
    await get({
      ca_file,
      cert_file: join(dir, 'client.pem'),
      key_file: join(dir, 'client.key'),
      insecure_skip_verify: false,
    }),
    200,
  );
  assert.deepEqual(clientNames, ['anonymous', 'anonymous', 'client']);
});

test('getInto reads into the caller’s buffer over http and https, with auth and redirects', async (t) => {
  const seen: string[] = [];
  const handler: http.RequestListener = (req, res) => {
    seen.push(`${req.url} ${req.headers.authorization} ${req.headers['x-scrape']}`);
    if (req.url === '/moved') res.writeHead(302, { location: '/metrics' }).end();
    else res.end(`body of ${req.url}`);
  };
  const httpPort = await listen(t, http.createServer(handler));
  const { cert, key } = selfSignedCert(t);
  const httpsPort = await listen(t, https.createServer({ cert, key }, handler));
  const client = new HttpClient({
    ...plain,
    bearer_token: 'tok',
    tls_config: { insecure_skip_verify: true },
  });
  t.after(() => client.close());
  const body = new BodyBuffer();
  const get = async (url: string) => {
    const res = await client.getInto(url, { headers: { 'X-Scrape': '1' }, timeoutMs: 5000 }, body);
    return `${res.status} ${body.bytes().toString()}`;
  };
  assert.equal(await get(`http://127.0.0.1:${httpPort}/metrics`), '200 body of /metrics');
  assert.equal(await get(`http://127.0.0.1:${httpPort}/moved`), '200 body of /metrics');
  assert.equal(await get(`https://127.0.0.1:${httpsPort}/metrics`), '200 body of /metrics');
  // The redirect is followed from its Location, not asked again.
  assert.deepEqual(seen, [
    '/metrics Bearer tok 1',
    '/moved Bearer tok 1',
    '/metrics Bearer tok 1',
    '/metrics Bearer tok 1',
  ]);
});
