import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { selfSignedCert } from '../../../test/harness/tls.js';
import { HttpClient } from '../../lib/http-client/client.js';
import { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import { relabelConfigsSchema } from '../model/relabel/config.js';
import { Notifier, type NotifierAlert } from './notifier.js';

const alert = (name: string): NotifierAlert => ({
  labels: Labels.fromRecord({ alertname: name, env: 'test' }),
  annotations: { summary: name },
  startsAt: Date.parse('2026-01-01T00:00:00Z'),
  endsAt: Date.parse('2026-01-01T00:04:00Z'),
  generatorURL: 'http://vigil/graph',
});

test('alerts get external labels and relabeling, go out in batches, the oldest dropped on overflow', async (t) => {
  const bodies: unknown[][] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      assert.equal(req.url, '/prefix/api/v2/alerts');
      bodies.push(JSON.parse(body) as unknown[]);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  const n = new Notifier(new Logger({ level: 'error', write: () => {} }), 100);
  n.apply({
    alertmanagers: [{ url: `http://127.0.0.1:${port}/prefix/api/v2/alerts`, timeout: 5_000 }],
    externalLabels: { env: 'prod', region: 'eu1' },
    relabel: relabelConfigsSchema.parse([
      { source_labels: ['alertname'], regex: 'Dropped', action: 'drop' },
    ]),
  });
  n.send([alert('A'), alert('Dropped')]);
  await n.stop();
  assert.deepEqual(bodies, [
    [
      {
        labels: { alertname: 'A', env: 'test', region: 'eu1' },
        annotations: { summary: 'A' },
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-01-01T00:04:00.000Z',
        generatorURL: 'http://vigil/graph',
      },
    ],
  ]);

  const n2 = new Notifier(new Logger({ level: 'error', write: () => {} }), 100);
  n2.apply({
    alertmanagers: [{ url: `http://127.0.0.1:${port}/prefix/api/v2/alerts`, timeout: 5_000 }],
    externalLabels: {},
    relabel: [],
  });
  bodies.length = 0;
  status = 500;
  n2.send(Array.from({ length: 150 }, (_, i) => alert(`X${i}`)));
  await n2.stop();
  assert.equal(n2.stats.dropped, 50);
  assert.deepEqual(
    bodies.map((b) => b.length),
    [64, 36],
  );
  assert.equal((bodies[0]![0] as { labels: { alertname: string } }).labels.alertname, 'X50');
  assert.equal(n2.stats.errors, 100);
});

test('an Alertmanager behind HTTPS with basic auth gets the alerts with the credentials', async (t) => {
  const { cert, key, certFile } = selfSignedCert(t);
  const seen: { auth: string | undefined; body: unknown }[] = [];
  const server = createHttpsServer({ cert, key }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  const n = new Notifier(new Logger({ level: 'error', write: () => {} }), 100);
  const client = new HttpClient({
    basic_auth: { username: 'prom', password: 's3cret' },
    tls_config: { ca_file: certFile, insecure_skip_verify: false },
    follow_redirects: true,
  });
  n.apply({
    alertmanagers: [{ url: `https://127.0.0.1:${port}/api/v2/alerts`, timeout: 5_000, client }],
    externalLabels: {},
    relabel: [],
  });
  n.send([alert('A')]);
  await n.stop();
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.auth, `Basic ${Buffer.from('prom:s3cret').toString('base64')}`);
  assert.equal((seen[0]!.body as { labels: { alertname: string } }[])[0]!.labels.alertname, 'A');
  assert.deepEqual(n.stats, { sent: 1, dropped: 0, errors: 0 });
});

test('alerts sent while discovery has not found the Alertmanagers yet wait for it', async (t) => {
  const names: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      for (const a of JSON.parse(body) as { labels: { alertname: string } }[]) {
        names.push(a.labels.alertname);
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  const n = new Notifier(new Logger({ level: 'error', write: () => {} }), 100);
  n.apply({ alertmanagers: [], externalLabels: {}, relabel: [], discovering: true });
  n.send([alert('Early')]);
  assert.equal(n.queueLength, 1);
  n.apply({
    alertmanagers: [{ url: `http://127.0.0.1:${port}/api/v2/alerts`, timeout: 5_000 }],
    externalLabels: {},
    relabel: [],
  });
  await n.stop();
  assert.deepEqual(names, ['Early']);

  // Discovery that found none: what waited is let go, and later alerts are not queued.
  const none = new Notifier(new Logger({ level: 'error', write: () => {} }), 100);
  none.apply({ alertmanagers: [], externalLabels: {}, relabel: [], discovering: true });
  none.send([alert('Early')]);
  none.apply({ alertmanagers: [], externalLabels: {}, relabel: [] });
  assert.equal(none.queueLength, 0);
  none.send([alert('Late')]);
  assert.equal(none.queueLength, 0);
});
