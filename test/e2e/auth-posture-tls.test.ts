/**
 * The default posture and TLS on real processes: an unauthenticated non-loopback listener
 * refuses to start (and `--insecure` overrides), the first admin's generated password is printed
 * once, and HTTPS serves a certificate from files and picks up a replaced one without a restart.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect, type PeerCertificate } from 'node:tls';
import { startAgent } from '../harness/agent.js';
import { runVigil, startVigil, tempDir } from '../harness/vigil.js';

/** A self-signed certificate for 127.0.0.1 with common name `cn`, made by Debian's openssl. */
function makeCert(dir: string, cn: string): { cert: string; key: string } {
  const cert = join(dir, `${cn}.crt`);
  const key = join(dir, `${cn}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function peerCert(port: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate());
      s.end();
    });
    s.on('error', reject);
  });
}

function httpsCall(
  port: number,
  ca: Buffer,
  method: string,
  path: string,
  body?: string,
  authorization?: string,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(authorization ? { authorization } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('a non-loopback listen address without auth refuses to start and says how to fix it', async (t) => {
  const r = await runVigil(['server', '--listen', '0.0.0.0:0', '--data-dir', tempDir(t)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0:0 without authentication/);
  assert.match(r.stderr, /auth: \{enabled: true\}/);
  assert.match(r.stderr, /--insecure/);
  assert.match(r.stderr, /--listen 127\.0\.0\.1/);
});

test('the standalone Pushgateway and Alertmanager, which have no login, refuse a non-loopback address too', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  for (const [command, args] of [
    ['pushgateway', ['--listen', '0.0.0.0:0', '--data-dir', dir]],
    [
      'alertmanager',
      ['--config', config, '--web.listen-address', '0.0.0.0:0', '--storage.path', dir],
    ],
  ] as const) {
    const r = await runVigil([command, ...args]);
    assert.equal(r.code, 1, command);
    assert.match(
      r.stderr,
      new RegExp(`refusing to listen on 0\\.0\\.0\\.0:0: vigil ${command} has no`),
    );
    assert.match(r.stderr, /--insecure/);
  }
});

test('--insecure overrides; loopback and auth-on need no override', async (t) => {
  const insecure = await startVigil(t, {
    args: ['--listen', '0.0.0.0:0', '--insecure'],
    waitReady: false,
  });
  await insecure.waitForLog((l) => l.msg.includes('without authentication'));
  assert.equal((await insecure.stop()).code, 0);
  const authed = await startVigil(t, {
    config: 'server:\n  auth:\n    enabled: true\n',
    args: ['--listen', '0.0.0.0:0'],
    env: { VIGIL_ADMIN_PASSWORD: 'from the environment' },
    waitReady: false,
  });
  await authed.waitForLog((l) => l.msg === 'Vigil is ready');
  assert.equal((await authed.stop()).code, 0);
});

test('the first admin gets a generated password printed once; the password file wins over it', async (t) => {
  const dataDir = tempDir(t);
  const config = 'server:\n  auth:\n    enabled: true\n';
  const first = await startVigil(t, { config, dataDir, env: { VIGIL_ADMIN_PASSWORD: '' } });
  const line = await first.waitForLog((l) => l.msg.includes('with the password:'));
  const password = /with the password:\s+(\S+)/.exec(line.msg)![1]!;
  const ok = await fetch(`${first.url}/api/v1/auth/whoami`, {
    headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
  });
  assert.equal(ok.status, 200);
  assert.equal((await first.stop()).code, 0);
  const again = await startVigil(t, { config, dataDir });
  assert.ok(!again.logs.some((l) => l.msg.includes('with the password:')));
  assert.equal((await again.stop()).code, 0);
  const users = await runVigil(['user', 'list', '--data-dir', dataDir]);
  assert.match(users.stdout, /^admin\s+admin\s/m);

  const fileDir = tempDir(t);
  const file = join(tempDir(t), 'pw');
  execFileSync('sh', ['-c', `printf 'from a file\\n' > ${file}`]);
  const fromFile = await startVigil(t, {
    config,
    dataDir: fileDir,
    args: ['--admin-password-file', file],
    env: { VIGIL_ADMIN_PASSWORD: 'not this one' },
  });
  const who = await fetch(`${fromFile.url}/api/v1/auth/whoami`, {
    headers: { authorization: `Basic ${Buffer.from('admin:from a file').toString('base64')}` },
  });
  assert.equal(who.status, 200);
  assert.equal((await fromFile.stop()).code, 0);
});

test('TLS from files, reloaded when they are replaced', async (t) => {
  const dir = tempDir(t);
  const a = makeCert(dir, 'first');
  const live = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
  renameSync(a.cert, live.cert);
  renameSync(a.key, live.key);
  const vigil = await startVigil(t, {
    config: [
      'server:',
      '  auth:',
      '    enabled: true',
      '  tls:',
      `    cert_file: ${live.cert}`,
      `    key_file: ${live.key}`,
      '    reload_interval: 200ms',
      '',
    ].join('\n'),
    env: { VIGIL_ADMIN_PASSWORD: 'tls admin password' },
    waitReady: false,
  });
  await vigil.waitForLog((l) => l.msg === 'Vigil is ready');
  const caA = readFileSync(live.cert);
  assert.equal((await peerCert(vigil.port)).subject.CN, 'first');
  const healthy = await httpsCall(vigil.port, caA, 'GET', '/-/healthy');
  assert.equal(healthy.status, 200);
  assert.match(String(healthy.headers['strict-transport-security']), /max-age=/);
  // Plain HTTP on the TLS port gets nothing useful.
  const plain = await fetch(`http://127.0.0.1:${vigil.port}/-/healthy`).catch(() => null);
  assert.ok(plain === null || plain.status === 400);
  const login = await httpsCall(
    vigil.port,
    caA,
    'POST',
    '/api/v1/auth/login',
    JSON.stringify({ username: 'admin', password: 'tls admin password' }),
  );
  assert.equal(login.status, 200);
  const cookies = login.headers['set-cookie'] as string[];
  assert.ok(
    cookies.every((c) => /; Secure/.test(c)),
    cookies.join(' | '),
  );

  // Replace the pair: key first, then the certificate, as a careless script might; the
  // mismatched moment in between must not take the server down.
  const b = makeCert(dir, 'second');
  renameSync(b.key, live.key);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await httpsCall(vigil.port, caA, 'GET', '/-/healthy')).status, 200);
  renameSync(b.cert, live.cert);
  const caB = readFileSync(live.cert);
  const deadline = Date.now() + 10_000;
  let cn = '';
  while (Date.now() < deadline) {
    cn = String((await peerCert(vigil.port)).subject.CN);
    if (cn === 'second') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(cn, 'second');
  assert.equal((await httpsCall(vigil.port, caB, 'GET', '/-/healthy')).status, 200);
  await vigil.waitForLog((l) => l.msg === 'TLS certificate reloaded');
  assert.equal((await vigil.stop()).code, 0);
});

test('the agent ships over TLS with a logs:write token and checks the certificate against its CA file', async (t) => {
  const dir = tempDir(t);
  const pair = makeCert(dir, 'vigil-server');
  const vigil = await startVigil(t, {
    config: [
      'server:',
      '  auth:',
      '    enabled: true',
      '  tls:',
      `    cert_file: ${pair.cert}`,
      `    key_file: ${pair.key}`,
      '',
    ].join('\n'),
    env: { VIGIL_ADMIN_PASSWORD: 'agent test admin' },
    waitReady: false,
  });
  await vigil.waitForLog((l) => l.msg === 'Vigil is ready');
  const created = await runVigil([
    'token',
    'create',
    '--name',
    'agent',
    '--scopes',
    'logs:write',
    '--data-dir',
    vigil.dataDir,
  ]);
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, created.stdout);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  writeFileSync(join(logDir, 'app.log'), 'first line over tls\nsecond line over tls\n');
  const agentConfig = (name: string, ca: string) => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(
      file,
      [
        `node_name: ${name}`,
        `data_dir: ${join(dir, `${name}-state`)}`,
        'inputs:',
        `  - { name: files, include: ['${logDir}/*.log'], read_from: head, format: raw }`,
        'outputs:',
        '  - name: vigil',
        '    type: vigil',
        `    url: https://127.0.0.1:${vigil.port}`,
        `    index: logs-${name}`,
        `    authorization: { credentials_file: ${tokenFile} }`,
        `    tls_config: { ca_file: ${ca} }`,
        '',
      ].join('\n'),
    );
    return file;
  };
  // An agent that trusts another CA refuses the server and sends nothing.
  const other = makeCert(dir, 'someone-else');
  const wrong = startAgent(t, ['--config', agentConfig('wrongca', other.cert)]);
  await wrong.url;
  const good = startAgent(t, ['--config', agentConfig('goodca', pair.cert)]);
  await good.url;

  const ca = readFileSync(pair.cert);
  const admin = `Basic ${Buffer.from('admin:agent test admin').toString('base64')}`;
  const count = async (index: string) => {
    const res = await httpsCall(
      vigil.port,
      ca,
      'GET',
      `/api/v1/logs/search?index=${index}`,
      undefined,
      admin,
    );
    if (res.status !== 200) return -1;
    return (JSON.parse(res.text) as { data: { hits: unknown[] } }).data.hits.length;
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (await count('logs-goodca')) < 2) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await count('logs-goodca'), 2);
  assert.ok((await count('logs-wrongca')) <= 0);
  assert.ok(
    wrong.logs.some((l) => /certificate|self.signed|verify/i.test(JSON.stringify(l))),
    'the agent with the wrong CA does not say why it cannot send',
  );
  await good.kill('SIGTERM');
  await wrong.kill('SIGTERM');
  assert.equal((await vigil.stop()).code, 0);
});

test('login limits count per client behind trusted proxies and ignore X-Forwarded-For from others', async (t) => {
  const config = (proxies: string) =>
    [
      'server:',
      `  trusted_proxies: ${proxies}`,
      '  auth:',
      '    enabled: true',
      '    login_max_failures: 2',
      '    login_base_delay: 10s',
      '',
    ].join('\n');
  const attempt = (url: string, user: string, forwardedFor: string) =>
    fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username: user, password: 'wrong password' }),
    }).then((r) => r.status);

  const behindProxy = await startVigil(t, {
    config: config('[127.0.0.1]'),
    env: { VIGIL_ADMIN_PASSWORD: 'proxy test admin' },
  });
  // One client guesses several names: it is slowed down, another client is not.
  const guesser = [];
  for (const user of ['a', 'b', 'c'])
    guesser.push(await attempt(behindProxy.url, user, '203.0.113.5'));
  assert.deepEqual(guesser, [401, 401, 429]);
  assert.equal(await attempt(behindProxy.url, 'd', '198.51.100.7'), 401);
  const audit = readFileSync(join(behindProxy.dataDir, 'auth', 'audit.log'), 'utf8');
  assert.match(audit, /"address":"203\.0\.113\.5"/);
  assert.equal((await behindProxy.stop()).code, 0);

  // Without trusted proxies a forged header changes nothing: all come from 127.0.0.1.
  const direct = await startVigil(t, {
    config: config('[]'),
    env: { VIGIL_ADMIN_PASSWORD: 'proxy test admin' },
  });
  const forged = [];
  for (const [i, user] of ['a', 'b', 'c'].entries()) {
    forged.push(await attempt(direct.url, user, `192.0.2.${i}`));
  }
  assert.deepEqual(forged, [401, 401, 429]);
  assert.equal((await direct.stop()).code, 0);
});
