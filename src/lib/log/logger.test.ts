import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Logger } from './logger.js';
import { formatLogfmtLine } from './format.js';

function capture(format: 'logfmt' | 'json', level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const log = new Logger({ format, level, write: (l) => lines.push(l) });
  return { log, lines };
}

test('logfmt quotes values that need it', () => {
  const f = (record: Record<string, unknown>, expected: string) =>
    assert.equal(formatLogfmtLine(record), expected + '\n');
  f({ msg: 'plain' }, 'msg=plain');
  f({ msg: 'two words' }, 'msg="two words"');
  f({ msg: 'say "hi"' }, 'msg="say \\"hi\\""');
  f({ k: 'a=b' }, 'k="a=b"');
  f({ k: '' }, 'k=""');
  f({ k: 'line\nbreak' }, 'k="line\\nbreak"');
  f({ n: 42, ok: true }, 'n=42 ok=true');
});

test('errors print with their cause chain', () => {
  const { log, lines } = capture('logfmt');
  const err = new Error('cannot open config', { cause: new Error('ENOENT: no such file') });
  log.error('reload failed', { err });
  assert.match(lines[0]!, /err="cannot open config: ENOENT: no such file"$/m);
});

test('children share the level and add their fields', () => {
  const { log, lines } = capture('json');
  const child = log.child({ component: 'http' });
  child.debug('hidden');
  log.setLevel('debug');
  child.debug('shown', { path: '/metrics' });
  assert.equal(lines.length, 1);
  const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(rec.level, 'debug');
  assert.equal(rec.component, 'http');
  assert.equal(rec.msg, 'shown');
  assert.equal(rec.path, '/metrics');
  assert.equal(typeof rec.ts, 'string');
});
