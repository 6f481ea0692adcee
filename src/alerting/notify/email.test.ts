/**
 * Email notifications from a real Alertmanager to a real SMTP server (test/harness/smtp.ts):
 * STARTTLS against a self-signed certificate, AUTH, rendered headers and bodies, retries.
 */

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, startSmtpServer, type SmtpServer } from '../../../test/harness/smtp.js';
import { tempDir } from '../../../test/harness/temp.js';
import { ManualClock } from '../../lib/clock/clock.js';
import { Registry } from '../../lib/instrument/index.js';
import { Logger } from '../../lib/log/logger.js';
import { Alertmanager } from '../alertmanager.js';
import { loadAlertmanagerConfig } from '../config/load.js';
import { newAlert } from '../model/alert.js';
import { buildMessage, encodeHeader, quotedPrintable } from './mime.js';
import { parseAddressList } from './email.js';

const T0 = Date.parse('2024-03-04T10:00:00Z');

async function run(t: TestContext, smtp: SmtpServer, emailConfig: string, global = '') {
  const running: { am?: Alertmanager } = {};
  t.after(() => running.am?.stop()); // before the directory goes: hooks run in registration order
  const dir = tempDir(t);
  writeFileSync(join(dir, 'pw'), 's3cret\n');
  writeFileSync(
    join(dir, 'mail.tmpl'),
    '{{ define "mail.text" }}{{ range .Alerts }}{{ .Labels.instance }}: {{ .Annotations.summary }}\n.{{ end }}{{ end }}',
  );
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(
    file,
    `global:
  smtp_smarthost: ${smtp.address}
  smtp_from: 'Vigil <vigil@example.org>'
  smtp_auth_username: alice
  smtp_auth_password_file: ${join(dir, 'pw')}
${global}
route:
  receiver: mail
  group_by: [alertname]
  group_wait: 10s
templates: ['*.tmpl']
receivers:
  - name: mail
    email_configs:
${emailConfig}
`,
  );
  const clock = new ManualClock(T0);
  const registry = new Registry();
  const am = new Alertmanager({
    config: loadAlertmanagerConfig(file),
    storageDir: join(dir, 'state'),
    externalURL: () => 'http://am.example:9093',
    clock,
    registry,
    logger: new Logger({ level: 'error', write: () => {} }),
  });
  running.am = am;
  await am.start();
  am.store.put(
    ['a', 'b'].map((instance) =>
      newAlert({
        labels: { alertname: 'DiskFull', instance, severity: 'page' },
        annotations: { summary: `disk of ${instance} is at 99% <full>` },
        startsAt: clock.now(),
        endsAt: clock.now() + 15 * 60_000,
        updatedAt: clock.now(),
        timeout: true,
      }),
    ),
  );
  await clock.advance(10_000);
  const metric = (series: string) =>
    Number(
      registry
        .expose('text')
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.split(' ')[1],
    );
  return { clock, metric };
}

test('an email goes over STARTTLS with AUTH, its subject and bodies rendered', async (t) => {
  const smtp = await startSmtpServer(t, { auth: { username: 'alice', password: 's3cret' } });
  await run(
    t,
    smtp,
    `      - to: 'ops@example.org, "On, Call" <oncall@example.org>'
        tls_config: { ca_file: ${smtp.certFile} }
        text: '{{ template "mail.text" . }}'
        headers: { X-Team: 'storage {{ .CommonLabels.severity }}' }`,
  );
  const [msg] = await smtp.waitFor(1);
  assert.equal(msg!.tls, true, 'STARTTLS was used');
  assert.equal(msg!.user, 'alice');
  assert.equal(msg!.from, 'vigil@example.org');
  assert.deepEqual(msg!.to, ['ops@example.org', 'oncall@example.org']);
  const { headers, parts } = parseMessage(msg!.data);
  assert.equal(headers.subject, '[FIRING:2] DiskFull (page)');
  assert.equal(headers.to, 'ops@example.org, "On, Call" <oncall@example.org>');
  assert.equal(headers.from, 'Vigil <vigil@example.org>');
  assert.equal(headers['x-team'], 'storage page');
  assert.equal(headers['mime-version'], '1.0');
  assert.match(headers['content-type']!, /^multipart\/alternative;\s+boundary=/);
  assert.deepEqual(
    parts.map((p) => p.type),
    ['text/plain', 'text/html'],
  );
  // The text part has a line that is a lone '.', which the dot-stuffing carried through.
  assert.equal(
    parts[0]!.body,
    'a: disk of a is at 99% <full>\r\n.b: disk of b is at 99% <full>\r\n.',
  );
  assert.match(parts[1]!.body, /disk of a is at 99% &lt;full&gt;/);
  assert.match(parts[1]!.body, /href="http:\/\/am.example:9093\/#\/alerts\?receiver=mail"/);
  assert.ok(smtp.commands.includes('STARTTLS'));
  assert.ok(smtp.commands.some((c) => c.startsWith('AUTH PLAIN ')));
});

test('a temporary SMTP failure is retried and counted; require_tls refuses plain servers', async (t) => {
  const smtp = await startSmtpServer(t, { auth: { username: 'alice', password: 's3cret' } });
  smtp.failNext.push(451);
  const { clock, metric } = await run(
    t,
    smtp,
    `      - to: ops@example.org
        tls_config: { ca_file: ${smtp.certFile} }`,
  );
  // The first attempt was refused with 451; the retry comes after the backoff.
  for (let i = 0; i < 50 && smtp.messages.length === 0; i++) {
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
  }
  await smtp.waitFor(1);
  assert.equal(metric('alertmanager_notification_requests_failed_total{integration="email"}'), 1);
  assert.equal(metric('alertmanager_notification_requests_total{integration="email"}'), 2);
  assert.equal(metric('alertmanager_notifications_failed_total{integration="email"}'), 0);

  const plain = await startSmtpServer(t, { starttls: false });
  const { metric: m2 } = await run(t, plain, `      - to: ops@example.org`);
  for (
    let i = 0;
    i < 100 && !(m2('alertmanager_notification_requests_failed_total{integration="email"}') >= 1);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(m2('alertmanager_notification_requests_failed_total{integration="email"}') >= 1);
  assert.equal(plain.messages.length, 0);
  assert.ok(!plain.commands.some((c) => c.startsWith('MAIL')), 'nothing sent without TLS');

  const noTls = await startSmtpServer(t, {
    starttls: false,
    auth: { username: 'alice', password: 's3cret' },
  });
  await run(
    t,
    noTls,
    `      - to: ops@example.org\n        require_tls: false`,
    '  smtp_hello: vigil.test',
  );
  const [msg] = await noTls.waitFor(1);
  assert.equal(msg!.tls, false);
  assert.equal(msg!.user, 'alice');
  assert.ok(noTls.commands.includes('EHLO vigil.test'));
});

test('AUTH LOGIN and CRAM-MD5, in the order the server offers them', async (t) => {
  const auth = { username: 'alice', password: 's3cret' };
  const login = await startSmtpServer(t, { auth, mechanisms: ['LOGIN', 'PLAIN'] });
  await run(
    t,
    login,
    `      - to: ops@example.org\n        tls_config: { ca_file: ${login.certFile} }`,
  );
  const [viaLogin] = await login.waitFor(1);
  assert.equal(viaLogin!.user, 'alice');
  assert.ok(login.commands.includes('AUTH LOGIN'));

  const cram = await startSmtpServer(t, { auth, mechanisms: ['CRAM-MD5', 'PLAIN'] });
  await run(
    t,
    cram,
    `      - to: ops@example.org\n        auth_secret: s3cret\n        tls_config: { ca_file: ${cram.certFile} }`,
  );
  const [viaCram] = await cram.waitFor(1);
  assert.equal(viaCram!.user, 'alice');
  assert.ok(cram.commands.includes('AUTH CRAM-MD5'));
});

test('MIME encodings and address lists', () => {
  assert.equal(quotedPrintable('café = 1 \nx'), 'caf=C3=A9 =3D 1=20\r\nx');
  const long = quotedPrintable('x'.repeat(200));
  assert.ok(long.split('\r\n').every((l) => l.length <= 76));
  assert.equal(long.replace(/=\r\n/g, ''), 'x'.repeat(200));
  assert.equal(encodeHeader('plain'), 'plain');
  assert.equal(encodeHeader('Störung 1'), '=?utf-8?q?St=C3=B6rung_1?=');
  assert.deepEqual(parseAddressList('a@x, "B, C" <b@y>'), ['a@x', 'b@y']);
  assert.throws(() => parseAddressList('nobody'), /invalid address/);
  const m = buildMessage({ headers: [['Subject', 's']], text: 't', html: '' }, 'h', T0);
  assert.match(
    m,
    /^Subject: s\r\nMessage-Id: <\d+\.\d+@h>\r\nDate: Mon, 04 Mar 2024 10:00:00 \+0000\r\n/,
  );
  assert.ok(!m.includes('text/html'));
});
