import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricFamily } from './family.js';
import { TEXT_CONTENT_TYPE, writeText } from './text-format.js';

const tricky: MetricFamily = {
  name: 'vigil_paths',
  help: 'Paths like C:\\tmp.\nSecond line with "quotes".',
  type: 'gauge',
  samples: [{ suffix: '', labels: [['path', 'C:\\tmp\n"x"']], value: 1 }],
};

test('text format escapes help and label values as 0.0.4 specifies', () => {
  assert.equal(
    writeText([tricky]),
    '# HELP vigil_paths Paths like C:\\\\tmp.\\nSecond line with "quotes".\n' +
      '# TYPE vigil_paths gauge\n' +
      'vigil_paths{path="C:\\\\tmp\\n\\"x\\""} 1\n',
  );
});

test('text format omits empty help and keeps family order', () => {
  const family = (name: string): MetricFamily => ({ ...tricky, name, help: '', samples: [] });
  assert.equal(
    writeText([family('vigil_b'), family('vigil_a')]),
    '# TYPE vigil_b gauge\n# TYPE vigil_a gauge\n',
  );
});

test('text content type', () => {
  assert.equal(TEXT_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
});
