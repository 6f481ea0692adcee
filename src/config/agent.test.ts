import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { agentConfigSchema } from './agent.js';
import { ConfigError } from './errors.js';
import { parseWithSchema } from './parse.js';

const DOC = new URL('../../docs/agent.md', import.meta.url);
const parse = (text: string) => parseWithSchema(text, 'agent.yml', agentConfigSchema);

test('the reference in docs/agent.md states the defaults', () => {
  const text = readFileSync(DOC, 'utf8');
  const block = /defaults \(only[^]*?```yaml\n([\s\S]*?)\n```/.exec(text);
  assert.ok(block, 'no yaml reference block in docs/agent.md');
  const documented = parse(block[1]!);
  const minimal = parse(
    'outputs:\n  - { name: vigil, type: vigil, url: http://vigil.example:9700 }\n',
  );
  assert.deepEqual(documented, minimal);
});

test('the journald input in docs/agent.md states its defaults', () => {
  const text = readFileSync(DOC, 'utf8');
  const block = /## Journald[^]*?```yaml\n([\s\S]*?)\n```/.exec(text);
  assert.ok(block, 'no yaml block under "## Journald"');
  const output = 'outputs:\n  - { name: vigil, type: vigil, url: http://vigil.example:9700 }\n';
  const documented = parse(`${block[1]!}\n${output}`);
  const minimal = parse(`inputs:\n  - { name: journal, type: journald }\n${output}`);
  assert.deepEqual(documented, minimal);
  assert.equal(documented.inputs[0]!.type, 'journald');
});

test('problems are reported with file, line, column and key', () => {
  const text = [
    'inputs:',
    '  - name: pods',
    '    includ: [/var/log/pods/*/*/*.log]',
    'outputs:',
    '  - name: vigil',
    '    type: vigil',
    '    url: vigil:9700',
    '    buffer: { max_size: 5x }',
    '  - { name: vigil, type: vigil, url: "http://a:1" }',
    '',
  ].join('\n');
  assert.throws(
    () => parse(text),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.message.split('\n'), [
        'agent.yml:2:5: inputs[0].include: expected a list, got nothing',
        'agent.yml:3:5: inputs[0].includ: unknown key "includ" (did you mean "include"?)',
        'agent.yml:7:5: outputs[0].url: invalid URL "vigil:9700": want http:// or https:// with a host',
        'agent.yml:8:15: outputs[0].buffer.max_size: invalid size "5x"',
      ]);
      return true;
    },
  );
  assert.throws(() => parse('log: {}\n'), /agent\.yml:1:1: outputs: expected a list, got nothing/);
  assert.throws(
    () =>
      parse(
        'outputs:\n  - { name: v, type: vigil, url: "http://a:1" }\n  - { name: v, type: vigil, url: "http://b:1" }\n',
      ),
    /agent\.yml:3:7: outputs\[1\]\.name: duplicate output name "v"/,
  );
});

test('the kubernetes section: HTTP settings only with api_server, durations and patterns', () => {
  const output = 'outputs:\n  - { name: vigil, type: vigil, url: http://vigil.example:9700 }\n';
  const k = parse(
    `kubernetes:\n  api_server: https://k8s.example:6443\n  bearer_token_file: /t\n  tls_config: { ca_file: /ca.crt }\n  wait_for_metadata: 0s\n  annotations: ['team.io/*']\n${output}`,
  ).kubernetes;
  assert.equal(k.api_server, 'https://k8s.example:6443');
  assert.equal(k.wait_for_metadata, 0);
  assert.equal(k.deleted_pod_grace, 300_000);
  assert.deepEqual(k.annotations, ['team.io/*']);
  assert.throws(
    () => parse(`kubernetes:\n  bearer_token_file: /t\n${output}`),
    /agent\.yml:1:1: kubernetes: HTTP client settings need api_server/,
  );
  assert.throws(() => parse(`kubernetes:\n  max_pods: 0\n${output}`), /kubernetes\.max_pods/);
});
