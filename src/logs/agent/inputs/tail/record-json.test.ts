import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubernetesPathFilter } from '../../filters/kubernetes-path.js';
import { jsonMessageParser, MessageLifter } from '../../parsers/message.js';
import { fileJson, recordJson } from './record-json.js';

test('recordJson builds the document with the file-wide fields serialized once', () => {
  const path = '/var/log/pods/ns_p_u/c/0.log';
  const shared = fileJson(path, 'node-a', [new KubernetesPathFilter('node-a')]);
  const line = {
    offset: 42,
    time: '2024-05-06T07:08:09.123456789Z',
    stream: 'stderr',
    message: '{"level":"error","message":"boom \\"x\\""}',
  };
  const text = recordJson(line, shared, new MessageLifter([jsonMessageParser]), '"now"');
  assert.deepEqual(JSON.parse(text), {
    '@timestamp': '2024-05-06T07:08:09.123456789Z',
    message: 'boom "x"',
    stream: 'stderr',
    level: 'error',
    log: { file: { path }, offset: 42 },
    host: { name: 'node-a' },
    kubernetes: {
      namespace: 'ns',
      pod: { name: 'p', uid: 'u' },
      container: { name: 'c' },
      node: { name: 'node-a' },
    },
  });
  const plain = recordJson(
    { offset: 0, time: undefined, stream: undefined, message: 'a\tb' },
    fileJson('/x.log', 'n', []),
    null,
    '"2024-01-01T00:00:00Z"',
  );
  assert.deepEqual(JSON.parse(plain), {
    '@timestamp': '2024-01-01T00:00:00Z',
    message: 'a\tb',
    log: { file: { path: '/x.log' }, offset: 0 },
    host: { name: 'n' },
  });
});
