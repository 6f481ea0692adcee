import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/harness/temp.js';
import { defaultLocalAgentConfig } from './server-agent.js';

test('the default inputs: journald, and the container log tree that exists', (t) => {
  const dir = tempDir(t, 'vigil-local-agent-');
  const paths = { pods: join(dir, 'pods'), containers: join(dir, 'containers') };
  const inputs = () =>
    defaultLocalAgentConfig(paths).inputs.map((i) =>
      i.type === 'tail' ? [i.name, i.include, i.kubernetes] : [i.name, i.type],
    );
  assert.deepEqual(inputs(), [['journald', 'journald']]);
  mkdirSync(paths.containers);
  assert.deepEqual(inputs(), [
    ['journald', 'journald'],
    ['containers', [`${paths.containers}/*.log`], true],
  ]);
  // Both: the pods tree only, whose files the other's links point at.
  mkdirSync(paths.pods);
  assert.deepEqual(inputs(), [
    ['journald', 'journald'],
    ['containers', [`${paths.pods}/*/*/*.log`], true],
  ]);
  assert.deepEqual(defaultLocalAgentConfig(paths).outputs, []);
});
