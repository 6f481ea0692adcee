import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../test/harness/temp.js';
import type { NotificationData } from '../notify/data.js';
import { templateData } from './data.js';
import { NotificationTemplates, TemplateLoadError } from './template.js';
import { GoDuration, GoTime } from './time.js';

const T0 = Date.parse('2026-03-04T05:06:07.25Z');

const DATA: NotificationData = {
  receiver: 'team\\-x',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', job: 'api', severity: 'page', instance: 'a:1' },
      annotations: { summary: 'p99 <b>high</b>' },
      startsAt: '2026-03-04T05:06:07.25Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://vigil:9700/graph?g0.expr=x',
      fingerprint: 'aa',
    },
    {
      status: 'resolved',
      labels: { alertname: 'HighLatency', job: 'api', severity: 'page', instance: 'b:1' },
      annotations: {},
      startsAt: '2026-03-04T05:00:00Z',
      endsAt: '2026-03-04T05:05:00Z',
      generatorURL: '',
      fingerprint: 'bb',
    },
  ],
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', job: 'api', severity: 'page' },
  commonAnnotations: {},
  externalURL: 'http://am:9093',
};

const templates = NotificationTemplates.load([], '/', () => T0 + 90_500);
const dot = templateData(DATA);

async function f(src: string, want: string, html = false) {
  const got = html ? await templates.html(src, dot) : await templates.text(src, dot);
  assert.equal(got, want, src);
}

test('data: fields, KV methods and the alert lists', async () => {
  await f('{{ .Receiver }} {{ .Status }} {{ .ExternalURL }}', 'team\\-x firing http://am:9093');
  await f('{{ len .Alerts }} {{ len .Alerts.Firing }} {{ len .Alerts.Resolved }}', '2 1 1');
  await f(
    '{{ range .Alerts.Firing }}{{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}{{ end }}',
    'alertname=HighLatency;instance=a:1;job=api;severity=page;',
  );
  await f(
    '{{ .CommonLabels.Names }} {{ .CommonLabels.Values }}',
    '[alertname job severity] [HighLatency api page]',
  );
  await f('{{ (.CommonLabels.Remove .GroupLabels.Names).Names }}', '[job severity]');
  await f('{{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .job }}{{ end }}', 'api');
  await f('{{ .CommonLabels.job }}|{{ .CommonLabels.nope }}', 'api|<no value>');
  await f('{{ range .Alerts }}{{ .Fingerprint }}{{ .Status }} {{ end }}', 'aafiring bbresolved ');
});

test('default subject and Slack titles read as Alertmanager’s', async () => {
  await f('{{ template "email.default.subject" . }}', '[FIRING:1] HighLatency (api page)');
  await f('{{ template "slack.default.title" . }}', '[FIRING:1] HighLatency (api page)');
  await f(
    '{{ template "slack.default.titlelink" . }}',
    'http://am:9093/#/alerts?receiver=team%5C-x',
  );
  const html = await templates.html('{{ template "email.default.html" . }}', dot);
  assert.match(html, /p99 &lt;b&gt;high&lt;\/b&gt;/);
  assert.match(html, /\[1\] Firing/);
  assert.match(html, /\[1\] Resolved/);
  const text = await templates.text('{{ template "email.default.text" . }}', dot);
  assert.match(text, / - instance = a:1\n/);
});

test('functions', async () => {
  await f(
    '{{ "a b" | toUpper }} {{ title "hello world" }} {{ trimSpace "  x " }}',
    'A B Hello World x',
  );
  await f('{{ join ", " (stringSlice "a" "b") }}', 'a, b');
  await f('{{ match "^High" .CommonLabels.alertname }}', 'true');
  await f('{{ reReplaceAll "(a+)" "<$1>" "baac" }}', 'b<aa>c');
  await f('{{ urlUnescape "a%20b+c" }}', 'a b c');
  await f('{{ range .Alerts.Firing }}{{ .StartsAt }}{{ end }}', '2026-03-04 05:06:07.25 +0000 UTC');
  await f(
    '{{ range .Alerts.Firing }}{{ date "2006-01-02T15:04:05.000Z07:00 Mon Jan _2 3PM" .StartsAt }}{{ end }}',
    '2026-03-04T05:06:07.250Z Wed Mar  4 5AM',
  );
  await f(
    '{{ range .Alerts.Firing }}{{ (tz "Europe/Paris" .StartsAt).Format "15:04 -07:00" }}{{ end }}',
    '06:06 +01:00',
  );
  await f(
    '{{ range .Alerts.Firing }}{{ since .StartsAt }} {{ humanizeDuration (since .StartsAt) }}{{ end }}',
    '1m30.5s 1m 30s',
  );
  await f(
    '{{ range .Alerts.Firing }}{{ .EndsAt.IsZero }} {{ .StartsAt.Unix }}{{ end }}',
    'true 1772600767',
  );
  await f('{{ toJson .GroupLabels }}', '{"alertname":"HighLatency"}');
  await f('{{ "<i>" }}{{ "<i>" | safeHtml }}<p>', '&lt;i&gt;<i><p>', true);
});

test('Go time values', () => {
  assert.equal(new GoDuration(3_723_500).String(), '1h2m3.5s');
  assert.equal(new GoDuration(150).String(), '150ms');
  assert.equal(new GoTime(0).Format('Jan 2, 2006 at 3:04pm (MST)'), 'Jan 1, 1970 at 12:00am (UTC)');
});

test('templates: files override defaults; errors name file and line', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'a.tmpl'),
    '{{ define "email.default.subject" }}custom {{ .Status }}{{ end }}\n{{ define "mine" }}[{{ . }}]{{ end }}',
  );
  const custom = NotificationTemplates.load(['*.tmpl'], dir, () => T0);
  assert.deepEqual(custom.files, [join(dir, 'a.tmpl')]);
  assert.equal(await custom.text('{{ template "email.default.subject" . }}', dot), 'custom firing');
  assert.equal(await custom.text('{{ template "mine" "x" }}', dot), '[x]');
  writeFileSync(join(dir, 'b.tmpl'), '{{ define "x" }}\n{{ nosuch . }}{{ end }}');
  assert.throws(
    () => NotificationTemplates.load(['*.tmpl'], dir, () => T0),
    (e: unknown) =>
      e instanceof TemplateLoadError && e.file === join(dir, 'b.tmpl') && e.line === 2,
  );
  await assert.rejects(custom.text('{{ template "nope" . }}', dot), /no such template "nope"/);
});
