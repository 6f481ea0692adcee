import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentConfigSchema } from '../config/agent.js';
import { parseWithSchema } from '../config/parse.js';
import { inputKey } from './agent-stages.js';

const config = (top: string) =>
  parseWithSchema(
    `${top}
inputs:
  - { name: pods, include: ["/p/*.log"], kubernetes: true }
  - { name: apps, include: ["/a/*.log"], message_parsers: [logfmt], kubernetes: false }
outputs:
  - { name: v, type: vigil, url: "http://a:1" }
`,
    'agent.yml',
    agentConfigSchema,
  );

test('inputKey: the kubernetes section and every parser restart Kubernetes inputs only', () => {
  const f = (top: string, input: string) => inputKey(config(top), input, 'node-a');
  const base = '';
  const section = 'kubernetes: { dedot: true }';
  const parser = 'parsers: [{ name: kv, type: logfmt }]';
  assert.notEqual(f(section, 'pods'), f(base, 'pods'), 'kubernetes: changed');
  assert.equal(f(section, 'apps'), f(base, 'apps'));
  assert.notEqual(f(parser, 'pods'), f(base, 'pods'), 'a parser an annotation may name');
  assert.equal(f(parser, 'apps'), f(base, 'apps'), 'a parser the input does not list');
});
