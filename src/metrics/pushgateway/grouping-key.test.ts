import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupingKeyError } from './errors.js';
import { decodeBase64Url, parseGroupingPath } from './grouping-key.js';

test('parseGroupingPath reads plain and base64 segments', () => {
  const f = (path: string, want: Record<string, string> | undefined) =>
    assert.deepEqual(parseGroupingPath(path), want, path);
  f('/metrics/job/backup', { job: 'backup' });
  f('/metrics/job/backup/', { job: 'backup' });
  f('/metrics/job/backup/instance/h1/zone/eu', { job: 'backup', instance: 'h1', zone: 'eu' });
  f('/metrics/job/backup/path@base64/L3Zhci90bXA', { job: 'backup', path: '/var/tmp' });
  f('/metrics/job/backup/path@base64/L3Zhci90bXA=', { job: 'backup', path: '/var/tmp' });
  f('/metrics/job/e/first@base64/=/second/x', { job: 'e', first: '', second: 'x' });
  f('/metrics/job@base64/L3Zhci90bXA', { job: '/var/tmp' });
  f('/metrics/job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C', { job: 'titan', name: 'Προμηθεύς' });
  f('/metrics/job/j/job/other', { job: 'j' });
  f('/metrics/job/j/a/1/a/2', { job: 'j', a: '2' });
  f('/metrics/other', undefined);
  f('/metrics/job', undefined);
});

test('parseGroupingPath refuses what the Pushgateway answers 400 to', () => {
  const f = (path: string, message: RegExp) =>
    assert.throws(
      () => parseGroupingPath(path),
      (err: unknown) => {
        assert.ok(err instanceof GroupingKeyError, path);
        assert.equal(err.status, 400);
        assert.match(err.message, message);
        return true;
      },
    );
  f('/metrics/job/j/odd', /odd number of components/);
  f('/metrics/job/j/a/b/', /odd number of components/);
  f('/metrics/job/j/1a/x', /improper label name "1a"/);
  f('/metrics/job/j/__a/x', /improper label name "__a"/);
  f('/metrics/job/j/a@base64/!!', /invalid base64 encoding for label a/);
  f('/metrics/job@base64/*', /invalid base64 encoding in job name/);
  f('/metrics/job@base64/=', /job name is required/);
  f('/metrics/job/', /job name is required/);
  f('/metrics/job/j/a//b/c', /empty value for label "a"/);
});

test('decodeBase64Url is strict where Node is lenient', () => {
  assert.equal(decodeBase64Url('Zm9v'), 'foo');
  assert.equal(decodeBase64Url('Zm9vYg'), 'foob');
  assert.equal(decodeBase64Url(''), '');
  assert.equal(decodeBase64Url('Zm9v+'), undefined);
  assert.equal(decodeBase64Url('Z'), undefined);
  assert.equal(decodeBase64Url('_w'), undefined, 'invalid UTF-8');
});
