import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { agentConfigSchema } from './agent.js';
import { ConfigError } from './errors.js';
import { parseWithSchema } from './parse.js';

const parse = (text: string) => parseWithSchema(text, 'agent.yml', agentConfigSchema);
const OUTPUT = 'outputs:\n  - { name: v, type: vigil, url: "http://a:1" }\n';

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message.split('\n');
  }
  assert.fail('the configuration was accepted');
}

test('parsers and the inputs naming them: defaults, and problems at their file, line and key', () => {
  const ok = parse(
    [
      'parsers:',
      '  - name: access',
      '    type: regex',
      "    pattern: '^(?<client>\\S+) (?<time>\\S+)'",
      '    time_field: time',
      "    time_format: '%d/%b/%Y:%H:%M:%S'",
      '  - { name: app, type: logfmt }',
      'inputs:',
      '  - { name: pods, include: [/x/*.log], message_parsers: [access, app, logfmt] }',
      OUTPUT,
    ].join('\n'),
  );
  assert.deepEqual(ok.parsers[1], {
    name: 'app',
    type: 'logfmt',
    time_field: '',
    time_format: 'rfc3339',
    message_field: 'msg',
  });
  assert.equal(ok.parsers[0]!.type === 'regex' && ok.parsers[0].message_field, 'message');
  assert.deepEqual(
    problems(
      [
        'parsers:',
        "  - { name: a, type: regex, pattern: '(unclosed' }",
        "  - { name: b, type: regex, pattern: '\\d+' }",
        "  - { name: c, type: logfmt, time_format: '%Y-%m-%d %Q' }",
        '  - { name: d, type: grok }',
        OUTPUT,
      ].join('\n'),
    ),
    [
      'agent.yml:2:29: parsers[0].pattern: Invalid regular expression: /(unclosed/: Unterminated group',
      'agent.yml:3:29: parsers[1].pattern: must have at least one named group, (?<name>…)',
      'agent.yml:4:30: parsers[2].time_format: cannot use time format "%Y-%m-%d %Q": unknown directive "%Q"; known: rfc3339, unix, unix_ms, unix_us, unix_ns, or %Y %m %d %e %H %M %S %f %z %b %T %%',
      'agent.yml:5:16: parsers[3].type: must be "logfmt" or "regex"',
    ],
  );
  // Names are checked once every entry is valid on its own.
  assert.deepEqual(
    problems(
      [
        'parsers:',
        '  - { name: app, type: logfmt }',
        'inputs:',
        '  - name: pods',
        '    include: [/x/*.log]',
        '    message_parsers: [app, nope]',
        OUTPUT,
      ].join('\n'),
    ),
    ['agent.yml:6:28: inputs[0].message_parsers[1]: no parser "nope"; known: logfmt, app'],
  );
  assert.deepEqual(
    problems(`inputs:\n  - { name: j, type: journald, message_parsers: [logfmt, app] }\n${OUTPUT}`),
    ['agent.yml:2:58: inputs[0].message_parsers[1]: no parser "app"; known: logfmt'],
  );
});

test('filters: the examples in docs/agent.md are valid, and problems name file, line and key', () => {
  const doc = readFileSync(new URL('../../docs/agent.md', import.meta.url), 'utf8');
  const section = /## Parsers and filters\n([\s\S]*?)\n## /.exec(doc)![1]!;
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 2);
  const config = parse(`${blocks[0]}\n${blocks[1]}\n${OUTPUT}`);
  assert.deepEqual(
    config.filters.map((f) => `${f.name}:${f.type}`),
    [
      'prod-only:include',
      'no-debug:exclude',
      'health-checks:drop',
      'cluster:add',
      'level:rename',
      'secrets:remove',
    ],
  );
  assert.deepEqual(
    problems(
      [
        'filters:',
        '  - { name: a, type: include, field: level }',
        "  - { name: b, type: exclude, field: level, regex: '(' }",
        "  - { name: c, type: drop, query: 'level:(a' }",
        '  - { name: d, type: add, fields: {} }',
        '  - { name: e, type: keep }',
        OUTPUT,
      ].join('\n'),
    ),
    [
      'agent.yml:2:5: filters[0]: needs exactly one of regex and glob',
      'agent.yml:3:45: filters[1].regex: Invalid regular expression: /(/: Unterminated group',
      'agent.yml:4:28: filters[2].query: invalid KQL at column 9: Expected ")", AND, OR but end of input found.',
      'agent.yml:5:27: filters[3].fields: must name at least one field',
      'agent.yml:6:16: filters[4].type: must be "include", "exclude", "add", "rename", "remove" or "drop"',
    ],
  );
  assert.deepEqual(
    problems(
      `filters:\n  - { name: a, type: remove, fields: [x] }\n  - { name: a, type: remove, fields: [y] }\n${OUTPUT}`,
    ),
    ['agent.yml:3:7: filters[1].name: duplicate filter name "a"'],
  );
  assert.deepEqual(
    problems(
      `filters:\n  - { name: a, type: remove, fields: [x], inputs: [containers, nope] }\n${OUTPUT}`,
    ),
    ['agent.yml:2:64: filters[0].inputs[1]: no input "nope"; known: containers'],
  );
});

test('loki and file outputs: the examples in docs/agent.md are valid, with defaults; problems are placed', () => {
  const doc = readFileSync(new URL('../../docs/agent.md', import.meta.url), 'utf8');
  const blocks = [
    ...doc.matchAll(/```yaml\n(outputs:\n {2}- name: (?:loki|debug)\n[\s\S]*?)\n```/g),
  ];
  assert.equal(blocks.length, 2);
  const loki = parse(blocks[0]![1]!).outputs[0]!;
  assert.ok(loki.type === 'loki');
  assert.deepEqual(loki.static_labels, { cluster: 'eu-1' });
  assert.equal(loki.tenant_id, '');
  const dflt = parse('outputs:\n  - { name: l, type: loki, url: "http://l:3100" }\n').outputs[0]!;
  assert.ok(dflt.type === 'loki');
  assert.deepEqual(dflt.labels, loki.labels);
  const file = parse(blocks[1]![1]!).outputs[0]!;
  assert.ok(file.type === 'file');
  assert.deepEqual(file.retry, { min_backoff: 100, max_backoff: 30_000 });
  assert.deepEqual(
    problems(
      [
        'outputs:',
        '  - { name: l, type: loki, url: "http://l:3100", labels: { k8s.ns: a } }',
        '  - { name: f, type: file, path: /tmp/x, url: "http://a:1" }',
        '  - { name: g, type: kafka }',
      ].join('\n'),
    ),
    [
      'agent.yml:2:60: outputs[0].labels.k8s.ns: invalid label name "k8s.ns": want letters, digits and _, not starting with a digit',
      'agent.yml:3:42: outputs[1].url: unknown key "url"',
      'agent.yml:4:16: outputs[2].type: must be "vigil", "elasticsearch", "loki", "file" or "stdout"',
    ],
  );
});
